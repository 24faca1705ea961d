"""Which case a text is about: the nation, the band, level or section, and the ages its rule
is for. A sentence about another case than the question's does not answer it, however many
of the question's words it holds ("the maximum DFG in England" for "dfg limit in wales")."""

from __future__ import annotations

import re
from functools import lru_cache

# With the cities that can only be in one nation ("family in cardiff").
_NATIONS = {"england": re.compile(r"\b(england|english)\b", re.I),
            "scotland": re.compile(r"\b(scotland|scottish|glasgow|edinburgh|aberdeen|dundee|"
                                   r"inverness)\b", re.I),
            "wales": re.compile(r"\b(wales|welsh|cardiff|swansea|wrexham)\b", re.I),
            "northern ireland": re.compile(r"\b(northern ireland|belfast|derry|londonderry)\b",
                                           re.I)}


def nations(text: str) -> set[str]:
    """The UK nations ``text`` names: rules on care and benefits differ between them."""
    return {name for name, rx in _NATIONS.items() if rx.search(text)}


_LANGUAGES = re.compile(r"\b(english|welsh)\b", re.I)


@lru_cache(maxsize=256)  # a question's, once for its 30 passages
def asked_nations(question: str) -> frozenset[str]:
    """The nations a question asks about. In a question "english" and "welsh" are usually
    languages ("family who dont speak english"), not places."""
    return frozenset(nations(_LANGUAGES.sub(" ", question)))


def other_nation(asked: frozenset[str], text: str) -> bool:
    """Whether ``text`` is about another nation than the one asked about ("the maximum DFG in
    England" does not answer "dfg limit in wales")."""
    if not asked:
        return False
    named = nations(text)
    return bool(named) and not (named & asked)


# A thing named by a label and its letter or number: "band B", "level 1", "section 42", and
# lists of them: "section 2 or 3", "bands A and B" (a later letter only in capitals: "section
# 2 or a ..." lists no section "a").
_MARK = r"(?:\d{1,3}[a-z]?|[a-z])\b"
_MORE = r"(?:\s*(?:,|or|and|to|/)\s*(?:\d{1,3}[a-z]?|(?-i:[A-Z]))\b)"
_LABELLED = re.compile(r"\b(band|level|priority|stage|grade|category|tier|type|section|class|"
                       rf"step|phase|part)s?\s+({_MARK}{_MORE}*)", re.I)
_RANGE = re.compile(r"(\d{1,3})\s*to\s*(\d{1,3})\b")
_MARKS = re.compile(r"\d{1,3}[a-z]?|\b[a-z]\b", re.I)


@lru_cache(maxsize=256)
def labelled(text: str) -> frozenset[tuple[str, str]]:
    """The (label, letter or number) pairs ``text`` names, lower case: {("band", "b")};
    "levels 1 to 3" names level 2 as well."""
    found: set[tuple[str, str]] = set()
    for label, marks in _LABELLED.findall(text):
        found.update((label.lower(), mark.lower()) for mark in _MARKS.findall(marks))
        for low, high in _RANGE.findall(marks):
            found.update((label.lower(), str(n)) for n in range(int(low), min(int(high), 99) + 1))
    return frozenset(found)


def other_label(asked: frozenset[tuple[str, str]], text: str) -> bool:
    """Whether ``text`` names another band, level or section than the one asked about by the
    same label, and not that one ("Band A awards are reviewed after 3 months" does not answer
    "band B - when is it reviewed")."""
    if not asked:
        return False
    named = labelled(text)
    for label in {a for a, _ in asked}:
        said = {m for a, m in named if a == label}
        if said and not said & {m for a, m in asked if a == label}:
            return True
    return False


# An age the question gives: "a 19 yr old", "14yo", "gent aged 58" (not "3 yrs after the dfg").
AGE = re.compile(r"\b(\d{1,3})\s*-?\s*(?:(?:yrs?|years?)\s*-?\s*old|y/?o)\b|"
                 r"\baged? (\d{1,3})\b(?!\s*(?:-|to|\u2013)\s*\d)", re.I)
# The ages a rule is for: "aged 18 to 24", "16 and 17 year olds", "65 or over", "under 18s".
_NOT_AGE = r"(?!\s*(?:kg|cm|mm|m\b|%|years?|yrs?|months?|weeks?|days?|hours?|minutes?|nights?|miles?))"
_SPAN = re.compile(r"\baged? (\d{1,3})\s*(?:to|-|\u2013|and)\s*(\d{1,3})\b|"
                   r"\b(\d{1,3})\s*(?:to|-|\u2013|and)\s*(\d{1,3})[\s-]*(?:year|yr)s?[\s-]*olds?\b",
                   re.I)
_FROM = re.compile(rf"\b(\d{{1,3}}){_NOT_AGE}\s*(?:or|and) (?:over|older|above)\b|"
                   rf"\baged? (?:over|above) (\d{{1,3}})\b|\bover (\d{{1,3}})s\b", re.I)
_UNDER = re.compile(rf"\b(?:aged? )?under (\d{{1,3}})s?\b{_NOT_AGE}|"
                    rf"\b(\d{{1,3}}){_NOT_AGE}\s*(?:or|and) (?:under|younger)\b", re.I)


@lru_cache(maxsize=256)
def asked_ages(question: str) -> frozenset[int]:
    """The ages a question gives ("and for a 19 yr old?" -> {19})."""
    return frozenset(int(a or b) for a, b in AGE.findall(question))


@lru_cache(maxsize=4096)
def age_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The age ranges a text's rules are for, (low, high) inclusive."""
    spans = [(int(a or c), int(b or d)) for a, b, c, d in _SPAN.findall(text)]
    spans += [(int("".join(m)), 150) for m in _FROM.findall(text)]
    spans += [(0, int("".join(m)) - (1 if m[0] else 0)) for m in _UNDER.findall(text)]
    return tuple(spans)


def for_age(ages: frozenset[int], text: str) -> bool:
    """Whether ``text`` gives a rule for an age the question gives: "Young people aged 18 to
    24 are assessed by ..." for "and for a 19 yr old?". A rule for other ages is no answer to
    "what rate for a 19 yo" but is one to "can a 45 yr old be referred" (no: from 50), so it
    only ranks the sentence that fits first."""
    return any(lo <= age <= hi for age in ages for lo, hi in age_spans(text)) if ages else False


def about_another(asked: frozenset[str], marks: frozenset[tuple[str, str]], text: str) -> bool:
    """Whether ``text`` is about another nation (other_nation) or another band, level or
    section (other_label) than the question asks about: no answer to it, for confidence and
    quoting alike."""
    return other_nation(asked, text) or other_label(marks, text)


def silent_on(asked: frozenset[str], heading: str, text: str) -> bool:
    """Whether a passage never names the nation asked about: asked about Wales, one English
    council's guidance cannot say what applies there."""
    return bool(asked) and not nations(f"{heading} {text}") & asked
