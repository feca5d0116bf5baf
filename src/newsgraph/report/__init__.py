"""The self-contained HTML report of a knowledge base (``newsgraph report``).

``build_report(store, generated_at=None) -> str`` gives one HTML file that opens offline: the main
stories with citations to numbered sources, key claims with their credibility and reasons, a map
and a timeline as inline SVG, the outlets with their reliability. No external URL of any kind;
every value from the store is escaped. Same knowledge base, same bytes (``generated_at`` is the
only varying line, and only when given).
"""
from __future__ import annotations

from newsgraph.report.gather import ReportData, collect
from newsgraph.report.render import render


def build_report(store, generated_at: str | None = None) -> str:
    """The report of ``store`` as one HTML string; ``generated_at`` adds a "Generated …" line."""
    return render(collect(store), generated_at=generated_at)


__all__ = ["ReportData", "build_report", "collect", "render"]
