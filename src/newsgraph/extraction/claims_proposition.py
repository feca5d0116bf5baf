"""Whether a clause makes a proposition, and the proposition's wording (for extraction/claims.py).

A claim is a proposition: a subject that names something, a predicate and its slots, from a full
clause of a prose sentence. Never claims:

* sentences that are not prose: a line of page furniture or a list of other stories' headlines
  (a sentence running over a line break, or without final punctuation), questions;
* clauses that are not asserted: "if …", "whether …", indirect questions and relative adverbs
  ("how the Asayish came", "where he pledged allegiance"), imperatives (no subject, active voice);
* relative clauses whose relative pronoun is not the subject ("which most residents call Antep");
* subjects that name nothing: a pronoun not resolved to an entity of the document ("when it
  deported him", "we took into custody" outside a quotation with a speaker), a partitive of a
  pronoun ("several of them"), an indefinite pronoun or a bare quantifier ("everyone", "Several
  dozen"), a verb form tagged as a noun phrase;
* elliptical clauses: a light verb without complement ("The people have not").

``proposition_problem`` says why a clause is not a claim (None when it is); ``proposition_text``
gives the wording: an asserting subordinator is dropped ("when security forces detained …" ->
"security forces detained …") and a relative clause takes its antecedent as subject ("who served
with the Islamic State" -> "foreign fighters served with the Islamic State"). The word lists are
data: [claims.proposition] in attribution_cues.toml.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span, Token

from newsgraph.extraction.events_syntax import RELATIVE, is_verb

NOUN_POS = {"NOUN", "PROPN"}
FINAL = (".", "!", "\"", "”", "'", "’", ")", "»", ":", ";")


@lru_cache(maxsize=1)
def proposition_cues() -> dict:
    data = tomllib.loads(resources.files("newsgraph.data").joinpath("attribution_cues.toml").read_text("utf-8"))
    p = data["claims"]["proposition"]
    return {k: frozenset(v) for k, v in p.items()}


def sentence_problem(sent: Span) -> str | None:
    """Why a sentence cannot hold claims: not prose (furniture, a headline list) or a question."""
    text = sent.text.strip()
    if "\n" in text:
        return "the sentence runs over a line break (page furniture or a list of headlines)"
    if text.endswith("?"):
        return "a question"
    if not text.endswith(FINAL):
        return "no final punctuation (a headline or a line of page furniture)"
    return None


def _marks(head: Token) -> list[Token]:
    return [c for c in head.children if c.dep_ in ("mark", "advmod") and c.i < head.i
            and (c.dep_ == "mark" or c.lower_ in proposition_cues()["wh_words"])]


def _partitive_of(tok: Token) -> Token | None:
    """"nine of the detainees" -> "detainees"; "several of them" -> "them"."""
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            return next((g for g in prep.children if g.dep_ == "pobj"), None)
    return None


def subject_problem(tok: Token | None, mention: dict | None) -> str | None:
    """Why the subject phrase headed by ``tok`` names nothing (None when it names something)."""
    cues = proposition_cues()
    if tok is None or mention is None or mention.get("text") is None:
        return None
    if mention.get("canonical"):
        return None  # an entity, or a pronoun resolved to one
    low = tok.lower_
    if low in cues["pronouns"] or tok.pos_ == "PRON" and low not in cues["indefinite"]:
        return f"the subject “{tok.text}” is a pronoun not resolved to an entity"
    part = _partitive_of(tok)
    if part is not None and part.lower_ in cues["pronouns"] and not any(
            c.dep_ in ("nummod", "amod", "compound") for c in part.children):  # "most of those 15" names a group
        return f"the subject “{mention['text']}” is a part of a pronoun not resolved to an entity"
    if low in cues["indefinite"] and (part is None or part.pos_ not in NOUN_POS):
        if not any(c.dep_ in ("amod", "compound") or (c.pos_ in NOUN_POS and c.dep_ != "prep") for c in tok.children):
            return f"the subject “{mention['text']}” names no one"
    if tok.pos_ not in NOUN_POS | {"NUM", "PRON", "DET", "ADJ", "X"} and part is None:
        return f"the subject “{mention['text']}” is not a noun phrase"
    if tok.pos_ in ("NUM", "ADJ", "DET") and part is None and not any(c.pos_ in NOUN_POS for c in tok.children):
        return f"the subject “{mention['text']}” is a bare number or quantifier"
    return None


def clause_problem(clause, subject: dict, obj: dict | None) -> str | None:
    """Why ``clause`` (claims_syntax.Clause) is not a proposition; None when it is one."""
    cues = proposition_cues()
    head, pred = clause.head, clause.predicate
    for m in _marks(head):
        word = m.lower_
        if word in cues["non_asserting_marks"]:
            return f"not asserted (“{m.text} …”)"
        if word in cues["wh_words"] and word not in cues["asserting_marks"]:
            return f"an indirect question or relative adverb (“{m.text} …”)"
    for c in head.children:  # "in which provinces …", "how many of the suspects would be …"
        if c.i > head.i:
            break
        first = min(c.subtree, key=lambda t: t.i)
        word = first.lower_
        relative_subject = c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in RELATIVE and head.dep_ == "relcl"
        if word in cues["wh_words"] and word not in cues["asserting_marks"] and not relative_subject:
            return f"an indirect question or relative clause (“{first.text} …”)"
    for c in head.children:  # "If the crossing closes, trade will stop": the consequence of a condition
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in cues["non_asserting_marks"] for m in c.children):
            return "the consequence of a condition (“if …”)"
    if head.dep_ == "advcl" and head.tag_ in ("VBG", "VBN") and not any(
            c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "mark") for c in head.children):
        return "a participle modifier without its own subject (“trying to cross …”): its subject is not known"
    if head.dep_ == "relcl":
        subj_rel = any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in RELATIVE for c in head.children)
        if not subj_rel:
            return "a relative clause whose relative word is not its subject"
        if any(c.dep_ in ("advmod",) and c.lower_ in cues["wh_words"] for c in head.children):
            return "a relative adverb clause"
    if subject.get("text") is None and not clause.passive:
        return "no subject (an imperative or a fragment)"
    checks = [(clause.subject, obj if clause.passive else subject)]
    if clause.passive and clause.agent is not None:
        checks.append((clause.agent, subject))  # "Some were accompanied by …": the patient names no one
    for tok, mention in checks:
        problem = subject_problem(tok, mention)
        if problem:
            return problem
    if clause.passive and clause.agent is None and (obj is None or obj.get("text") is None):
        return "a passive clause without its patient"
    if clause.lemma in cues["light_verbs"] and obj is None and not any(
            c.dep_ in ("prep", "acomp", "attr", "xcomp", "ccomp", "dobj", "advmod", "npadvmod") for c in pred.children):
        return f"an elliptical clause (“{pred.text}” without a complement)"
    if not is_verb(pred):
        return "no verb"
    return None


def proposition_text(ctx_text: str, clause, own: list[Token], subject: dict) -> tuple[str, int, int]:
    """The claim's wording and its span: without a leading subordinator, for a relative clause
    with its antecedent in place of the relative pronoun, and for a conjoined clause with the
    subject it shares. ``subject`` is the clause's grammatical subject (the patient of a passive
    clause without agent)."""
    toks = list(own)
    cues = proposition_cues()
    while toks and (toks[0].lower_ in cues["asserting_marks"] and toks[0].dep_ not in ("nsubj", "nsubjpass")
                    and toks[0] is not clause.head or toks[0].is_punct):
        toks.pop(0)
    if not toks:
        toks = list(own)
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
    text = ctx_text[start:end]
    if clause.head.dep_ == "relcl" and toks[0].lower_ in RELATIVE and subject.get("text"):
        rest = ctx_text[toks[1].idx:end] if len(toks) > 1 else ""
        return f"{subject['text']} {rest}".strip(), start, end
    if subject.get("start") is not None and not start <= subject["start"] < end and subject.get("text"):
        # a conjoined clause sharing its subject: "… and searched 14 addresses" -> "Officers searched …"
        return f"{subject['text']} {text}", start, end
    return text, start, end
