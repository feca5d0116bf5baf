"""newsgraph report: one self-contained HTML file for a knowledge base (issue 6, "Report")."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from newsgraph.cli import main
from newsgraph.report import build_report
from newsgraph.store import open_store

from conftest import need

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SVG_LEAVES = {"path", "circle", "rect", "line", "polyline", "stop"}


class Page(HTMLParser):
    """Elements with their attributes and text, and a check that every tag is closed in order."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.stack: list[dict] = []
        self.errors: list[str] = []
        self.feed(html)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed: {[e['tag'] for e in self.stack]}")

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": "", "parents": [e["tag"] for e in self.stack],
                   "parent_ids": [e["attrs"].get("id") for e in self.stack]}
        self.elements.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1]["tag"] != tag:
            self.errors.append(f"</{tag}> does not close {self.stack[-1]['tag'] if self.stack else 'anything'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        for element in self.stack:
            element["text"] += data

    def find(self, tag: str, **attrs) -> list[dict]:
        return [e for e in self.elements if e["tag"] == tag and all(e["attrs"].get(k) == v for k, v in attrs.items())]

    def by_id(self, element_id: str) -> dict:
        (element,) = [e for e in self.elements if e["attrs"].get("id") == element_id]
        return element

    def inside(self, tag: str, ancestor_id: str) -> list[dict]:
        return [e for e in self.elements if e["tag"] == tag and ancestor_id in e["parent_ids"]]


def squash(text: str) -> str:
    return " ".join(text.split())


def located(place: dict | None) -> bool:
    return bool(place) and place.get("lat") is not None and place.get("lon") is not None


def movement_legs_with_two_points(db: str) -> int:
    store = open_store(db)
    try:
        return sum(1 for m in store.iter_records("movements") for leg in m["legs"]
                   if sum(located(p) for p in [leg["from"], *leg["via"], leg["to"]]) >= 2)
    finally:
        store.close()


def events_with_coordinates(db: str) -> int:
    store = open_store(db)
    try:
        records = list(store.iter_corpus_records("event")) or list(store.iter_records("events"))
    finally:
        store.close()
    return sum(1 for r in records if (r.get("place") or {}).get("lat") is not None and (r.get("place") or {}).get("lon") is not None)


def report_of(db: str, **kwargs) -> str:
    store = open_store(db)
    try:
        return build_report(store, **kwargs)
    finally:
        store.close()


@pytest.fixture(scope="module")
def demo_html(demo_kb) -> str:
    return report_of(demo_kb)


@pytest.fixture(scope="module")
def demo_page(demo_html) -> Page:
    return Page(demo_html)


@pytest.fixture
def fallback_kb(demo_kb_copy) -> str:
    """The demo knowledge base without corpus stories, merged events or claim clusters."""
    store = open_store(demo_kb_copy)
    try:
        for kind in ("story", "event", "claim_cluster"):
            store.replace_corpus_records(kind, [])
    finally:
        store.close()
    return demo_kb_copy


HOSTILE = {
    "title": '<script>alert("title")</script> Police detain 12 in Kilis',
    "source": "<img src=x onerror=alert(2)>",
    "url": "javascript:alert(3)",
    "author": "</li></ol><b>x</b>",
    "published": "2017-10-09",
    "text": ('Turkish police detained 12 people in Kilis on October 8, 2017, the governor\'s office said. '
             'A leaflet found at the scene read <script>alert(4)</script> and <a href="https://evil.example/">click</a>.\n\n'
             'The governor\'s office said the suspects had crossed the border from Syria.'),
}
MARKUP = '<script>alert(5)</script><a href="javascript:alert(6)">x</a><img src=x onerror=alert(7)>'


def hostile_records(document_id: str) -> dict[str, dict]:
    """Corpus records in the contract's shapes with markup in every text field the report shows."""
    evidence = {"claim_id": "clm-x", "document_id": document_id, "source": MARKUP, "sentence": "He said " + MARKUP,
                "start": 0, "end": 10}
    place = {"name": "Kilis" + MARKUP, "geonames_id": "1", "lat": 36.7, "lon": 37.1, "country_code": "TR",
             "feature": "town", "precision": "town"}
    event = {"id": "event-hostile", "type": "arrest", "date": {"start": "2017-10-08", "end": "2017-10-08", "precision": "day"},
             "place": place, "participants": [{"role": "agent" + MARKUP, "name": "police" + MARKUP, "entity_id": None}],
             "count": {"low": 12, "best": 12, "high": 12, "unit": "person" + MARKUP, "sources": {}, "documents": {}},
             "fatalities": None, "money": [], "factuality": "asserted" + MARKUP, "members": [], "documents": [document_id],
             "sources": [MARKUP], "evidence": [evidence], "story_id": "story-hostile", "merge": {"reasons": []}}
    story = {"id": "story-hostile", "title": "Story " + MARKUP, "label": "Label " + MARKUP, "summary": "Summary " + MARKUP,
             "documents": [document_id], "events": ["event-hostile"], "start": "2017-10-08", "end": "2017-10-08",
             "precision": "day", "place": place, "types": ["arrest"], "entities": [], "size": 99}
    cluster = {"id": "clu-hostile", "text": "Claim " + MARKUP, "subject": MARKUP, "predicate": "detain", "object": "12",
               "claims": ["clm-x"], "documents": [document_id], "supporting": [evidence],
               "contradicting": [{**evidence, "reason": "count " + MARKUP}], "related": [],
               "origins": [{"name": "official " + MARKUP, "kind": "official" + MARKUP, "interested": True,
                            "chain": [MARKUP, "official"], "documents": [document_id], "dependence": MARKUP}],
               "independent_origins": 9, "article_count": 99,
               "credibility": {"grade": 3, "label": MARKUP, "explanation": "Because " + MARKUP,
                               "override": {"grade": 2, "note": "Note " + MARKUP, "at": MARKUP}}, "story_id": None}
    return {"event": event, "story": story, "claim_cluster": cluster}


@pytest.fixture(scope="module")
def hostile_kb(tmp_path_factory, demo_kb) -> str:
    """The demo knowledge base plus one article full of markup, extracted by the real pipeline."""
    import shutil

    from newsgraph.pipeline.ingest import ingest
    from newsgraph.pipeline.stages import all_stages

    folder = tmp_path_factory.mktemp("hostile")
    db = str(folder / "hostile.db")
    shutil.copyfile(demo_kb, db)
    (folder / "hostile.jsonl").write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    store = open_store(db)
    try:
        report = ingest([str(folder / "hostile.jsonl")], store)
        assert report.ok
        for stage in all_stages():
            stage.run(store, lambda name="": None)
        for kind, record in hostile_records(report.added[0]).items():
            store.upsert_corpus_records(kind, [record])
    finally:
        store.close()
    return db


# -- the file ---------------------------------------------------------------------------------


def test_report_is_well_formed_html(demo_page):
    assert demo_page.errors == []
    assert [e["tag"] for e in demo_page.elements[:3]] == ["html", "head", "meta"]
    assert squash(demo_page.find("title")[0]["text"]) == "newsgraph report: 13 articles, 7 outlets"
    assert len(demo_page.find("style")) == 1
    (script,) = demo_page.find("script")
    assert script["attrs"] == {}
    assert [e["attrs"]["id"] for e in demo_page.find("section")] == [
        "stories", "claims", "map-section", "timeline-section", "sources"]


def test_no_external_url_anywhere_the_browser_would_fetch(demo_html, demo_page):
    hrefs = [(e["tag"], k, v) for e in demo_page.elements for k, v in e["attrs"].items()
             if k in {"href", "src", "xlink:href", "action", "data", "poster", "srcset", "formaction"}]
    assert hrefs, "the report links its citations"
    assert [h for h in hrefs if not (h[1] == "href" and h[2].startswith("#"))] == []
    assert [h for h in hrefs if h[0] != "a" and not h[2].startswith("#")] == []
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", demo_html)
    assert "@import" not in demo_html and "<link" not in demo_html and "<iframe" not in demo_html
    # every in-page link lands on an element of the page
    ids = {e["attrs"]["id"] for e in demo_page.elements if "id" in e["attrs"]}
    assert {v[1:] for _, _, v in hrefs if v != "#"} <= ids


def test_sources_are_numbered_with_outlet_title_date_and_url_as_text(demo_kb, demo_page, demo_corpus):
    items = demo_page.inside("li", "sources")
    root = f"{demo_corpus.parent.parent}/"          # file paths are stored as given to ingest
    entries = [squash(e["text"]).replace(root, "") for e in items if e["attrs"].get("id", "").startswith("src-")]
    assert len(entries) == 13
    assert entries[4:7] == [
        "[5] Anatolia Wire, 27 Islamic State suspects held in Gaziantep raids, 2017-10-03 (day) "
        "examples/corpus/02_anatolia_wire_gaziantep_raid_repost.txt",
        "[6] Levant Ledger, Gaziantep police detain 27 in dawn raid on Islamic State suspects, 2017-10-03 (day) "
        "examples/corpus/01_levant_ledger_gaziantep_raid.txt",
        "[7] Frontier Dispatch, Kurdish official says Turkish raid in Antep netted 41 IS suspects, 2017-10-04 (day) "
        "examples/corpus/03_frontier_dispatch_gaziantep_raid_kurdish_count.html",
    ]
    assert entries[7] == ("[8] Euphrates Review, Raqqa convoy deal under scrutiny as IS evacuees scatter, 2017-11-15 (day) "
                          "https://euphratesreview.example/2017/11/15/raqqa-convoy-deal")
    assert entries[12] == "[13] unknown outlet, Border guides change tactics as arrests mount, undated examples/corpus/11_undated_border_guides.txt"
    # the URL is text, never a link
    assert [e for e in demo_page.find("a") if "example" in e["attrs"].get("href", "")] == []
    cells = [squash(e["text"]) for e in demo_page.inside("td", "sources")]
    rows = [cells[i:i + 5] for i in range(0, len(cells), 5)]
    assert [r[0] for r in rows] == ["Anatolia Wire", "Crescent Defense Review", "Euphrates Review", "Frontier Dispatch",
                                    "Levant Ledger", "Northern Syria Monitor", "Rojava Press Desk"]
    assert [r[4] for r in rows] == ["3", "1", "2", "2", "2", "1", "1"]  # Anatolia Wire: 02, 09b and the Turkish 10
    store = open_store(demo_kb)
    try:
        expected = {s["name"]: s for s in store.iter_sources()}
    finally:
        store.close()
    for name, grade, basis, interested, _ in rows:
        source = expected[name]
        assert grade.split()[0] == source["reliability"]
        assert basis == source["reliability_basis"]
        assert interested == ("yes" if source["interested"] else "no")


def test_gaziantep_story_cites_its_three_articles(demo_page):
    stories = [e for e in demo_page.find("article") if "story" in e["attrs"].get("class", "").split()]
    first = stories[0]
    summary = [squash(p["text"]) for p in demo_page.inside("p", first["attrs"]["id"]) if p["attrs"].get("class") == "summary"]
    assert len(summary) == 1 and summary[0].endswith(" [5][6][7]")     # the story's own articles
    assert "Gaziantep" in squash(demo_page.inside("h3", first["attrs"]["id"])[0]["text"])
    events = [squash(li["text"]) for li in demo_page.inside("li", first["attrs"]["id"])]
    assert events[0].startswith("Arrest 2017-10-02 (day) · Gaziantep (town, TR) · 27 to 41")
    assert "low 27 from [5][6]; high 41 from [7]" in events[0]
    # every citation link in the story lands on a numbered article
    for a in demo_page.inside("a", first["attrs"]["id"]):
        n = int(a["attrs"]["href"].removeprefix("#src-"))
        assert a["text"] == f"[{n}]"


def test_map_has_one_circle_per_located_event_and_the_movement_legs(demo_kb, demo_page):
    circles = [e for e in demo_page.inside("circle", "map") if "event" in e["attrs"]["class"].split()]
    assert len(circles) == events_with_coordinates(demo_kb)
    assert len(demo_page.inside("polyline", "map")) == movement_legs_with_two_points(demo_kb)
    countries = {squash(e["text"]) for e in demo_page.inside("path", "map") if e["attrs"].get("class") == "country"}
    assert {"Turkey", "Syria", "Iraq"} <= countries


def test_summary_line_counts_what_the_knowledge_base_holds(demo_kb, demo_page):
    store = open_store(demo_kb)
    try:
        stats = store.stats()
    finally:
        store.close()
    events = stats.get("corpus:event") or stats["events"]
    claims = stats.get("corpus:claim_cluster") or None
    lede = squash(demo_page.find("p", **{"class": "lede"})[0]["text"])
    assert lede.startswith(f"13 articles from 7 outlets, published 2017-09-20 to 2019-10-14: {events} events, "
                           f"{stats['movements']} movements, ")
    if claims:
        assert lede.endswith(f" {claims} claims.")


def test_empty_knowledge_base_gives_a_report_that_says_so(tmp_path):
    page = Page(report_of(str(tmp_path / "empty.db")))
    assert page.errors == []
    assert squash(page.find("p", **{"class": "lede"})[0]["text"]) == (
        "0 articles from 0 outlets: 0 events, 0 movements, 0 claims (per-document groups).")
    assert [squash(e["text"]) for e in page.find("p", **{"class": "empty"})] == [
        "No stories: the knowledge base holds no documents.", "No claims were extracted.",
        "No event or movement has a located place.", "No event has a resolved date."]
    assert page.find("svg") == []


def test_same_knowledge_base_same_bytes(demo_kb, demo_html):
    assert report_of(demo_kb) == demo_html
    stamped = report_of(demo_kb, generated_at="2024-05-01 12:00 UTC")
    assert '<p class="generated">Generated 2024-05-01 12:00 UTC.</p>\n' in stamped
    assert stamped.replace('<p class="generated">Generated 2024-05-01 12:00 UTC.</p>\n', "") == demo_html


# -- per-document fallback --------------------------------------------------------------------


def test_without_corpus_records_the_report_falls_back_to_per_document_records(fallback_kb):
    page = Page(report_of(fallback_kb))
    assert page.errors == []
    notes = [squash(e["text"]) for e in page.find("p", **{"class": "note"})]
    assert notes[0].startswith("The story stage has not run on this knowledge base")
    assert notes[1].startswith("The credibility stage has not run on this knowledge base")
    stories = [e for e in page.find("article") if e["attrs"].get("class") == "story"]
    assert len(stories) == 11
    first = stories[0]
    assert first["attrs"]["id"] == "story-2cc912923deebf3d"
    assert squash(page.inside("h3", first["attrs"]["id"])[0]["text"]) == "Arrest in Gaziantep, 2017-10-02"
    summary = squash(page.inside("p", first["attrs"]["id"])[1]["text"])
    assert summary == ("3 articles from 3 outlets (Anatolia Wire, Frontier Dispatch, Levant Ledger). Main event: arrest in "
                       "Gaziantep on 2017-10-02, counts from 27 to 41. [5][6][7]")
    lines = [squash(e["text"]) for e in page.inside("li", first["attrs"]["id"])]
    assert lines[0] == ("Arrest 2017-10-02 (day) · Gaziantep (town, TR) · 27 to 41 · reported · Turkish police (agent), "
                        "27 people (patient) [5][6][7] low 27 from [5][6]; high 41 from [7]")
    store = open_store(fallback_kb)
    try:
        events = list(store.iter_records("events"))
    finally:
        store.close()
    fine = {"point", "facility", "neighbourhood", "town", "city", "district", "admin2"}
    dated = sum(1 for e in events if (e.get("date") or {}).get("start"))
    circles = [e for e in page.inside("circle", "map") if "event" in e["attrs"]["class"].split()]
    assert len(circles) == sum(located(e.get("place")) for e in events)
    assert len([e for e in circles if "fine" in e["attrs"]["class"].split()]) == sum(
        located(e.get("place")) and e["place"].get("precision") in fine for e in events)
    bars = page.inside("rect", "timeline")
    assert len([b for b in bars if "bar" in b["attrs"]["class"].split()]) == dated
    captions = [squash(e["text"]) for e in page.find("figcaption")]
    assert captions[0].startswith(f"{len(circles)} events with coordinates (per-article records) and ")
    assert captions[1].startswith(f"{dated} dated events;")
    assert captions[1].endswith(f"{len(events) - dated} events have no resolved date and are not shown.")
    claims = [e for e in page.find("article") if e["attrs"].get("class") == "claim"]
    assert len(claims) == 20
    assert squash(page.inside("h3", claims[0]["attrs"]["id"])[0]["text"]) == "not graded Turkish police detained 27 people"


def test_analyst_override_is_shown_beside_the_computed_grade(demo_kb_copy):
    from newsgraph.corpus.credibility import override_credibility

    store = open_store(demo_kb_copy)
    try:
        clusters = [c for c in store.iter_corpus_records("claim_cluster") if c["text"] == "Turkish police detained 27 people"]
        need(len(clusters) == 1, "the claims stage made one cluster of 'Turkish police detained 27 people'")
        computed = clusters[0]["credibility"]["grade"]
        override_credibility(store, clusters[0]["id"], 2, "Confirmed by the governor's office <b>by phone</b>")
        page = Page(build_report(store))
    finally:
        store.close()
    (article,) = [e for e in page.find("article") if e["attrs"].get("id") == f"claim-{clusters[0]['id']}"]
    heading = squash(page.inside("h3", article["attrs"]["id"])[0]["text"])
    assert heading == "2 · probably true Turkish police detained 27 people"
    override = [squash(p["text"]) for p in page.inside("p", article["attrs"]["id"]) if p["attrs"].get("class") == "override"]
    assert override[0].startswith(f"Analyst grade 2 (computed {computed}): Confirmed by the governor's office <b>by phone</b> (")
    assert page.find("b") == []


# -- untrusted text ---------------------------------------------------------------------------


def test_markup_in_articles_is_shown_as_text(hostile_kb):
    html = report_of(hostile_kb)
    page = Page(html)
    assert page.errors == []
    assert len(page.find("script")) == 1            # ours, inlined, no src
    assert page.find("img") == [] and page.find("b") == []
    assert [e for e in page.elements if any(k.startswith("on") for k in e["attrs"])] == []
    assert [e for e in page.elements for v in e["attrs"].values() if v and "javascript:" in v] == []
    (entry,) = [squash(e["text"]) for e in page.inside("li", "sources") if "Kilis" in e["text"]]
    assert entry == ('[8] <img src=x onerror=alert(2)>, <script>alert("title")</script> Police detain 12 in Kilis, '
                     "2017-10-09 (day) javascript:alert(3)")
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in html
    assert "evil.example" not in "".join(a["attrs"].get("href", "") for a in page.find("a"))
    # markup in every field of the corpus records shows as text: story, event, claim, map and timeline
    escaped = MARKUP.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
    story = page.by_id("story-hostile")
    assert squash(story["text"]).startswith(f"Story {MARKUP} Label {MARKUP} 2017-10-08 (day) · Kilis{MARKUP} (town, TR)")
    assert f"police{MARKUP} (agent{MARKUP})" in squash(story["text"])
    claim = page.by_id("claim-clu-hostile")
    assert squash(claim["text"]).startswith(f"2 · probably true Claim {MARKUP} 99 articles · 9 independent origins [")
    for text in (f"Analyst grade 2 (computed 3): Note {MARKUP} ({MARKUP})", f"Because {MARKUP}",
                 f"official {MARKUP} (official{MARKUP}, interested party) via {MARKUP}: {MARKUP}",
                 f"He said {MARKUP}", f"count {MARKUP}"):
        assert text in squash(claim["text"])
    titles = [squash(e["text"]) for e in page.elements if e["tag"] == "title" and "map" in e["parent_ids"]]
    assert any(t.startswith(f"Arrest · Kilis{MARKUP} (town) · 2017-10-08 ·") for t in titles)
    assert html.count(escaped) >= 15


# -- command line -----------------------------------------------------------------------------


def test_cli_writes_the_report_and_says_what_it_wrote(demo_kb, demo_html, tmp_path):
    target = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", "--db", demo_kb, "--out", str(target), "--no-timestamp"])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == demo_html
    size = len(demo_html.encode("utf-8"))
    stories, claims = demo_html.count('<article class="story"'), demo_html.count('<article class="claim')
    assert result.stdout.splitlines()[0] == (
        f"wrote {target} ({size:,} bytes): {stories} stories, {claims} key claims, {events_count(demo_kb)} events, "
        "13 articles cited")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]     # no temporary file left


def events_count(db: str) -> int:
    store = open_store(db)
    try:
        return len(list(store.iter_corpus_records("event"))) or len(list(store.iter_records("events")))
    finally:
        store.close()


def test_cli_stdout_and_timestamp(demo_kb, demo_html):
    result = CliRunner().invoke(main, ["report", "--db", demo_kb, "--out", "-", "--no-timestamp"])
    assert result.exit_code == 0
    assert result.stdout == demo_html
    stamped = CliRunner().invoke(main, ["report", "--db", demo_kb, "--out", "-"])
    assert re.search(r'<p class="generated">Generated \d{4}-\d\d-\d\d \d\d:\d\d UTC\.</p>', stamped.stdout)


def test_cli_errors(demo_kb, tmp_path):
    runner = CliRunner()
    missing = tmp_path / "missing.db"
    result = runner.invoke(main, ["report", "--db", str(missing), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 1
    assert result.output == (f"Error: no knowledge base at {missing}: build one first "
                             f"(newsgraph build PATHS --db {missing})\n")
    assert not missing.exists()
    junk = tmp_path / "junk.db"
    junk.write_text("not a database", encoding="utf-8")
    result = runner.invoke(main, ["report", "--db", str(junk), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 1
    assert result.output == (f"Error: sqlite:///{junk} is not a newsgraph database or is damaged "
                             "(file is not a database); give another --db path\n")
    result = runner.invoke(main, ["report", "--db", demo_kb, "--out", str(tmp_path / "no" / "r.html")])
    assert result.exit_code == 1
    assert result.output == f"Error: cannot write {tmp_path / 'no' / 'r.html'}: folder {tmp_path / 'no'} does not exist\n"
    result = runner.invoke(main, ["report", "--db", demo_kb, "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == f"Error: cannot write {tmp_path}: it is a folder; give a file name such as report.html\n"
    result = runner.invoke(main, ["report", "--db", demo_kb])
    assert result.exit_code == 2
    assert "Missing option '--out'" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.db"]


# -- in the browser, offline ------------------------------------------------------------------


def test_report_opens_offline_in_chromium(chromium_path, demo_kb, hostile_kb, tmp_path):
    from playwright.sync_api import sync_playwright

    demo_file, hostile_file = tmp_path / "demo.html", tmp_path / "hostile.html"
    demo_file.write_text(report_of(demo_kb), encoding="utf-8")
    hostile_file.write_text(report_of(hostile_kb), encoding="utf-8")
    requests, dialogs, errors = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
            page.on("request", lambda r: requests.append(r.url))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(demo_file.as_uri())
            assert page.title() == "newsgraph report: 13 articles, 7 outlets"
            assert page.locator("#map circle.event").count() == events_with_coordinates(demo_kb)
            box = page.locator("#map").bounding_box()
            assert box["width"] > 900 and box["height"] > 500
            core = page.locator("#map").get_attribute("viewBox")
            page.click("#map-all")
            assert page.locator("#map").get_attribute("viewBox") == page.locator("#map").get_attribute("data-view-full")
            page.click("#map-main")
            assert page.locator("#map").get_attribute("viewBox") == core
            page.locator("#stories a.cite").first.click()
            assert page.evaluate("location.hash") == "#src-5"
            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 50_000
            page.goto(hostile_file.as_uri())
            assert page.locator("#sources cite", has_text='<script>alert("title")</script> Police detain 12 in Kilis').count() == 1
            assert page.locator("#story-hostile h3").inner_text() == "Story " + MARKUP
            assert page.locator("#claim-clu-hostile .why").inner_text() == "Because " + MARKUP
            assert page.locator("img").count() == 0
            page.wait_for_timeout(200)
        finally:
            browser.close()
    assert dialogs == [] and errors == []
    assert [u for u in requests if not u.startswith("file://")] == []
