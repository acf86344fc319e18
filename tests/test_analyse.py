"""The analyse stage's fast paths (eventwire/speedups.py) give spaCy's own annotations, token for token."""

from __future__ import annotations

import pytest
import spacy

from eventwire.analyse import MODEL

# Our own sentences: contractions the attribute ruler's two-token patterns handle ("gonna", "ain't"),
# spaces, quotes, numbers, rare words the lemmatizer has not seen before in this process.
SENTENCES = [
    "The ministers ain't gonna sign the accord, officials said on Tuesday.",
    "Rebels shelled   the outskirts of the capital overnight; 14 people were wounded.\n\nPolice detained two men.",
    "\"We're wanna see results,\" the mayor told reporters, adding that talks would resume.",
    "She'd been negotiating with the unions for weeks before the strikes began.",
    "The regulator fined the lenders $3.2 billion and barred their chiefs from office.",
    "Flooding displaced thousands of villagers, who sheltered in schools and mosques.",
]


@pytest.fixture(scope="module")
def stock():
    return spacy.load(MODEL)


def _annotations(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


@pytest.mark.parametrize("text", SENTENCES)
def test_fast_components_give_spacys_annotations(nlp, stock, text):
    with nlp.select_pipes(enable=stock.pipe_names):
        ours = nlp(text)
    assert _annotations(ours) == _annotations(stock(text))


def test_fast_paths_are_in_place(nlp):
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert all(isinstance(v, frozenset) for v in index.values())
    assert nlp.get_pipe("attribute_ruler").match.__class__.__name__ == "FastAttributeMatch"
