"""`newsgraph claim show CLUSTER_ID` and `newsgraph claim grade CLUSTER_ID --grade 2 --note "…"`."""
from __future__ import annotations

import click
from rich.markup import escape

from newsgraph.commands._shared import DB_OPTION, apply_edit, cli_store, out
from newsgraph.corpus.credibility import CLUSTER_KIND, override_credibility


@click.group("claim")
def command():
    """Claim clusters across documents: evidence, origins, credibility 1–6."""


def show_cluster(cluster: dict) -> None:
    cred = cluster["credibility"]
    out.print(f"[bold]{cluster['id']}[/]: {escape(cluster['text'])}", highlight=False, soft_wrap=True)
    out.print(f"credibility {cred['grade']} ({cred['label']}); {cluster['independent_origins']} independent "
              f"origin(s), {cluster['article_count']} article(s)", highlight=False, soft_wrap=True)
    if cred.get("override"):
        o = cred["override"]
        out.print(f"analyst override {o['grade']} ({o['label']}): {escape(o['note'])}", highlight=False, soft_wrap=True)
    for side in ("supporting", "contradicting", "related"):
        for e in cluster[side]:
            reason = f" ({e['reason']})" if e.get("reason") else ""
            out.print(escape(f"  {side}: {e.get('source') or 'unknown'} — {e['text']}{reason}"), highlight=False, soft_wrap=True)
    for o in cluster["origins"]:
        flag = ", interested" if o.get("interested") else ""
        dep = f" (not independent: {o['dependence']})" if o.get("dependence") else ""
        out.print(f"  origin ({o['side']}): {escape(' → '.join(o['chain']))} ({o['kind']}{flag}, reliability "
                  f"{o['reliability']}){dep}", highlight=False, soft_wrap=True)
    out.print(escape(cred["explanation"]), highlight=False, soft_wrap=True)


def _cluster(store, cluster_id: str) -> dict:
    cluster = store.get_corpus_record(CLUSTER_KIND, cluster_id)
    if cluster is None:
        raise click.ClickException(f"unknown claim cluster {cluster_id!r} (see `newsgraph export claims` for cluster ids)")
    return cluster


@command.command("show")
@click.argument("cluster_id")
@DB_OPTION
def show(cluster_id, db):
    """Show a claim cluster: its evidence, origins with their chains, grade and explanation."""
    with cli_store(db) as store:
        show_cluster(_cluster(store, cluster_id))


@command.command("grade")
@click.argument("cluster_id")
@click.option("--grade", required=True, help="1 (confirmed) … 6 (cannot be judged).")
@click.option("--note", default="", help="Why: kept with the decision.")
@DB_OPTION
def grade(cluster_id, grade, note, db):
    """Override the suggested credibility; kept beside it and across rebuilds."""
    cluster = apply_edit(db, override_credibility, cluster_id, grade, note)
    o = cluster["credibility"]["override"]
    out.print(f"{cluster['id']}: analyst grade {o['grade']} ({o['label']}) beside the suggested "
              f"{cluster['credibility']['grade']} ({cluster['credibility']['label']})", highlight=False, soft_wrap=True)
