"""`newsgraph claim list`, `newsgraph claim show CLUSTER_ID` and
`newsgraph claim grade CLUSTER_ID --grade 2 --note "…"`."""
from __future__ import annotations

import json

import click
from rich.markup import escape

from newsgraph.commands._shared import DB_OPTION, apply_edit, kb_store, out, plain_rows
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


def effective_grade(cluster: dict) -> int | None:
    """The analyst's grade when there is one, else the suggested grade."""
    cred = cluster.get("credibility") or {}
    return (cred.get("override") or {}).get("grade") or cred.get("grade")


def _listed(cluster: dict) -> dict:
    cred = cluster.get("credibility") or {}
    return {"id": cluster["id"], "grade": effective_grade(cluster), "suggested": cred.get("grade"),
            "override": bool(cred.get("override")), "contradicted": bool(cluster.get("contradicting")),
            "independent_origins": cluster.get("independent_origins"),
            "articles": cluster.get("article_count"), "text": cluster.get("text") or ""}


@command.command("list")
@click.option("--grade", "grades", multiple=True, type=click.IntRange(1, 6),
              help="Only clusters with this grade (the analyst's when overridden); repeatable.")
@click.option("--contradicted", is_flag=True, help="Only clusters with contradicting evidence.")
@click.option("--min-articles", default=1, show_default=True, type=click.IntRange(1), help="Only clusters found in at least this many articles.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@DB_OPTION
def list_clusters(grades, contradicted, min_articles, as_json, db):
    """List claim clusters with their grade, origins and article counts: most articles first.
    Ids are printed whole, ready for `claim show` and `claim grade`."""
    with kb_store(db) as store:
        rows = [_listed(c) for c in store.iter_corpus_records(CLUSTER_KIND)]
    rows = [r for r in rows if (not grades or r["grade"] in grades) and (not contradicted or r["contradicted"])
            and (r["articles"] or 0) >= min_articles]
    rows.sort(key=lambda r: (-(r["articles"] or 0), -(r["independent_origins"] or 0), r["id"]))
    if as_json:
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
        return
    plain_rows(("id", "grade", "suggested", "contradicted", "origins", "articles", "text"),
               [(r["id"], r["grade"], r["suggested"], "yes" if r["contradicted"] else "no",
                 r["independent_origins"], r["articles"], r["text"]) for r in rows])


def _cluster(store, cluster_id: str) -> dict:
    cluster = store.get_corpus_record(CLUSTER_KIND, cluster_id)
    if cluster is None:
        raise click.ClickException(f"unknown claim cluster {cluster_id!r} (see `newsgraph claim list` for cluster ids)")
    return cluster


@command.command("show")
@click.argument("cluster_id")
@DB_OPTION
def show(cluster_id, db):
    """Show a claim cluster: its evidence, origins with their chains, grade and explanation."""
    with kb_store(db) as store:
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
