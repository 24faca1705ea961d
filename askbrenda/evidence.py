"""Does a passage hold an answer? Sentences, the kind of fact asked for (kinds.py), and how much
of the question one sentence covers: used for confidence (retrieve) and for quoting (answer)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from askbrenda.cases import about_another, asked_nations, labelled, silent_on
from askbrenda.chunking import TABLE_RULE
from askbrenda.kinds import gives, wanted
from askbrenda.store import _tokenize

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])|\n+")
def sentences(text: str) -> list[str]:
    """Sentences and table rows of a passage, Markdown table rows made readable."""
    return [sentence for sentence, _ in sentence_parts(text)]


def sentence_parts(text: str) -> list[tuple[str, str]]:
    """(sentence, its own words): a table row's own words are its cells, without the header
    words it is read with ("Maximum user weight: 150 kg" says nothing about a stairlift)."""
    header: list[str] = []
    out = []
    pieces = [p for p in (piece.strip() for piece in _SENTENCE.split(text)) if p]
    for i, piece in enumerate(pieces):
        if TABLE_RULE.fullmatch(piece):
            continue
        if piece.startswith("|"):
            cells = table_cells(piece)
            # A header row is the one above the |---| rule: a passage cut inside a table has
            # none, and its first row is data.
            if i + 1 < len(pieces) and TABLE_RULE.fullmatch(pieces[i + 1]):
                header = cells
                continue
            out.append((read_row(header, cells), " ".join(cells)))
            continue
        piece = re.sub(r"^(\d+\.|[-*])\s+", "", piece)
        out.append((piece, piece))
    return out


def table_cells(line: str) -> list[str]:
    """The cells of a Markdown table row."""
    return [c.strip() for c in line.strip().strip("|").split("|")]


def read_row(header: list[str], cells: list[str]) -> str:
    """A table row as a sentence: "Equipment: Bath board; Maximum user weight: 150 kg" (the
    quotes and the passage shown in the app must read a row alike, to highlight it)."""
    return "; ".join(f"{h}: {c}" if h else c
                     for h, c in zip(header or [""] * len(cells), cells, strict=False))


def covered(groups: list[set[str]], idf: Callable[[str], float], tokens: set[str]) -> float:
    """How much of the question ``tokens`` cover: per word group, the IDF of the rarest token
    matched. A glossary expansion puts common words in a group ("aa" -> "Attendance
    Allowance"); matching only "allowance" should count for little."""
    return sum(max((idf(t) for t in g & tokens), default=0.0) for g in groups)


def answer_sentence(question: str, groups: list[set[str]], weights: list[float],
                    idf: Callable[[str], float], passages: Sequence[tuple[str, str]],
                    pairs: Sequence[tuple[str, str]] = (),
                    must: Sequence[set[str]] = (),
                    compounds: Sequence[tuple[str, str]] = (),
                    marks: frozenset[tuple[str, str]] | None = None) -> float:
    """The largest share of the question's word ``groups`` (``weights``: each group's IDF)
    that one sentence covers with its section heading, among sentences that hold the kind of
    fact asked for. ``passages`` are (heading, text) pairs, the heading's title and section
    on lines of their own; ``pairs`` are the question's neighbouring words (word_pairs);
    a sentence counts only if it or its heading holds one of the ``must`` groups, when given
    (a follow-up's own words: "what about for stairs?" is not answered about bath lifts);
    ``marks``: the bands, levels or sections asked about (default: the question's). A
    passage can mention every word of the question and still not answer it ("EMA in Wales":
    EMA here, Wales there); one sentence that holds them all, and a figure when a figure was
    asked for, usually does."""
    total = sum(weights)
    if not total:
        return 0.0
    kinds = wanted(question)
    asked = asked_nations(question)
    marks = labelled(question) if marks is None else marks
    best = 0.0
    for heading, text in passages:
        if silent_on(asked, heading, text):
            continue
        candidates = [(s, own) for s, own in sentence_parts(text) if gives(kinds, s, heading)
                      and not about_another(asked, marks, f"{heading} {s}")]
        if not candidates:
            continue
        # One tokenizer call per passage: this runs for 30 passages on every question.
        context, *tokenized = _tokenize([heading, *(s for s, _ in candidates)])
        heading_tokens = set(context)
        for (sentence, own), tokens in zip(candidates, tokenized, strict=True):
            present = set(tokens) | heading_tokens
            share = covered(groups, idf, present)
            if share <= best:
                continue
            # A table row answers only about what its cells or its heading name: the column
            # header's words are every row's ("stairlift max user weight" is not answered by
            # "Bath board; Maximum user weight: 150 kg").
            if own != sentence and not row_names_it(groups, own, heading_tokens):
                continue
            named = (names(heading) + names(sentence)) if pairs else ()
            # Only a table row is checked for another two-word kind: rows list kinds of a thing
            # ("Shower stool", "Bath board"); in running text neighbouring words are too often
            # no name at all (tried on all sentences: LOFO AUC 0.857 -> 0.845).
            if not off_point(groups, pairs, must, idf, tokens, present, named,
                             compounds if own != sentence else ()):
                best = share
    return best / total


_UNITS = {"kg", "g", "cm", "mm", "m", "km", "st", "lb", "ml", "l"}


def row_names_it(groups: list[set[str]], cells: str, heading_tokens: set[str]) -> bool:
    """Whether a table row's own ``cells`` or its heading name something the question asks
    about. The column header's words are every row's ("stairlift max user weight" is not
    answered by "Bath board; Maximum user weight: 150 kg"), and a figure or unit in the
    question ("for a 190kg pt") is a condition, not what a row is about."""
    own = set(_tokenize([cells])[0]) | heading_tokens
    return any(g & own for g in groups
               if not all(t in _UNITS or any(c.isdigit() for c in t) for t in g))


def off_point(groups: list[set[str]], pairs: Sequence[tuple[str, str]],
              must: Sequence[set[str]], idf: Callable[[str], float], tokens: list[str],
              present: set[str], named: Sequence[tuple[str, str]],
              compounds: Sequence[tuple[str, str]] = ()) -> bool:
    """Whether a sentence that covers the question's words still does not answer it: it lacks
    all of a follow-up's own words (``must``), or it is about another kind of the thing asked
    about (a follow-up's own, when given: it swaps the last one's) by a compound word
    (another_kind), by a name (another_name) or by a two-word name the folder uses
    (another_compound). ``named``: the names in the sentence and its heading; ``compounds``:
    the question's neighbouring words that the folder also has side by side."""
    return (bool(must) and not any(g & present or _begins(g, present) for g in must)
            or another_kind(list(must) or groups, tokens, present, idf)
            or bool(pairs) and another_name(pairs, groups, present, named, idf)
            or another_compound(compounds, tokens, present))


def _begins(group: set[str], present: set[str]) -> bool:
    """Whether a word of ``present`` is a compound that begins with one of ``group``: "and for
    stairs?" is answered by "Stairlifts ... 10 to 14 weeks"."""
    return any(t.startswith(w) and len(t) > len(w) + 2 for w in group if len(w) >= 4
               for t in present)


def another_compound(compounds: Sequence[tuple[str, str]], tokens: list[str],
                     present: set[str]) -> bool:
    """Whether a table row names another kind of a thing asked about by a two-word name:
    "Shower stool" for "perching stool", "Portable gantry hoist (free-standing frame)" for
    "toilet frame". Only pairs the folder itself sets side by side count (``compounds``): "how
    long" and "stairlift" are neighbours in a question, but no one calls anything a long
    stairlift."""
    if not compounds:
        return False
    side_by_side = set(zip(tokens, tokens[1:], strict=False))
    return any(modifier not in present and any(h == head and m != modifier
                                               for m, h in side_by_side)
               for modifier, head in compounds)


def another_kind(groups: list[set[str]], tokens: list[str], present: set[str],
                 idf: Callable[[str], float]) -> bool:
    """Whether a sentence (``tokens``: stemmed, in order; ``present``: its tokens and its
    heading's) names another kind of a thing the question asks about by a compound word the
    folder also uses: "bath lift" for "stairlift", "shower chair" for "wheelchair". The shared
    head must be about as distinctive as the compound: "paperwork" and "lone working" only
    share "work"."""
    unknown = idf("")  # the IDF of a token in no chunk
    pairs = list(zip(tokens, tokens[1:], strict=False))
    for group in groups:
        if group & present:
            continue
        for word in (w for w in group if idf(w) < unknown):
            for cut in range(3, len(word) - 3):
                head, modifier = word[cut:], word[:cut]
                if idf(head) >= 0.6 * idf(word) and any(
                        b == head and a != modifier for a, b in pairs):
                    return True
    return False


# A name of two or more capitalised words on one line: "Funeral Expenses Payment".
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)+")


def word_pairs(text: str) -> list[tuple[str, str]]:
    """Neighbouring stemmed words of ``text`` (stop words left out)."""
    tokens = _tokenize([text])[0]
    return list(zip(tokens, tokens[1:], strict=False))


@lru_cache(maxsize=4096)  # the same headings and sentences come back question after question
def names(text: str) -> tuple[tuple[str, str], ...]:
    """(modifier, head) of each name in ``text``, stemmed: ("expens", "payment")."""
    found = [m.group(0) for m in _NAME.finditer(text)]
    return tuple((t[-2], t[-1]) for t in _tokenize(found) if len(t) >= 2) if found else ()


def another_name(pairs: Sequence[tuple[str, str]], groups: list[set[str]], present: set[str],
                 named: Sequence[tuple[str, str]], idf: Callable[[str], float]) -> bool:
    """Whether a sentence or its heading names another scheme of the kind asked about, and
    not the one asked about: "Funeral Expenses Payment" for "funeral support payment",
    "Adult Dependants' Grant" for "max grant". The question's modifier must be a word the
    folder uses, and the sentence and its heading (``present``) must lack it; a modifier the
    question also has, or one spelled nearly like the question's (a typo), is no other scheme."""
    asked = {t for pair in pairs for t in pair}.union(*groups)
    unknown = idf("")
    for modifier, head in pairs:
        group = next((g for g in groups if modifier in g), None)
        if (modifier == head or group is None or (group - {head}) & present
                or all(idf(t) >= unknown for t in group)):
            continue
        if any(h == head and m not in asked and not _alike(m, modifier) for m, h in named):
            return True
    return False


def _alike(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8
