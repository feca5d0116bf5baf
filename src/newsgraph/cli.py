"""The newsgraph command line: thin commands over importable functions. Only this module prints.

The pipeline, the store and the exports are imported when a command runs, not when the CLI
loads, so that ``newsgraph --help`` answers at once."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape
from rich.table import Table

from newsgraph.commands import all_commands
from newsgraph.commands._shared import DB_OPTION, cli_store, err, kb_store, out, progress

if TYPE_CHECKING:
    from newsgraph.pipeline.ingest import IngestReport


class ExportChoice(click.Choice):
    """The export names, read from ``newsgraph.export`` only when a value is checked or help is shown."""

    def __init__(self) -> None:
        super().__init__([])

    @property
    def choices(self):
        from newsgraph.export import EXPORTS

        return sorted(EXPORTS)

    @choices.setter
    def choices(self, _value) -> None:
        pass

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
    from newsgraph.pipeline.ingest import ingest
    from newsgraph.sources.readers import expand_count

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
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes for the per-document pipeline (default: one per CPU core, fewer for small batches).")
@click.option("--scheduler", default=None, metavar="tcp://HOST:8786",
              help="Run the per-document pipeline on this Dask cluster instead of local processes.")
def build_cmd(paths: tuple[str, ...], db: str, workers: int | None, scheduler: str | None) -> None:
    """Ingest articles, then run every analysis stage on the knowledge base."""
    from newsgraph import settings
    from newsgraph.pipeline.stages import all_stages

    failed_stages = []
    with settings.override(workers=workers, scheduler=scheduler), cli_store(db) as store, store.writing():  # one writer at a time, for the whole build
        report = _run_ingest(paths, store)
        if report.interrupted:
            sys.exit(130)
        for stage in all_stages():
            started = time.perf_counter()
            with progress(stage.name, None) as advance:
                try:
                    result = stage.run(store, advance)
                except KeyboardInterrupt:
                    raise
                except Exception as exc:  # noqa: BLE001 - one stage's failure must not stop the others
                    failed_stages.append(stage.name)
                    err.print(f"[red]error[/] stage {escape(stage.name)} stopped: {escape(f'{type(exc).__name__}: {exc}')}"
                              " — what it stored before is kept; run the build again to retry it", highlight=False)
                    continue
            out.print(f"[bold]{stage.name}[/]: {escape(result)} ({time.perf_counter() - started:.1f} s)", highlight=False)
        for failure in store.failed_analyses():
            err.print(f"[yellow]failed[/] {failure['id']} ({escape(failure['origin'] or '')}): "
                      f"{escape(failure['reason'])}", highlight=False)
        _print_stats(store)
    if not report.ok or failed_stages:
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
    with kb_store(db) as store:
        if as_json:
            click.echo(json.dumps(store.stats()))
        else:
            _print_stats(store)


@main.command("export")
@click.argument("what", type=ExportChoice(), metavar="WHAT")
@click.option("--format", "fmt", default="jsonl", show_default=True, help="Output format.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
@click.option("--bom", is_flag=True, help="Start with a UTF-8 byte-order mark, so that Excel reads a CSV's "
                                          "accents (Aydın) right.")
@DB_OPTION
def export_cmd(what: str, fmt: str, out_path: str | None, bom: bool, db: str) -> None:
    """Export records WHAT (documents, entities, places, events, movements, claims, stories, graph,
    all; see docs/exports.md) to standard output or --out FILE."""
    from newsgraph.export import EXPORTS

    formats = EXPORTS[what]
    if fmt not in formats:
        raise click.ClickException(f"export {what} has no format {fmt!r}; choose one of: {', '.join(formats)}")
    with kb_store(db) as store:
        _export(store, what, fmt, out_path, bom)


def _export(store, what: str, fmt: str, out_path: str | None, bom: bool = False) -> None:
    from newsgraph.export import export

    try:
        if out_path:
            tmp = Path(out_path + ".part")
            try:
                with open(tmp, "w", encoding="utf-8", newline="") as fh:
                    if bom:
                        fh.write("\ufeff")
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
            if bom:
                sys.stdout.write("\ufeff")
            export(store, what, fmt, sys.stdout)
    except BrokenPipeError:
        sys.stderr.close()


for _command in all_commands():
    main.add_command(_command)


if __name__ == "__main__":
    main()
