"""`newsgraph source list` and `newsgraph source set SOURCE_ID --reliability B --basis "…"`."""
from __future__ import annotations

import click
from rich.table import Table

from newsgraph.commands._shared import DB_OPTION, apply_edit, cli_store, escape, out
from newsgraph.corpus.credibility import apply_source_priors, grade_label, set_source_reliability


@click.group("source")
def command():
    """Sources (outlets) and their reliability A–F (Admiralty), with its basis."""


@command.command("list")
@DB_OPTION
def list_sources(db):
    """List the sources with reliability, basis, interested flag and document count."""
    with cli_store(db) as store:
        apply_source_priors(store)
        sources = list(store.iter_sources())
    table = Table("id", "name", "reliability", "interested", "documents", "basis")
    for s in sources:
        grade = s["reliability"] or "F"
        table.add_row(escape(s["id"]), escape(s["name"]), f"{grade} ({grade_label(grade)})", "yes" if s["interested"] else "no",
                      str(s["documents"]), escape(s["reliability_basis"] or ""))
    out.print(table)


@command.command("set")
@click.argument("source_id")
@click.option("--reliability", required=True, help="A (completely reliable) … F (cannot be judged).")
@click.option("--basis", required=True, help="Why: the evidence for this grade.")
@DB_OPTION
def set_source(source_id, reliability, basis, db):
    """Grade a source; the decision is kept across rebuilds and the claims it carries are regraded."""
    source = apply_edit(db, set_source_reliability, source_id, reliability, basis)
    out.print(f"{escape(source['id'])}: reliability {source['reliability']} ({grade_label(source['reliability'])}) — "
              f"{escape(source['reliability_basis'])}", highlight=False, soft_wrap=True)
