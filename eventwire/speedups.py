"""Faster, output-identical versions of two of spaCy's rule components (issue 11).

Profiled on news of ~650 tokens, en_core_web_sm's two rule components cost as much as the parser:
- the lemmatizer tests `form in index` against the model's lemma index, a *list* of ~20,000
  words per part of speech, for every word it has not seen with that tag: the index becomes a
  frozenset (the same membership answers, in constant time);
- the attribute ruler runs a `Matcher` of ~180 patterns over every token, ~1,000 matches per
  article. Almost all of its patterns are one token long and test only TAG, LOWER, DEP and
  IS_SPACE, so which of them match a token is a function of those four values: computed once per
  distinct tuple and cached. The few longer patterns keep a small Matcher of their own. The
  matches are sorted and applied by spaCy's own `set_annotations`, so the result is the same.

A pattern with an operator this module does not know keeps the whole ruler on spaCy's Matcher.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

_ATTRS = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_", "IS_SPACE": "is_space", "ORTH": "orth_",
          "POS": "pos_", "TEXT": "text"}


_CACHE_LIMIT = 200_000


def speed_up(nlp: Language) -> None:
    """Swap in the fast paths where the pipeline has the components they replace."""
    if "lemmatizer" in nlp.pipe_names:
        index_as_sets(nlp.get_pipe("lemmatizer"))
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        fast = FastAttributeMatch.build(ruler)
        if fast is not None:
            ruler.match = fast  # an instance attribute: AttributeRuler.__call__ calls self.match(doc)
            ruler.set_annotations = _FastSetAnnotations(ruler)


def index_as_sets(lemmatizer: Any) -> None:
    table = lemmatizer.lookups.get_table("lemma_index", None)
    if table is None:
        return
    for key in list(table.keys()):
        value = table[key]
        if isinstance(value, list | tuple):
            table[key] = frozenset(value)


def _test(value: Any, cond: Any) -> bool | None:
    """Does a token value meet one pattern condition? None: an operator we do not emulate."""
    if not isinstance(cond, dict):
        return value == cond
    ok = True
    for op, arg in cond.items():
        if op == "IN":
            ok = ok and value in arg
        elif op == "NOT_IN":
            ok = ok and value not in arg
        elif op == "REGEX":
            ok = ok and isinstance(value, str) and re.search(arg, value) is not None
        else:
            return None
    return ok


class FastAttributeMatch:
    """`AttributeRuler.match` with the one-token patterns answered from a cache."""

    def __init__(self, ruler: Any, single: list[tuple[int, int, dict]], multi: Matcher | None):
        self.ruler = ruler
        self.single = single  # (attr_id, match_id, pattern token)
        self.multi = multi
        self.keys = sorted({k for _, _, tok in single for k in tok})
        self.cache: dict[tuple, list[tuple[int, int]]] = {}
        # The same values as spaCy attribute ids for Doc.to_array (TEXT is ORTH there).
        self.array_attrs = [k if k != "TEXT" else "ORTH" for k in self.keys]
        self.by_ids: dict[tuple, list[tuple[int, int]]] = {}
        # A pattern with a plain LOWER (else TAG) value can only match tokens with that value: the
        # candidates for a token are those filed under its own values, plus the rest.
        self.by_lower: dict[str, list] = {}
        self.by_tag: dict[str, list] = {}
        self.rest: list = []
        for entry in single:
            tok = entry[2]
            if isinstance(tok.get("LOWER"), str):
                self.by_lower.setdefault(tok["LOWER"], []).append(entry)
            elif isinstance(tok.get("TAG"), str):
                self.by_tag.setdefault(tok["TAG"], []).append(entry)
            else:
                self.rest.append(entry)

    @classmethod
    def build(cls, ruler: Any) -> FastAttributeMatch | None:
        single: list[tuple[int, int, dict]] = []
        multi = Matcher(ruler.vocab)
        n_multi = 0
        for attr_id in range(len(ruler.attrs)):
            key = str(attr_id)
            match_id = ruler.vocab.strings[key]
            for pattern in ruler.matcher.get(match_id)[1]:
                if len(pattern) == 1 and all(k in _ATTRS and _known(v) for k, v in pattern[0].items()):
                    single.append((attr_id, match_id, pattern[0]))
                else:
                    multi.add(match_id, [pattern])
                    n_multi += 1
        return cls(ruler, single, multi if n_multi else None)

    def _matching(self, token: Token) -> list[tuple[int, int]]:
        values = tuple(getattr(token, _ATTRS[k]) for k in self.keys)
        found = self.cache.get(values)
        if found is None:
            by_key = dict(zip(self.keys, values, strict=True))
            candidates = (self.by_lower.get(token.lower_, []) + self.by_tag.get(token.tag_, []) + self.rest)
            found = [(attr_id, match_id) for attr_id, match_id, tok in candidates
                     if all(_test(by_key[k], cond) for k, cond in tok.items())]
            if len(self.cache) >= _CACHE_LIMIT:  # memory stays flat over a long run
                self.cache.clear()
            self.cache[values] = found
        return found

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        # The four values of every token as ints in one array read, without making a Token object per
        # token; only a tuple of values not seen before is looked at as a Token (in `_matching`).
        rows = doc.to_array(self.array_attrs).tolist() if len(doc) else []
        matches = []
        for i, row in enumerate(rows):
            key = tuple(row)
            found = self.by_ids.get(key)
            if found is None:
                found = self._matching(doc[i])
                if len(self.by_ids) >= _CACHE_LIMIT:
                    self.by_ids.clear()
                self.by_ids[key] = found
            matches.extend((attr_id, match_id, i, i + 1) for attr_id, match_id in found)
        if self.multi is not None:
            matches += [(int(self.ruler.vocab.strings[m_id]), m_id, s, e)
                        for m_id, s, e in self.multi(doc, allow_missing=True, as_spans=False)]
        matches.sort()
        return matches


class _FastSetAnnotations:
    """`AttributeRuler.set_annotations` without a Span per match: a one-token match sets its own
    token (index 0 and -1 are the same token there); longer matches keep spaCy's own path."""

    def __init__(self, ruler: Any):
        self.ruler = ruler
        self.slow = type(ruler).set_annotations

    def __call__(self, doc: Doc, matches: list[tuple[int, int, int, int]]) -> None:
        attrs, indices = self.ruler.attrs, self.ruler.indices
        for attr_id, match_id, start, end in matches:
            if end - start == 1 and indices[attr_id] in (0, -1):
                set_token_attrs(doc[start], attrs[attr_id])
            else:
                self.slow(self.ruler, doc, [(attr_id, match_id, start, end)])


def _known(cond: Any) -> bool:
    return not isinstance(cond, dict) or all(op in ("IN", "NOT_IN", "REGEX") for op in cond)
