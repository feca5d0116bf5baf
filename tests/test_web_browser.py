"""The pages in headless Chromium (Debian's, through Playwright): drawing, clicking through, escaping."""
from __future__ import annotations


import pytest
from conftest import build_knowledge_base
from web_server import TOKEN, running

from newsgraph.store import open_store

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(kb):
    with running(kb, TOKEN) as client:
        yield client


@pytest.fixture(scope="module")
def browser(chromium_path):
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.errors, pg.dialogs = [], []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    pg.on("console", lambda msg: pg.errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    pg.on("dialog", lambda dialog: (pg.dialogs.append(dialog.message), dialog.dismiss()))
    yield pg
    assert pg.errors == []
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    return tmp_path_factory.mktemp("screenshots")


def url(server, path: str) -> str:
    return str(server.base_url).rstrip("/") + path


def drawn(pg) -> None:
    pg.wait_for_selector("body[data-drawn]", state="attached", timeout=15000)


EXACT = {"point", "facility", "town", "city", "district", "village", "address"}


def test_overview_draws_map_and_timeline(server, page, shots):
    data = server.get("/index.json").json()
    points = data["map"]["points"]
    exact = [p for p in points if not p.get("precision") or p["precision"] in EXACT]
    coarse = [p for p in points if p not in exact]
    page.goto(url(server, "/"))
    drawn(page)
    assert page.locator(".map .leaflet-container").count() == 1
    assert page.locator(".map .leaflet-overlay-pane path").count() >= 10 + len(coarse)  # country outlines, rings
    # clusters: single markers and cluster icons together stand for every exact point
    singles = page.locator(".map .leaflet-overlay-pane path.event:not(.coarse)").count()
    icons = page.locator(".map .marker-cluster")
    assert icons.count() >= 1
    in_clusters = sum(int(t) for t in icons.all_inner_texts())
    assert singles + in_clusters == len(exact) > 0
    assert page.locator(".map path.event.coarse").count() == len(coarse)
    assert page.locator(".map .coarse-list summary").inner_text() == (
        f"{len(coarse)} events placed only to a country or region (hollow rings)")
    types = sorted({p["type"] for p in points})
    assert page.locator(".map-legend .legend-row").all_inner_texts() == (
        [t.replace("_", " ") for t in types] + ["known only to the country or region"])
    assert "Gaziantep" in page.locator(".map .place-label").all_inner_texts()
    # timeline: one lane per event type, every dated event, the undated ones counted
    items = data["timeline"]["items"]
    lanes = sorted({i["type"] for i in items})
    assert page.locator(".timeline .vis-label .lane-label").all_inner_texts() == [t.replace("_", " ") for t in lanes]
    assert page.locator(".timeline .undated").inner_text() == (
        f"{data['timeline']['undated']} events without a date are not on the timeline: list them")
    assert page.locator(".counts li").first.inner_text() == "13 documents"
    page.screenshot(path=str(shots / "overview.png"), full_page=True)
    assert (shots / "overview.png").stat().st_size > 20000


def test_map_zooms_clusters_and_a_click_opens_the_event(server, page, shots):
    page.goto(url(server, "/"))
    drawn(page)
    zoom = page.evaluate("document.querySelector('.map').ngMap.getZoom()")
    icons = page.locator(".map .marker-cluster")
    before = icons.count()
    biggest = max(range(before), key=lambda i: int(icons.nth(i).inner_text()))
    icons.nth(biggest).click()  # a cluster zooms in to its markers
    for _ in range(50):  # (a string predicate would need eval, which the CSP forbids)
        if page.evaluate("document.querySelector('.map').ngMap.getZoom()") > zoom:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("document.querySelector('.map').ngMap.getZoom()") > zoom
    page.wait_for_timeout(600)
    page.screenshot(path=str(shots / "map-zoomed.png"))
    marker = page.locator(".map .leaflet-overlay-pane path.event:not(.coarse)").first
    marker.wait_for()
    box = marker.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/events/*")
    assert page.locator("h1").count() == 1 and "/events/" in page.url


def test_click_from_overview_to_a_claim_to_its_evidence(server, page, shots):
    page.goto(url(server, "/"))
    link = page.locator("section table.list a[href^='/claims/']").first
    href = link.get_attribute("href")
    claim = server.get(href + ".json").json()
    link.click()
    page.wait_for_url("**" + href)
    drawn(page)
    assert page.locator("h1.claim-text").inner_text() == f"“{claim['cluster']['text']}”"
    supporting = page.locator(".side.supporting ol.evidence > li")
    assert supporting.count() == len(claim["supporting"])
    assert page.locator(".side.contradicting ol.evidence > li").count() == len(claim["contradicting"])
    assert page.locator(".graph svg g.node").count() == len(claim["graph"]["nodes"])
    assert page.locator(".graph svg line.edge").count() == len(claim["graph"]["edges"])
    assert page.locator(".credibility .explanation").inner_text() == claim["credibility"]["explanation"]
    page.screenshot(path=str(shots / "claim.png"), full_page=True)
    first = claim["supporting"][0]
    marked = supporting.first.locator(".sentence mark")
    assert marked.count() == len(first["marks"])
    assert first["href"] == f"/documents/{first['document_id']}#{first['anchor']}"
    supporting.first.locator(".cite a.evidence-link").click()
    page.wait_for_url(f"**/documents/{first['document_id']}#{first['anchor']}")
    # the cited sentence is the page's target, highlighted, and links back to the claim
    target = page.locator("article.doc-text .cited:target, article.doc-text .cited:has(> a.anchor:target)")
    assert target.count() == 1
    assert first["sentence"].strip() in target.inner_text()
    assert target.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 226, 122)"
    others = page.locator("article.doc-text .cited").count()
    assert others >= 1
    page.screenshot(path=str(shots / "evidence-document.png"), full_page=True)
    back = target.locator(f".backlinks a[href='{href}']")
    assert back.count() == 1
    back.click()
    page.wait_for_url("**" + href)
    assert page.locator("h1.claim-text").inner_text() == f"“{claim['cluster']['text']}”"


def test_entity_movement_map(server, page, shots, kb):
    s = open_store(kb)
    ibrahim = next(e for e in s.iter_entities() if e["name"] == "Ibrahim El Bakraoui")
    s.close()
    data = server.get(f"/entities/{ibrahim['id']}.json").json()
    page.goto(url(server, f"/entities/{ibrahim['id']}"))
    drawn(page)
    legs = page.locator(".map path.leg")
    assert legs.count() == len(data["map"]["lines"]) == 3
    assert all(legs.nth(i).get_attribute("marker-end") == "url(#ng-arrow)" for i in range(3))  # arrows, in order
    assert page.locator(".map .seq").all_inner_texts() == ["2", "3", "4"]
    assert page.locator("ol.legs > li").count() == len(data["legs"])
    page.screenshot(path=str(shots / "entity.png"), full_page=True)


def test_search_box(server, page):
    page.goto(url(server, "/"))
    page.fill("header input[type=search]", "Gaziantep")
    page.press("header input[type=search]", "Enter")
    page.wait_for_url("**/search?q=Gaziantep")
    assert page.locator("h1").inner_text() == "Search: “Gaziantep”"
    docs = page.locator("section.hits").filter(has_text="Documents").locator("li")
    assert docs.count() == 5
    assert page.locator("section.hits mark").first.inner_text() in ("Gaziantep", "Antep")
    assert page.locator("p.expanded").inner_text() == "“Gaziantep” also searched as: Gaziantep, Antep"


def test_search_aliases_and_a_typo(server, page, shots):
    def documents(q: str) -> set[str]:
        page.goto(url(server, "/search?q=" + q))
        section = page.locator("section.hits").filter(has_text="Documents")
        return set(section.locator("li > a").evaluate_all("els => els.map(e => e.getAttribute('href'))"))

    islamic_state = documents("Islamic%20State")
    assert len(islamic_state) == 12
    assert documents("ISIS") == islamic_state
    documents("Gazientep")
    suggestion = page.locator("p.suggestion")
    assert suggestion.inner_text() == "Nothing matched “Gazientep”: showing results for Gaziantep"
    assert suggestion.locator("a").get_attribute("href") == "/search?q=Gaziantep"
    page.screenshot(path=str(shots / "search-typo.png"), full_page=True)


def test_edit_source_reliability_in_the_page(server, page):
    page.goto(url(server, "/sources/euphrates-review"))
    page.fill("input.token", TOKEN)
    page.select_option("form.edit select[name=grade]", "C")
    page.fill("form.edit input[name=basis]", "two corrections in 2017")
    page.click("form.edit button[type=submit]")
    page.wait_for_selector("form.edit .result:has-text('saved')")
    page.wait_for_load_state("load")
    page.locator(".reliability", has_text="C").wait_for()
    assert server.get("/sources/euphrates-review.json").json()["source"]["reliability"] == "C"
    page.goto(url(server, "/sources/levant-ledger"))
    page.fill("input.token", "wrong")
    page.fill("form.edit input[name=basis]", "x")
    page.click("form.edit button[type=submit]")
    result = page.locator("form.edit .result")
    result.filter(has_text="not saved").wait_for()
    assert result.inner_text() == "not saved: the token does not match the one the server was started with"


def test_script_in_an_article_renders_as_text(tmp_path, page, shots):
    doc = tmp_path / "evil.txt"
    doc.write_text(
        "Evil Gazette\n\nPolice in Gaziantep detained 3 people on 2 May 2018. "
        "<script>alert('pwned')</script> <img src=x onerror=\"alert('img')\"> "
        "<a href=\"javascript:alert('link')\">click here</a> the statement said.\n",
        encoding="utf-8")
    db = build_knowledge_base(str(tmp_path / "evil.db"), [str(doc)])
    with running(db, None) as server:
        doc_id = server.get("/documents.json").json()["items"][0]["id"]
        page.goto(url(server, f"/documents/{doc_id}"))
        drawn(page)
        text = page.locator("article.doc-text").inner_text()
        assert "<script>alert('pwned')</script>" in text
        assert "<a href=\"javascript:alert('link')\">click here</a>" in text
        assert page.locator("article.doc-text script, article.doc-text img").count() == 0
        assert page.locator("a[href^='javascript:']").count() == 0
        page.goto(url(server, "/search?q=pwned"))
        assert "<script>alert('pwned')</script>" in page.locator("section.hits").first.inner_text()
        for hit in server.get("/claims.json").json()["items"][:3]:
            page.goto(url(server, f"/claims/{hit['id']}"))
        page.screenshot(path=str(shots / "escaped.png"), full_page=True)
    assert page.dialogs == []


def test_entity_mentions_and_legs_link_to_their_sentence(server, page, shots, kb):
    s = open_store(kb)
    ibrahim = next(e for e in s.iter_entities() if e["name"] == "Ibrahim El Bakraoui")
    s.close()
    data = server.get(f"/entities/{ibrahim['id']}.json").json()
    leg = data["legs"][1]
    assert leg["href"].startswith(f"/documents/{leg['evidence']['document_id']}#c-")
    page.goto(url(server, f"/entities/{ibrahim['id']}"))
    page.locator("ol.legs > li").nth(1).locator("a.evidence-link").click()
    page.wait_for_url("**" + leg["href"])
    target = page.locator("article.doc-text :is(.cited, .sentence):is(:target, :has(> a.anchor:target))")
    assert target.count() == 1
    assert leg["evidence"]["sentence"].strip() in target.inner_text()
    page.screenshot(path=str(shots / "leg-sentence.png"))
    mention = data["mentions"]["items"][0]
    page.goto(url(server, mention["href"]))
    target = page.locator("article.doc-text :is(.cited, .sentence):is(:target, :has(> a.anchor:target))")
    assert target.count() == 1 and mention["text"] in target.inner_text()
    assert target.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 226, 122)"
