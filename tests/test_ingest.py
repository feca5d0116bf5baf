"""Ingest: formats, metadata, bad input, idempotence and interrupted runs."""
from __future__ import annotations

import gzip
import json
import os
import random

import pytest
import sqlalchemy as sa

from newsgraph.pipeline.ingest import ingest
from newsgraph.pipeline.prepare import content_id

ARTICLE = (
    "Border guards detain nine near Akcakale\n\n"
    "By Jane Doe\n\n"
    "Frontier Dispatch, October 5, 2017\n\n"
    "Turkish border guards detained nine people who tried to cross from Syria near Akcakale on Wednesday, "
    "the governor's office said. Four of them were foreign nationals, the statement added.\n\n"
    "Share this article\n"
)


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def reasons(report):
    return {os.path.basename(origin): reason for origin, reason in report.failed}


def test_text_file_metadata_and_clean_text(tmp_path, store):
    path = write(tmp_path / "a.txt", ARTICLE)
    report = ingest([str(path)], store)
    assert report.ok and len(report.added) == 1
    doc = store.get_document(report.added[0])
    assert doc["id"] == content_id(ARTICLE)
    assert doc["title"] == "Border guards detain nine near Akcakale"
    assert doc["author"] == "Jane Doe"
    assert doc["source"] == "Frontier Dispatch"
    assert doc["published"] == {"value": "2017-10-05", "precision": "day"}
    assert doc["language"] == "en"
    assert doc["url"] == str(path)
    assert doc["text"].startswith("Turkish border guards detained nine people")
    assert "Share this article" not in doc["text"]
    assert {r["kind"] for r in doc["removed"]} == {"title", "byline", "dateline", "navigation"}


def test_jsonl_fields_win_and_dates_keep_precision(tmp_path, store):
    lines = [
        {"text": "Police in Gaziantep detained 27 people suspected of links to the Islamic State, officials said.",
         "url": "https://levant-ledger.example/raid", "title": "Raid", "source": "Levant Ledger",
         "author": "Hannah Mercer", "published": "2017-10-03T08:00:00Z"},
        {"text": "Officials said the border crossing at Akcakale would stay closed for the rest of the year.",
         "source": "Anatolia Wire", "published": "2017-11"},
        {"text": "Smugglers charged two thousand dollars a person for the crossing, residents told reporters.",
         "published": "sometime last year"},
    ]
    path = write(tmp_path / "batch.jsonl", "\n".join(json.dumps(x) for x in lines))
    report = ingest([str(path)], store)
    assert report.ok and len(report.added) == 3
    docs = {d["origin"].rsplit(":", 1)[1]: d for d in store.iter_documents()}
    assert docs["1"]["published"] == {"value": "2017-10-03", "precision": "day"}
    assert docs["1"]["url"] == "https://levant-ledger.example/raid"
    assert docs["1"]["source"] == "Levant Ledger" and docs["1"]["author"] == "Hannah Mercer"
    assert docs["2"]["published"] == {"value": "2017-11", "precision": "month"}
    assert docs["3"]["published"] == {"value": None, "precision": None}
    assert docs["3"]["notes"] == ["published date 'sometime last year' not understood; left unknown"]


def test_a_date_that_cannot_be_found_stays_unknown(tmp_path, store):
    path = write(tmp_path / "undated.txt", "Smugglers moved the group at night, witnesses said later that week.\n")
    report = ingest([str(path)], store)
    doc = store.get_document(report.added[0])
    assert doc["published"] == {"value": None, "precision": None}


def test_gzip_json_array_and_folder_recursion(tmp_path, store):
    sub = tmp_path / "nested" / "deeper"
    sub.mkdir(parents=True)
    with gzip.open(sub / "one.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write(ARTICLE)
    write(tmp_path / "nested" / "two.json", json.dumps([
        {"text": "First article of the array: police detained four people in Sanliurfa on Monday."},
        {"text": "Second article of the array: smugglers asked fifty dollars per trip from Tall Tamr."},
    ]))
    write(tmp_path / "notes.pdf", "not an article")
    report = ingest([str(tmp_path)], store)
    assert len(report.added) == 3
    assert report.skipped == [(str(tmp_path / "notes.pdf"),
                               "not an article file type (.txt, .html, .json, .jsonl, or .gz of them)")]
    assert report.ok


def test_ingesting_twice_changes_nothing(tmp_path, store):
    path = write(tmp_path / "a.txt", ARTICLE)
    first = ingest([str(path)], store)
    before = store.stats()
    second = ingest([str(path), str(path)], store)
    assert second.added == [] and second.present == first.added * 2
    assert store.stats() == before


def test_bad_inputs_fail_alone_with_clear_reasons(tmp_path, store, monkeypatch):
    write(tmp_path / "good.txt", ARTICLE)
    write(tmp_path / "empty.txt", "  \n\n ")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "latin.json").write_bytes('{"text": "Caf\xe9 owners in Antep said police came."}'.encode("latin-1"))
    (tmp_path / "garbage.txt").write_bytes(random.Random(7).randbytes(3000).replace(b"\x00", b"\x01"))
    (tmp_path / "broken.txt.gz").write_bytes(b"\x1f\x8b\x08\x00 definitely not gzip")
    (tmp_path / "dir.txt").mkdir()
    (tmp_path / "dir.txt" / "inner.txt").write_text(ARTICLE.replace("nine", "eight"), encoding="utf-8")
    write(tmp_path / "big.txt", "word " * 3000)
    write(tmp_path / "lines.jsonl", '{"text": "Police detained three people in Kilis on Friday, officials said."}\n'
                                    '{"text": "unterminated\n'
                                    '{"title": "no text here"}\n'
                                    '{"text": "Smugglers asked two thousand dollars per person at the border."}\n')
    monkeypatch.setenv("NEWSGRAPH_MAX_FILE_BYTES", "10000")
    before = store.stats()["documents"]
    report = ingest([str(tmp_path), str(tmp_path / "missing.txt")], store)
    got = reasons(report)
    assert got == {
        "empty.txt": "empty file: nothing to read",
        "binary.txt": "binary file, not text (it contains NUL bytes)",
        "latin.json": "not valid UTF-8 (byte 13); JSON input must be UTF-8",
        "garbage.txt": "not valid UTF-8 and its encoding could not be recognised; convert it to UTF-8",
        "broken.txt.gz": got["broken.txt.gz"],
        "big.txt": "file is larger than the limit of 0 MB (set NEWSGRAPH_MAX_FILE_BYTES to raise it)",
        "lines.jsonl:2": "malformed JSON on line 2, column 10: Unterminated string starting at",
        "lines.jsonl:3": "no article text: expected a non-empty 'text' or 'html' field",
        "missing.txt": "no such file or folder",
    }
    assert got["broken.txt.gz"].startswith("corrupt gzip file")
    # the good ones went in: good.txt, dir.txt/inner.txt, and lines 1 and 4 of lines.jsonl
    assert len(report.added) == 4
    assert store.stats()["documents"] == before + 4
    assert not report.ok


def test_windows_1252_text_is_decoded_with_a_note(tmp_path, store):
    text = "Caf\xe9 owners in Antep said the police came at dawn and detained the na\xefve courier \u2013 twice."
    (tmp_path / "cp.txt").write_bytes(text.encode("cp1252"))
    report = ingest([str(tmp_path / "cp.txt")], store)
    doc = store.get_document(report.added[0])
    assert "Café owners in Antep" in doc["text"]
    assert doc["notes"][0].startswith("decoded as ")


def test_dangling_link_is_reported(tmp_path, store):
    os.symlink(tmp_path / "nothing-here.txt", tmp_path / "dangling.txt")
    report = ingest([str(tmp_path / "dangling.txt")], store)
    assert reasons(report) == {"dangling.txt": "no such file or folder"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_permission_denied(tmp_path, store):
    path = write(tmp_path / "secret.txt", ARTICLE)
    path.chmod(0)
    report = ingest([str(path)], store)
    assert reasons(report) == {"secret.txt": "cannot read: permission denied"}


def test_article_over_the_article_limit_fails_alone(tmp_path, store, monkeypatch):
    monkeypatch.setenv("NEWSGRAPH_MAX_ARTICLE_BYTES", str(2 * 1024 * 1024))
    write(tmp_path / "huge.txt", ("Police detained people in Antep. " * 80000))
    write(tmp_path / "small.txt", ARTICLE)
    report = ingest([str(tmp_path)], store)
    assert reasons(report) == {"huge.txt": "article is 2 MB, over the limit of 2 MB (set NEWSGRAPH_MAX_ARTICLE_BYTES to raise it)"}
    assert len(report.added) == 1


def test_other_language_is_detected_and_noted(tmp_path, store):
    text = ("Şanlıurfa'nın Ceylanpınar ilçesinde sınırı yasa dışı yollarla geçmeye çalışan dokuz kişi "
            "jandarma ekiplerince yakalandı. Valilik açıklamasına göre yakalananların dördü yabancı uyruklu.")
    report = ingest([str(write(tmp_path / "tr.txt", text))], store)
    doc = store.get_document(report.added[0])
    assert doc["language"] == "tr"
    assert doc["notes"] == ["language 'tr' detected: stored, not run through the English models"]


def test_near_duplicates_are_linked_not_dropped(tmp_path, store):
    body = (
        "Turkish police detained 27 people suspected of working for the Islamic State in raids in Gaziantep "
        "on October 2, the police department said. Officers searched fourteen addresses before dawn and "
        "seized phones, forged identity cards and hard drives. Nine of the detainees were foreign nationals, "
        "according to the governor's office, among them citizens of Iraq, Azerbaijan and Russia. "
        "Prosecutors are expected to question the group over the coming days."
    )
    write(tmp_path / "a.txt", "Raid in Gaziantep\n\n" + body)
    write(tmp_path / "b.txt", "Gaziantep raid nets 27\n\n" + body.replace("before dawn", "shortly before sunrise"))
    write(tmp_path / "c.txt", "Unrelated\n\nThe weather in Izmir was sunny and warm all week, with light winds from the sea.")
    report = ingest([str(tmp_path)], store)
    assert len(report.added) == 3
    assert len(report.near_duplicates) == 1
    a, b = content_id("Raid in Gaziantep\n\n" + body), report.near_duplicates[0][0]
    assert report.near_duplicates[0][1] == a
    assert store.get_document(a)["near_duplicates"][0]["id"] == b
    assert report.near_duplicates[0][2] >= 0.5


def test_interrupted_ingest_keeps_what_was_stored_and_rerun_finishes(tmp_path, store):
    for n in range(6):
        write(tmp_path / f"{n}.txt", ARTICLE.replace("nine", f"{n + 10} (case {n})"))
    seen = []

    def stop_after_three(name):
        seen.append(name)
        if len(seen) == 3:
            raise KeyboardInterrupt

    report = ingest([str(tmp_path)], store, on_file=stop_after_three)
    assert report.interrupted and not report.ok
    assert store.stats()["documents"] == 3
    again = ingest([str(tmp_path)], store)
    assert len(again.added) == 3 and len(again.present) == 3
    assert store.stats()["documents"] == 6
    assert store.stats()["removed_spans"] == 6 * 4


def test_crash_inside_a_document_write_rolls_it_back(tmp_path, store):
    write(tmp_path / "a.txt", ARTICLE)
    write(tmp_path / "b.txt", ARTICLE.replace("nine", "ten"))
    calls = {"n": 0}

    def crash_on_removed_spans(conn, cursor, statement, parameters, context, executemany):
        if "removed_spans" in statement and statement.lstrip().upper().startswith("INSERT"):
            calls["n"] += 1
            if calls["n"] == 2:
                raise KeyboardInterrupt  # Ctrl-C in the middle of the second document's transaction

    sa.event.listen(store.engine, "before_cursor_execute", crash_on_removed_spans)
    report = ingest([str(tmp_path)], store)
    sa.event.remove(store.engine, "before_cursor_execute", crash_on_removed_spans)
    assert report.interrupted
    assert store.stats()["documents"] == 1
    stored = next(store.iter_documents())
    assert len(stored["removed"]) == 4  # the first document is whole
    again = ingest([str(tmp_path)], store)
    assert len(again.added) == 1 and store.stats()["documents"] == 2


def test_turkish_demo_article_keeps_its_outlet_date_and_title(store, demo_corpus):
    report = ingest([str(demo_corpus / "10_anatolia_wire_ceylanpinar_sinir_tr.txt")], store)
    doc = store.get_document(report.added[0])
    assert doc["source"] == "Anatolia Wire"
    assert doc["published"] == {"value": "2017-11-28", "precision": "day"}
    assert doc["title"] == "Ceylanpınar'da sınırı geçmeye çalışan 9 kişi yakalandı"
    assert doc["text"].startswith("Şanlıurfa'nın Ceylanpınar ilçesinde")
    assert [r["kind"] for r in doc["removed"]][:3] == ["masthead", "navigation", "title"]


# -- hostile and odd inputs (issue 15): each fails alone with a reason, or is stored with a note --


def test_lone_surrogates_and_nul_characters_are_replaced_with_a_note(tmp_path, store):
    path = tmp_path / "odd.jsonl"
    path.write_text('{"text": "Police detained four men near Kilis on Monday, officials said \\ud800.", '
                    '"source": "Valley \\u0000Monitor"}\n', encoding="utf-8")
    report = ingest([str(path)], store)
    assert report.ok and len(report.added) == 1
    doc = store.get_document(report.added[0])
    assert doc["text"].endswith("officials said \ufffd.")
    assert doc["source"] == "Valley \ufffdMonitor"
    assert doc["notes"] == ["2 invalid characters (lone surrogate or NUL) in the JSON fields replaced with U+FFFD"]


def test_deep_json_big_integers_and_a_nul_line_fail_alone(tmp_path, store):
    good = '{"text": "Smugglers charged two thousand dollars a person for the crossing, residents said."}'
    lines = [
        '{"text": "x", "extra": ' + "[" * 5000 + "]" * 5000 + "}",
        '{"text": "Border guards stopped a truck with nine people near Akcakale, the governor said.", "n": '
        + "9" * 5000 + "}",
        '{"text": "bad\x00line"}',
        good,
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    report = ingest([str(path)], store)
    assert reasons(report) == {
        "mixed.jsonl:1": "line 1: JSON nested 5001 levels deep, over the limit of 100 (set NEWSGRAPH_MAX_JSON_DEPTH "
                         "to raise it)",
        "mixed.jsonl:3": "malformed JSON on line 3, column 14: Invalid control character at",
    }
    assert len(report.added) == 2  # the line with a 5,000-digit number is kept, and the good line after it


def test_a_deep_json_file_gets_one_reason(tmp_path, store):
    path = tmp_path / "deep.json"
    path.write_text("{\n" + '"a": [' * 3000 + "]" * 3000 + "\n}", encoding="utf-8")
    report = ingest([str(path)], store)
    assert reasons(report) == {"deep.json": "JSON nested 3001 levels deep, over the limit of 100 "
                                            "(set NEWSGRAPH_MAX_JSON_DEPTH to raise it)"}


def test_a_junk_html_field_falls_back_to_the_text_field(tmp_path, store):
    text = "Police in Gaziantep detained 27 people suspected of links to the group, officials said."
    path = tmp_path / "junk.jsonl"
    path.write_text(json.dumps({"html": "<html></html>", "text": text}), encoding="utf-8")
    report = ingest([str(path)], store)
    assert report.ok and len(report.added) == 1
    doc = store.get_document(report.added[0])
    assert doc["text"] == text and doc["input_format"] == "text"
    assert doc["notes"] == ["the html field was not used (no article text found in the HTML page); "
                            "read the text field"]


def test_a_page_that_takes_too_long_is_skipped_with_a_reason(tmp_path, store, monkeypatch):
    monkeypatch.setenv("NEWSGRAPH_MAX_PREPARE_SECONDS", "0.3")
    html = "<html><body>" + "".join(f"<div><span>{i}</span></div>" for i in range(60000)) + "</body></html>"
    (tmp_path / "slow.html").write_text(html, encoding="utf-8")
    write(tmp_path / "good.txt", ARTICLE)
    report = ingest([str(tmp_path)], store)
    assert reasons(report) == {"slow.html": "cleaning took longer than 0.3 s (a pathological page); skipped "
                                            "(set NEWSGRAPH_MAX_PREPARE_SECONDS to raise the limit)"}
    assert len(report.added) == 1


def test_a_tag_with_many_attributes_is_read_quickly(tmp_path, store):
    attributes = " ".join(f'data-a{i}="{i}"' for i in range(100_000))
    (tmp_path / "attrs.html").write_text(f"<html><body><article {attributes}><p>{ARTICLE}</p></article></body></html>",
                                         encoding="utf-8")
    report = ingest([str(tmp_path)], store)  # no time limit needed: the extra attributes are dropped
    assert report.ok and len(report.added) == 1


def test_outlets_in_any_script_get_their_own_source(tmp_path, store):
    names = ["Известия", "الجزيرة", "新华社", "ข่าวสด", "Hürriyet", "Hurriyet", "A" * 70 + " One", "A" * 70 + " Two"]
    lines = [json.dumps({"text": f"Officials said {n} people crossed the border on day {i}.", "source": name},
                        ensure_ascii=False) for i, (n, name) in enumerate(zip(range(10, 99, 11), names))]
    write(tmp_path / "outlets.jsonl", "\n".join(lines))
    assert ingest([str(tmp_path)], store).ok
    ids = {s["name"]: s["id"] for s in store.iter_sources()}
    assert ids["Известия"].startswith("izvestiya-") and ids["新华社"].startswith("xinhuashe-")
    assert ids["Hürriyet"] == "hurriyet" and "Hurriyet" not in ids  # accents fold: one outlet
    assert len(set(ids.values())) == len(ids) == 7
    assert all(len(i) <= 64 for i in ids.values())
