"""The newsgraph command line: thin commands over importable functions. Only this module prints."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.table import Table

from newsgraph.commands import all_commands
from newsgraph.commands._shared import DB_OPTION, cli_store, err, escape, out, progress
from newsgraph.export import EXPORTS, export
from newsgraph.pipeline.ingest import IngestReport, ingest
from newsgraph.pipeline.stages import all_stages
from newsgraph.sources.readers import expand_count

def _summary(report: IngestReport, store) -> None:
    table = Table(title="newsgraph ingest", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    table.add_row("database", escape(store.display_url))
    table.add_row("articles read", str(report.read))
    table.add_row("added", str(len(report.added)))
    table.add_row("already stored (unchanged)", str(len(report.present)))
    table.add_row("skipped", str(len(report.skipped)))
    table.add_row("failed", str(len(report.failed)))
    table.add_row("near-duplicate links", str(len(report.near_duplicates)))
    out.print(table)
    for origin, reason in report.skipped:
        out.print(f"[yellow]skipped[/] {escape(origin)}: {escape(reason)}", highlight=False, soft_wrap=True)
    for origin, note in report.notes:
        out.print(f"[cyan]note[/] {escape(origin)}: {escape(note)}", highlight=False, soft_wrap=True)
    for doc_id, other, sim in report.near_duplicates:
        out.print(f"[cyan]near-duplicate[/] {doc_id} ~ {other} (similarity {sim:.2f})")
    for origin, reason in report.failed:
        err.print(f"[red]error[/] {escape(origin)}: {escape(reason)}", highlight=False, soft_wrap=True)
    if report.interrupted:
        err.print("[red]interrupted[/]: what was stored is complete; run the same command again to finish.")


def _run_ingest(paths: tuple[str, ...], store) -> IngestReport:
    with progress("ingesting", expand_count(list(paths))) as advance:
        report = ingest(list(paths), store, on_file=advance)
    _summary(report, store)
    return report


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsgraph")
def main() -> None:
    """newsgraph: a sourced, geocoded, cross-checked knowledge base from news articles."""


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@DB_OPTION
def ingest_cmd(paths: tuple[str, ...], db: str) -> None:
    """Read articles (files, folders, .jsonl, .gz, '-' for stdin) into the knowledge base."""
    with cli_store(db) as store:
        report = _run_ingest(paths, store)
    if not report.ok:
        sys.exit(130 if report.interrupted else 1)


@main.command("build")
@click.argument("paths", nargs=-1, required=True)
@DB_OPTION
def build_cmd(paths: tuple[str, ...], db: str) -> None:
    """Ingest articles, then run every analysis stage on the knowledge base."""
    with cli_store(db) as store, store.writing():  # one writer at a time, for the whole build
        report = _run_ingest(paths, store)
        if report.interrupted:
            sys.exit(130)
        for stage in all_stages():
            with progress(stage.name, None) as advance:
                try:
                    result = stage.run(store, advance)
                except ValueError as exc:
                    raise click.ClickException(f"stage {stage.name} stopped: {exc}") from exc
            out.print(f"[bold]{stage.name}[/]: {result}")
        _print_stats(store)
    if not report.ok:
        sys.exit(1)


def _print_stats(store) -> None:
    table = Table(title="knowledge base", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    for name, value in store.stats().items():
        table.add_row(name.replace("_", " "), str(value))
    out.print(table)


@main.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as one JSON object.")
@DB_OPTION
def stats_cmd(db: str, as_json: bool) -> None:
    """Counts of what the knowledge base holds."""
    with cli_store(db) as store:
        if as_json:
            click.echo(json.dumps(store.stats()))
        else:
            _print_stats(store)


@main.command("export")
@click.argument("what", type=click.Choice(sorted(EXPORTS)))
@click.option("--format", "fmt", default="jsonl", show_default=True, help="Output format.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
@DB_OPTION
def export_cmd(what: str, fmt: str, out_path: str | None, db: str) -> None:
    """Export records (documents, …) to standard output or --out FILE."""
    formats = EXPORTS[what]
    if fmt not in formats:
        raise click.ClickException(f"export {what} has no format {fmt!r}; choose one of: {', '.join(formats)}")
    with cli_store(db) as store:
        _export(store, what, fmt, out_path)


def _export(store, what: str, fmt: str, out_path: str | None) -> None:
    try:
        if out_path:
            tmp = Path(out_path + ".part")
            try:
                with open(tmp, "w", encoding="utf-8") as fh:
                    n = export(store, what, fmt, fh)
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise click.ClickException(f"cannot write {out_path}: {exc.strerror or exc}; nothing was written "
                                           "(the knowledge base is unchanged)") from exc
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            tmp.replace(out_path)
            err.print(f"wrote {n} {what if what not in ('all', 'graph') else 'records'} to {escape(out_path)}")
        else:
            export(store, what, fmt, sys.stdout)
    except BrokenPipeError:
        sys.stderr.close()


for _command in all_commands():
    main.add_command(_command)


if __name__ == "__main__":
    main()
