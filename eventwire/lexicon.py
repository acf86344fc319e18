"""The shared lexicon: closed word classes (saying verbs, pronouns) and the event trigger lexicon.

Data lives in `eventwire/data/lexicon/`:
- `function_words.yaml`: verbs of saying, reporting verbs with the certainty they give, pronouns. Events,
  claims and main_event read these sets from here (one copy).
- `events.yaml`: trigger classes, one per CAMEO code, with verbs, phrasal verbs, event nouns and
  light verbs. `event_entries()` expands them into pattern entries of the same shape as
  `eventwire/data/verbs/*.yaml`, each with a `source` naming where it came from (for `eventwire eval rules`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from eventwire.data import load_yaml

PARTICLES = frozenset({"up", "down", "off", "out", "over", "back", "away", "together", "apart", "around",
                       "forward", "aside", "through"})
PREPOSITIONS = frozenset({"in", "on", "with", "for", "against", "into", "to", "at", "from", "upon", "of",
                          "about", "behind", "after", "onto"})
DETERMINERS = frozenset({"a", "an", "the"})
# a word after the verb that is neither particle, preposition nor noun: the phrase cannot be a pattern
NOT_OBJECTS = frozenset({"himself", "herself", "themselves", "itself", "and", "alive", "death", "no"})


def _words(key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in load_yaml("lexicon/function_words.yaml")[key])


@lru_cache(maxsize=1)
def say_verbs() -> frozenset[str]:
    return _words("say_verbs")


@lru_cache(maxsize=1)
def reporting_certainty() -> dict[str, str]:
    """Reporting verb lemma -> the certainty it gives its content (reported, hedged, denied)."""
    data = load_yaml("lexicon/function_words.yaml")["reporting_verbs"]
    return {str(lemma): certainty for certainty, lemmas in data.items() for lemma in lemmas}


SAY_VERBS = say_verbs()
PRONOUNS = _words("pronouns")
PERSONAL_PRONOUNS = _words("personal_pronouns")
POSSESSIVE_PRONOUNS = _words("possessive_pronouns")
PERCEPTION_VERBS = _words("perception_verbs")
RESPONSE_VERBS = _words("response_verbs")
MACHINE_HEADS = _words("machine_heads")
LEGAL_TEXTS = _words("legal_texts")
NATURAL_FORCES = _words("natural_forces")
PERSON_NOUNS = _words("person_nouns")
VIOLENT_CROWDS = _words("violent_crowds")


# ---------------------------------------------------------------- event triggers


def parse_verb(phrase: str) -> dict[str, Any]:
    """"carry out" -> lemma carry, prt out; "sign off on" -> prt off, prep on; "engage in" -> prep in;
    "hold talks" -> object talk; "point the finger at" -> object finger, prep at."""
    words = [w for w in str(phrase).lower().split() if w not in DETERMINERS]
    if not words:
        raise ValueError(f"empty verb phrase {phrase!r}")
    entry: dict[str, Any] = {"lemma": words[0]}
    nouns: list[str] = []
    for word in words[1:]:
        if word in NOT_OBJECTS:
            raise ValueError(f"verb phrase {phrase!r}: {word!r} cannot be matched")
        if word in PARTICLES and "prt" not in entry and not nouns:
            entry["prt"] = word
        elif word in PREPOSITIONS and "prep" not in entry:
            entry["prep"] = word
        elif word in PREPOSITIONS and "prt" not in entry and not nouns:
            entry["prt"] = entry.pop("prep")  # "give in to": the first is the verb's particle
            entry["prep"] = word
        elif "prep" in entry:
            raise ValueError(f"verb phrase {phrase!r}: a noun after the preposition cannot be matched")
        else:
            nouns.append(word)
    if len(nouns) > 2:
        raise ValueError(f"verb phrase {phrase!r}: at most a two-word object")
    if nouns:
        entry["object"] = [" ".join(nouns)]
    return entry


def parse_noun(phrase: str) -> tuple[str, str | None]:
    """"hunger strike" -> (strike, hunger): the head lemma and the modifier it needs, if any."""
    words = str(phrase).lower().split()
    if not 1 <= len(words) <= 2 or any(w in PREPOSITIONS or w in DETERMINERS for w in words):
        raise ValueError(f"event noun {phrase!r}: one word, or a modifier and a head")
    return words[-1], (words[0] if len(words) == 2 else None)


def _object_names(phrases: list[str]) -> list[str]:
    for p in phrases:
        parse_noun(p)
    return [str(p).lower() for p in phrases]


PASS_THROUGH = ("type", "mode", "frame", "intransitive", "requires_military_actor")


def _class_entries(cls: dict[str, Any], light: dict[str, list[str]]) -> tuple[list[dict], list[dict]]:
    code = str(cls["cameo"])
    base = {"cameo": code, **{k: cls[k] for k in PASS_THROUGH if k in cls}}
    if cls.get("recipient"):
        base["recipient"] = [str(p) for p in cls["recipient"]]
    where = f"lexicon:{code}"
    verbs: list[dict] = []
    nouns: list[dict] = []
    for phrase in cls.get("verbs") or ():
        entry = {**base, **parse_verb(phrase), "source": f"{where}:verb:{phrase}"}
        if "object" in entry:
            entry.pop("frame", None)
        verbs.append(entry)
    for verb, objects in (cls.get("objects") or {}).items():
        entry = {**base, **parse_verb(verb)}
        entry.pop("frame", None)  # an object frame names the event itself
        entry.pop("intransitive", None)
        names = _object_names(objects)
        # "tightened the blockade": a light verb only for the class's own event nouns; "scrapped the
        # tariffs" or "abandoned the talks" is an event of this class about another class's event
        own = {str(n).lower() for n in cls.get("nouns") or ()}
        plain = [n for n in names if n not in own]
        if plain:
            verbs.append({**entry, "object": plain, "source": f"{where}:object:{verb}"})
        for name in (n for n in names if n in own):
            verbs.append({**entry, "object": [name], "light": True, "source": f"{where}:object:{verb}+{name}"})
    noun_names = _object_names(list(cls.get("nouns") or ()))
    goods = _object_names(list(cls.get("goods") or ()))
    for group in cls.get("light") or ():
        for verb in light[group]:
            entry = {**base, **parse_verb(verb)}
            entry.pop("frame", None)
            entry.pop("intransitive", None)
            for name in noun_names:
                # the event is the noun's: the coder puts the trigger on the object, not the light verb
                verbs.append({**entry, "object": [name], "light": True, "source": f"{where}:light:{verb}+{name}"})
            if goods:  # wares given ("sent tanks"): the verb is the trigger, the goods only its object
                verbs.append({**entry, "object": goods, "source": f"{where}:goods:{verb}"})
    for name in noun_names:
        head, modifier = parse_noun(name)
        entry = {k: v for k, v in base.items() if k not in ("frame", "intransitive", "requires_military_actor")}
        entry.update(lemma=head, source=f"{where}:noun:{name}")
        if modifier:
            entry["object"] = [modifier]  # for a noun trigger, the modifier it needs
        nouns.append(entry)
    return verbs, nouns


@lru_cache(maxsize=1)
def lemma_aliases() -> dict[str, str]:
    """Lemmas the tagger gives some inflected verbs, and the verb they are ("staged" -> "stag"): a pattern
    of the verb holds for its alias too."""
    return {str(k): str(v) for k, v in (load_yaml("lexicon/events.yaml").get("lemma_aliases") or {}).items()}


@lru_cache(maxsize=1)
def event_entries() -> tuple[tuple[dict, ...], tuple[dict, ...]]:
    """(verb pattern entries, noun pattern entries) expanded from lexicon/events.yaml, in file order."""
    data = load_yaml("lexicon/events.yaml")
    light = {name: [str(v) for v in verbs] for name, verbs in data["light_verbs"].items()}
    verbs: list[dict] = []
    nouns: list[dict] = []
    for cls in data["classes"]:
        v, n = _class_entries(cls, light)
        verbs += v
        nouns += n
    verbs += _purpose_entries(data.get("purposes") or {}, data.get("purpose_classes") or ())
    return tuple(verbs), tuple(nouns)


def _purpose_entries(purposes: dict[str, list[str]], classes: Any) -> list[dict]:
    """A verb with its purpose object ("called for the president's resignation", "rejected the request for
    military aid" through the object itself) -> the CAMEO code of that purpose."""
    out: list[dict] = []
    for cls in classes:
        for phrase in cls["verbs"]:
            verb = parse_verb(phrase)
            for purpose, code in cls["codes"].items():
                out.append({**verb, "cameo": str(code), "object": _object_names(purposes[purpose]),
                            **({"frame": cls["frame"]} if "frame" in cls else {}),
                            "source": f"lexicon:{code}:purpose:{phrase}+{purpose}"})
    return out
