"""Generated bad or odd inputs for ``newsgraph ingest``.

Every input is a (file name, bytes) pair built from a seeded random generator, so a run is
repeatable: ``inputs(seed, n)`` gives the same n inputs for the same seed. The cases are the
classes of trouble seen in real feeds and in attacks: broken encodings, lone surrogates, NUL
bytes, huge numbers, deep nesting, rich markup in text and names, pathological HTML (many
attributes, one huge line, deep tags), junk fields beside good ones, compression bombs and
truncated archives, and random mutations of good articles. The sentences are our own.
"""
from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable, Iterator

SENTENCES = [
    "Border police stopped a minibus carrying eleven people near the river crossing on Tuesday night.",
    "The provincial governor said the detained men had paid smugglers to reach the frontier town.",
    "Two aid workers were released after questioning, according to a statement from the ministry.",
    "Residents described hearing gunfire near the checkpoint shortly before dawn, a local reporter said.",
    "The court ordered the deportation of four foreign nationals who had entered without papers.",
    "Officials would not confirm how many people had crossed since the start of the month.",
]
NAMES = ["Ridgeline Courier", "Valley Monitor", "Известия", "الجزيرة", "新华社", "[/bold]Wire[red]", "Ελληνική Φωνή",
         "ข่าวสด", "דבר", "ⓘ Press", "🙂 news", "", "   "]
MARKUP = ["[/bold]", "[red]", "[/]", "[link=javascript:alert(1)]x[/link]", "[bold", "]]][[", "[/red]", "\\[x]"]


def article(rng: random.Random, sentences: int = 4) -> str:
    body = " ".join(rng.choice(SENTENCES) for _ in range(sentences))
    return f"{rng.choice(['Crossing closed', 'Nine detained', 'Minibus stopped'])}\n\n{body}\n"




# -- the cases: each takes a Random and returns (suffix or name, bytes) --------------------------------------------

def surrogate_json(rng):
    lone = rng.choice(["\\ud800", "\\udfff", "\\udc00x", "\\ud83d", "a\\ud800\\ud800b"])
    field = rng.choice(["text", "title", "source", "author", "url"])
    obj = {"text": article(rng), "source": "Valley Monitor"}
    raw = json.dumps(obj)
    raw = raw.replace('"source"', f'"{field}"', 1) if field != "text" else raw
    raw = raw[:-2] + lone + raw[-2:]
    return rng.choice([".json", ".jsonl"]), raw.encode()


def deep_json(rng):
    depth = rng.choice([1000, 5000, 30000, 100000])
    opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
    nested = opener * depth + "1" + closer * depth
    where = rng.randrange(4)
    if where == 0:
        data = nested
    elif where == 1:
        data = json.dumps({"text": article(rng), "title": "x"})[:-1] + ', "extra": ' + nested + "}"
    elif where == 2:
        data = json.dumps({"text": article(rng) + opener * depth})
    else:
        data = json.dumps({"html": "<html><body><p>" + article(rng) + "</p><script type=\"application/ld+json\">"
                                   + nested + "</script></body></html>"})
    return rng.choice([".json", ".jsonl"]), data.encode()


def deep_html(rng):
    depth = rng.choice([500, 5000, 50000])
    tag = rng.choice(["div", "span", "b", "table", "p"])
    body = f"<{tag}>" * depth + article(rng) + f"</{tag}>" * rng.choice([0, depth])
    return ".html", f"<html><body>{body}</body></html>".encode()


def ld_json_script(rng):
    depth = rng.choice([2000, 30000])
    script = '{"@type":"NewsArticle","author":' + "[" * depth + "]" * depth + "}"
    return ".html", (f"<html><head><script type=\"application/ld+json\">{script}</script></head>"
                     f"<body><article><p>{article(rng)}</p></article></body></html>").encode()


def many_attributes(rng):
    n = rng.choice([10_000, 50_000, 200_000])
    attrs = " ".join(f"a{i}=\"{i}\"" for i in range(n))
    return ".html", f"<html><body><div {attrs}><p>{article(rng)}</p></div></body></html>".encode()


def huge_line(rng):
    size = rng.choice([500_000, 2_000_000, 5_000_000])
    kind = rng.randrange(4)
    if kind == 0:
        body = "<p>" + ("word " * (size // 5)) + "</p>"
    elif kind == 1:
        body = "<p>" + "x" * size + "</p>"
    elif kind == 2:
        body = "".join(f"<span>{i}</span>" for i in range(size // 14))
    else:
        body = "<p>" + article(rng).replace("\n", " ") * (size // 400) + "</p>"
    return ".html", f"<html><body>{body}</body></html>".encode()


def huge_text(rng):
    size = rng.choice([300_000, 1_000_000])
    unit = rng.choice(["a" * 1000, " ", "-" * 80 + "\n", article(rng), ".", "\u200b"])
    return ".txt", (unit * (size // len(unit) + 1))[:size].encode()


def big_int_jsonl(rng):
    digits = rng.choice([4301, 10_000, 100_000])
    lines = [json.dumps({"text": article(rng)}), '{"text": "x", "n": ' + "9" * digits + "}",
             json.dumps({"text": article(rng)})]
    return ".jsonl", "\n".join(lines).encode()


def big_float_json(rng):
    value = rng.choice(["1e999999", "-1e400", "NaN", "Infinity", "1" + "0" * 5000 + ".5"])
    return ".json", ('{"text": ' + json.dumps(article(rng)) + ', "published": ' + value + "}").encode()


def nul_bytes(rng):
    kind = rng.randrange(3)
    if kind == 0:
        lines = [json.dumps({"text": article(rng)}), '{"text": "bad\x00line"}', json.dumps({"text": article(rng)})]
        return ".jsonl", "\n".join(lines).encode()
    if kind == 1:
        return ".json", json.dumps({"text": article(rng) + "\u0000 tail", "title": "a\u0000b"}).encode()
    text = article(rng)
    cut = rng.randrange(len(text))
    return rng.choice([".txt", ".html"]), (text[:cut] + "\x00" + text[cut:]).encode()


def junk_html_field(rng):
    junk = rng.choice(["null", "N/A", "<", "<html></html>", "\x01\x02", "<script>x</script>", "   <br>  "])
    return ".jsonl", (json.dumps({"html": junk, "text": article(rng)}) + "\n"
                      + json.dumps({"text": article(rng)})).encode()


def wrong_types(rng):
    value = rng.choice([[], {}, 0, 1.5, True, None, ["a", ["b"]], {"name": {"x": 1}}, [1, 2], "x" * 5000])
    field = rng.choice(["text", "html", "title", "source", "author", "published", "url", "language"])
    obj = {"text": article(rng), field: value}
    return rng.choice([".json", ".jsonl"]), json.dumps(obj).encode()


def json_shapes(rng):
    data = rng.choice(["[]", "{}", "null", "1", '"text"', "[1, 2]", "[[]]", "[{}]", '{"text": ""}', "[null]",
                       '{"text": "' + "\\\\" * 1000 + '"}', "[" * 10 + "]" * 9, '{"text": "a"' * 50])
    return rng.choice([".json", ".jsonl"]), data.encode()


def markup_text(rng):
    mark = rng.choice(MARKUP)
    kind = rng.randrange(3)
    if kind == 0:
        # a "/" in the markup makes a folder: "x[/]y.txt" is the file y.txt in the folder "x["
        return f"{mark}name{rng.choice(MARKUP)}.txt", article(rng).encode()
    if kind == 1:
        return ".jsonl", ('{"text": "' + mark + '"\n' + mark + "\n").encode()
    return ".json", json.dumps({"text": mark + " " + article(rng), "source": rng.choice(NAMES) + mark,
                                "title": mark}).encode()


def outlet_names(rng):
    return ".jsonl", "\n".join(json.dumps({"text": article(rng), "source": rng.choice(NAMES) * rng.choice([1, 40])},
                                          ensure_ascii=False) for _ in range(3)).encode()


def encodings(rng):
    text = article(rng) + " Çağlar şöyle dedi: «сегодня» مرحبا"
    enc = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "cp1252", "koi8-r", "utf-32", "latin-1", "utf-8-sig",
                      "cp1256", "gb18030", "shift_jis"])
    return rng.choice([".txt", ".html", ".json"]), text.encode(enc, errors="replace")


def random_bytes(rng):
    n = rng.choice([1, 10, 1000, 100_000])
    return rng.choice([".txt", ".html", ".json", ".jsonl", ".md"]), bytes(rng.randrange(256) for _ in range(n))


def random_unicode(rng):
    n = rng.choice([10, 1000, 20_000])
    blocks = [(0x20, 0x7E), (0x300, 0x36F), (0x400, 0x4FF), (0x600, 0x6FF), (0x4E00, 0x9FFF), (0x1F300, 0x1F6FF),
              (0x202A, 0x202E), (0xFFF0, 0xFFFF), (0xE000, 0xF8FF), (0x0, 0x1F)]
    chars = []
    for _ in range(n):
        lo, hi = rng.choice(blocks)
        chars.append(chr(rng.randint(lo, hi)))
    return rng.choice([".txt", ".html", ".json"]), "".join(chars).encode("utf-8")


def gzip_cases(rng):
    kind = rng.randrange(4)
    good = gzip.compress(article(rng).encode())
    if kind == 0:
        return ".txt.gz", good[: rng.randrange(1, len(good))]
    if kind == 1:
        return ".txt.gz", b"\x1f\x8b" + bytes(rng.randrange(256) for _ in range(200))
    if kind == 2:
        return ".jsonl.gz", gzip.compress(b"\n" * 1000 + json.dumps({"text": article(rng)}).encode())
    return ".txt.gz", gzip.compress(b"A" * rng.choice([1_000_000, 30_000_000]))


def broken_html(rng):
    pieces = ["<html", "<body>", "<p>", "</div>", "<!--", "-->", "<![CDATA[", "]]>", "<script>", "</script>", "<style>",
              "&#x110000;", "&#0;", "&#xD800;", "&nbsp", "&amp;amp;", "<meta charset=\"x-unknown\">", "<base href=\"javascript:\">",
              "<a href=\"" + "x" * 10000 + "\">", "<svg><foreignObject>", "<math><mi>", "<table><tr><td>", "\x00",
              "<p title=\"[/bold]\">", "<title>" + rng.choice(MARKUP) + "</title>", "<?xml version=\"1.0\"?>",
              "<!DOCTYPE html>", "<meta property=\"og:site_name\" content=\"" + rng.choice(NAMES) + "\">"]
    body = "".join(rng.choice(pieces + [article(rng)]) for _ in range(rng.randrange(3, 60)))
    return ".html", body.encode("utf-8", "surrogatepass")


def mutated(rng):
    base = bytearray(article(rng, 6).encode())
    for _ in range(rng.randrange(1, 30)):
        op = rng.randrange(3)
        at = rng.randrange(len(base))
        if op == 0:
            base[at] = rng.randrange(256)
        elif op == 1:
            del base[at]
        else:
            base[at:at] = bytes([rng.randrange(256)])
    return rng.choice([".txt", ".html", ".md"]), bytes(base)


def repeated_sentence(rng):
    sentence = rng.choice(SENTENCES) + " "
    return ".txt", ("Repeated\n\n" + sentence * rng.choice([200, 2000])).encode()


def long_words(rng):
    return ".txt", ("Title\n\n" + " ".join("x" * rng.choice([1000, 50000]) for _ in range(5)) + ".").encode()


def control_text(rng):
    text = article(rng)
    ctrl = "".join(chr(rng.choice([1, 7, 8, 11, 12, 27, 127, 0x85, 0x2028, 0x2029, 0xFEFF])) for _ in range(20))
    cut = rng.randrange(len(text))
    mixed = text[:cut] + ctrl + text[cut:]
    if rng.random() < 0.5:
        return ".txt", mixed.encode()
    return ".json", json.dumps({"text": mixed}).encode()


CASES: dict[str, Callable[[random.Random], tuple[str, bytes]]] = {
    f.__name__: f for f in [
        surrogate_json, deep_json, deep_html, ld_json_script, many_attributes, huge_line, huge_text, big_int_jsonl,
        big_float_json, nul_bytes, junk_html_field, wrong_types, json_shapes, markup_text, outlet_names, encodings,
        random_bytes, random_unicode, gzip_cases, broken_html, mutated, repeated_sentence, long_words, control_text,
    ]
}
# Costly cases (large inputs) are drawn less often, so that a CI run stays short.
WEIGHTS = {"many_attributes": 0.2, "huge_line": 0.1, "huge_text": 0.2, "deep_html": 0.5, "gzip_cases": 0.5,
           "repeated_sentence": 0.3, "long_words": 0.5}


def inputs(seed: int, n: int) -> Iterator[tuple[str, str, bytes]]:
    """n generated inputs: (case name, file name, content)."""
    rng = random.Random(seed)
    names = sorted(CASES)
    weights = [WEIGHTS.get(name, 1.0) for name in names]
    for i in range(n):
        case = rng.choices(names, weights)[0]
        name, data = CASES[case](rng)
        if name.startswith("."):
            name = f"in{i:06d}{name}"
        else:
            name = f"in{i:06d}-{name}"
        yield case, name, data


def good_articles(rng: random.Random, n: int) -> list[tuple[str, bytes]]:
    """n good articles with distinct text (for batch tests), as plain text and JSON Lines files."""
    out = []
    for i in range(n):
        text = f"Report {i} {rng.random():.12f}\n\n" + " ".join(rng.sample(SENTENCES, 4))
        if i % 2:
            out.append((f"good{i:04d}.jsonl", json.dumps({"text": text, "source": "Valley Monitor"}).encode()))
        else:
            out.append((f"good{i:04d}.txt", text.encode()))
    return out
