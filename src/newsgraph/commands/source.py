"""`newsgraph source list` and `newsgraph source set SOURCE_ID --reliability B --basis "…"`."""
from __future__ import annotations

import json

import click

from newsgraph.commands._shared import DB_OPTION, apply_edit, escape, kb_store, out, plain_rows


@click.group("source")
def command():
    """Sources (outlets) and their reliability A–F (Admiralty), with its basis."""


@command.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@DB_OPTION
def list_sources(as_json, db):
    """List the sources with reliability, basis, interested flag and document count. On a
    terminal a table; piped, tab-separated lines with every id whole (for `source set`)."""
    from newsgraph.corpus.credibility import apply_source_priors, grade_label

    with kb_store(db) as store:
        apply_source_priors(store)
        sources = list(store.iter_sources())
    rows = []
    for s in sources:
        grade = s["reliability"] or "F"
        rows.append((s["id"], s["name"], f"{grade} ({grade_label(grade)})", "yes" if s["interested"] else "no",
                     str(s["documents"]), s["reliability_basis"] or ""))
    if as_json:
        for s in sources:
            click.echo(json.dumps(s, ensure_ascii=False))
    elif out.is_terminal:
        from rich.table import Table

        table = Table("id", "name", "reliability", "interested", "documents", "basis")
        table.columns[0].no_wrap = True
        for row in rows:
            table.add_row(*(escape(cell) for cell in row))
        out.print(table)
    else:
        plain_rows(("id", "name", "reliability", "interested", "documents", "basis"), rows)


@command.command("set")
@click.argument("source_id")
@click.option("--reliability", required=True, help="A (completely reliable) … F (cannot be judged).")
@click.option("--basis", required=True, help="Why: the evidence for this grade.")
@DB_OPTION
def set_source(source_id, reliability, basis, db):
    """Grade a source; the decision is kept across rebuilds and the claims it carries are regraded."""
    from newsgraph.corpus.credibility import grade_label, set_source_reliability

    source = apply_edit(db, set_source_reliability, source_id, reliability, basis)
    out.print(f"{escape(source['id'])}: reliability {source['reliability']} ({grade_label(source['reliability'])}) — "
              f"{escape(source['reliability_basis'])}", highlight=False, soft_wrap=True)
