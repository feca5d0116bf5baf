"""The web checks of issue 15 against a real server (and headless Chromium for /docs): each
prints pass/fail (run with -s to see the table); every one must pass."""
from __future__ import annotations

import base64
import subprocess
import sys
import time

import pytest
from web_server import TOKEN, free_port, running

from newsgraph.web.security import CSP

CHECKS: dict[str, bool] = {}


def check(name: str, ok: bool) -> None:
    CHECKS[name] = bool(ok)
    print(f"web check {'pass' if ok else 'FAIL'}: {name}")
    assert ok, name


@pytest.fixture(scope="module")
def api(kb):
    with running(kb, TOKEN) as client:
        yield client


def test_only_the_bound_host_names_are_answered(api, kb):
    rebound = api.get("/index.json", headers={"Host": "attacker.example"})
    check("Host: attacker.example gets 400, not the knowledge base",
          rebound.status_code == 400 and "attacker.example" in rebound.text and "documents" not in rebound.text)
    check("Host: attacker.example:8000 gets 400", api.get("/", headers={"Host": "attacker.example:8000"}).status_code == 400)
    check("Host: localhost is answered", api.get("/index.json", headers={"Host": "localhost"}).status_code == 200)
    check("the bound address is answered", api.get("/index.json").status_code == 200)
    with running(kb, None, allowed_hosts=("kb.example.org",)) as other:
        check("an --allowed-host is answered",
              other.get("/index.json", headers={"Host": "kb.example.org:8000"}).status_code == 200)
        check("other names still get 400", other.get("/", headers={"Host": "attacker.example"}).status_code == 400)


def test_heavy_requests_get_a_clear_400(api):
    for size in (8000, 2800):
        started = time.monotonic()
        r = api.get("/search.json", params={"q": "raid " * (size // 5)})
        check(f"a search of {size} characters is refused at once",
              r.status_code == 400 and r.json()["detail"] == f"the query is {size:,} characters long; at most 500 "
              "are searched" and time.monotonic() - started < 5)
    words = api.get("/search.json", params={"q": " ".join(["x"] * 40)})
    check("a search of 40 words is refused", words.status_code == 400 and "at most 32 are searched" in words.text)
    huge = api.get("/events.json?offset=9223372036854775808")
    check("offset=9223372036854775808 is a 400", huge.status_code == 400 and huge.json()["detail"] ==
          "bad request: offset: Input should be less than or equal to 1000000 (got 9223372036854775808)")
    check("limit=100000 is a 400", api.get("/events.json?limit=100000").status_code == 400)
    check("a negative offset is a 400", api.get("/claims.json?offset=-1").status_code == 400)
    page = api.get("/events?offset=99999999999", headers={"Accept": "text/html"})
    check("an HTML page with a bad offset is a 400 page", page.status_code == 400 and "<html" in page.text)


def test_a_query_stops_at_its_time_limit(kb):
    from newsgraph.store import open_store
    from newsgraph.store.views import TimeLimit, install_time_limits, time_limit

    store = open_store(kb, create=False)
    try:
        install_time_limits(store, 10)
        import sqlalchemy as sa

        started = time.monotonic()
        with pytest.raises(TimeLimit, match="stopped after 0.2 s"):
            with time_limit(0.2), store.engine.connect() as conn:
                conn.execute(sa.text("WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
                                     "WHERE n < 1000000000) SELECT count(*) FROM c")).scalar()
        check("a runaway query is stopped at its time limit", time.monotonic() - started < 5)
        with store.engine.connect() as conn:
            check("the next query runs", conn.execute(sa.text("SELECT 1")).scalar() == 1)
    finally:
        store.close()


def test_security_headers_on_every_page(api):
    for path in ("/", "/events", "/claims", "/search?q=Gaziantep", "/docs", "/nowhere", "/index.json", "/events.csv"):
        r = api.get(path)
        h = r.headers
        check(f"security headers on {path}", h.get("content-security-policy") == CSP
              and h.get("x-content-type-options") == "nosniff" and h.get("x-frame-options") == "DENY"
              and h.get("referrer-policy") == "no-referrer")
    check("the CSP allows only the package's own scripts and styles",
          "script-src 'self';" in CSP and "style-src 'self' 'sha256-" in CSP and "unsafe" not in CSP
          and "http" not in CSP)


def test_read_token_when_asked_for(kb):
    with running(kb, None, read_token="read-me") as client:
        check("without the read token: 401", client.get("/index.json").status_code == 401)
        check("a wrong read token: 401",
              client.get("/index.json", headers={"Authorization": "Bearer nope"}).status_code == 401)
        check("Bearer read token: 200",
              client.get("/index.json", headers={"Authorization": "Bearer read-me"}).status_code == 200)
        basic = base64.b64encode(b"analyst:read-me").decode()
        check("HTTP Basic with the token as password: 200",
              client.get("/", headers={"Authorization": f"Basic {basic}"}).status_code == 200)


def test_serving_beyond_loopback_warns(kb):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "newsgraph.cli", "serve", "--db", kb, "--host", "0.0.0.0",
                             "--port", str(port)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        lines = [proc.stderr.readline() for _ in range(2)]
    finally:
        proc.terminate()
        proc.wait(10)
    text = " ".join(" ".join(lines).split())
    check("serve --host 0.0.0.0 without a read token warns",
          text.startswith("warning: serving on 0.0.0.0 without --read-token: anyone who can reach this machine "
                          f"on port {port} can read the whole knowledge base."))


def test_csv_twins_escape_formulas(api):
    from newsgraph.web.app import csv_text

    text = csv_text([{"id": "e1", "note": '=HYPERLINK("http://x.example","go")', "lon": -3.5, "who": "@me"}])
    check("CSV twin cells beginning with = + - @ are escaped",
          text == 'id,note,lon,who\ne1,"\'=HYPERLINK(""http://x.example"",""go"")",-3.5,\'@me\n')
    r = api.get("/events.csv")
    check("/events.csv is CSV", r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8")


def test_swagger_ui_offline(api, chromium_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    html = api.get("/docs").text
    check("/docs names only the package's own scripts",
          'src="/static/vendor/swagger-ui-dist/swagger-ui-bundle.js"' in html and "http" not in html.split("<body>")[1])
    base = str(api.base_url).rstrip("/")
    outside: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
        page.on("request", lambda req: outside.append(req.url) if not req.url.startswith(base) else None)
        page.goto(base + "/docs")
        page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
        operations = page.locator(".swagger-ui .opblock").count()
        browser.close()
    check("Swagger UI draws the API offline, under the CSP",
          operations > 10 and outside == [] and errors == [])
