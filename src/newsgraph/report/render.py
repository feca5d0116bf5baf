"""HTML for the report: a Jinja template with autoescaping (article text is untrusted), the CSS
and the small script inlined, the map and timeline SVGs drawn in Python."""
from __future__ import annotations

from functools import cache
from importlib import resources

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from newsgraph.report.fallback import type_label
from newsgraph.report.gather import ReportData, labels
from newsgraph.report.mapsvg import draw_map
from newsgraph.report.timeline import draw_timeline


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("templates", name).read_text(encoding="utf-8")


@cache
def _environment() -> Environment:
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters.update(type_label=type_label, when=when, where=where, amount=amount, count_range=count_range)
    return env


def when(date: dict | None, precision: str | None = None) -> str:
    """A date as the record gives it, with its precision: "2017-10-02 (day)", "2017-09-01 to 2017-09-10 (month)"."""
    if isinstance(date, str) or date is None:
        return f"{date} ({precision})" if date and precision else (date or "undated")
    start, end = date.get("start"), date.get("end")
    if not start:
        return "undated"
    text = start if not end or end == start else f"{start} to {end}"
    return f"{text} ({date['precision']})" if date.get("precision") else text


def where(place: dict | None) -> str:
    if not place or not place.get("name"):
        return "no place"
    detail = ", ".join(str(v) for v in (place.get("precision"), place.get("country_code")) if v)
    return f"{place['name']} ({detail})" if detail else str(place["name"])


def amount(value) -> str:
    if value is None:
        return "?"
    return f"{value:g}" if isinstance(value, float) else str(value)


def count_range(count: dict | None) -> str:
    """27, or "27 to 41 (best 30)" for a count the sources disagree on."""
    if not count:
        return ""
    low, best, high = count.get("low"), count.get("best"), count.get("high")
    if low is not None and high is not None and low != high:
        text = f"{amount(low)} to {amount(high)}"
        return f"{text} (best {amount(best)})" if best is not None else text
    value = best if best is not None else low if low is not None else high
    return amount(value) if value is not None else ""


def render(data: ReportData, generated_at: str | None = None) -> str:
    """The report as one HTML string; ``generated_at`` (text) adds a "generated" line."""
    number = data.number

    def cite_numbers(doc_ids) -> list[int]:
        return sorted({number[d] for d in doc_ids or [] if d in number})

    def cite_text(doc_ids) -> str:
        return "".join(f"[{n}]" for n in cite_numbers(doc_ids))

    def cite(doc_ids) -> Markup:
        return Markup("").join(Markup('<a class="cite" href="#src-{0}">[{0}]</a>').format(n) for n in cite_numbers(doc_ids))

    map_result = draw_map(data.events, data.movements, cite_text)
    timeline_result = draw_timeline(data.events, cite_text)
    words = labels()
    template = _environment().from_string(_asset("report.html.j2"))
    html = template.render(
        data=data, counts=data.counts, cite=cite, generated_at=generated_at, limits=words["limits"],
        colours=words["event_colours"], reliability_words=words["reliability"],
        css=Markup(_asset("report.css")), script=Markup(_asset("report.js")),
        map_svg=Markup(map_result.svg), map_result=map_result,
        timeline_svg=Markup(timeline_result.svg), timeline_result=timeline_result,
        off_frame_summary=_off_frame_summary(map_result.off_frame),
    )
    return html


def _off_frame_summary(events: list[dict]) -> str:
    places: dict[str, int] = {}
    for ev in events:
        name = ev["place"].get("name") or "?"
        places[name] = places.get(name, 0) + 1
    return ", ".join(f"{name} ({n})" for name, n in sorted(places.items(), key=lambda kv: (-kv[1], kv[0])))

