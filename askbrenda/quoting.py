"""The extractive answer: which sentences of the ranked passages to quote, and in what order."""

from __future__ import annotations

import re

from askbrenda.cases import about_another, asked_ages, asked_nations, for_age, labelled, silent_on
from askbrenda.evidence import (
    covered,
    names,
    off_point,
    row_names_it,
    sentence_parts,
    wanted,
)
from askbrenda.kinds import gives
from askbrenda.models import Citation
from askbrenda.question import question_parts
from askbrenda.retrieve import Index, Retrieval
from askbrenda.store import _tokenize

MAX_SENTENCES = 3
MIN_WORDS = 3  # fewer words are a heading or a table cell, not a sentence that answers
_QUOTABLE = re.compile(r"[^\W\d_]{2}")  # a word, not just "1." or "(b)"
# The sentence after the lead is quoted when it scores this share of the lead's score, or
# refers back to it: half keeps most of what the next sentence adds and a third of the noise
# (docs/benchmarks.md).
NEXT_SHARE = 0.5
_REFERS_BACK = re.compile(r"(?:they|it|this|these|that|those|but|however|otherwise)\b", re.I)


def extract(index: Index, retrieval: Retrieval, citations: list[Citation]) -> tuple[str, set[int]]:
    """Lead with the 1-3 quoted sentences that best answer the question, each with its marker,
    reading the question as retrieval did (``retrieval``). Sentences that confidence would not
    count as an answer (about another nation, in a passage silent on the nation asked about,
    about another kind or named scheme than the one asked about, or without a follow-up's own
    words) are quoted only when no other sentence is left. A message that asks two things
    ("who takes it out and do they charge") gets the best sentence for each part as well."""
    scored = _scored(index, retrieval, citations, retrieval.question, retrieval.groups)
    if not scored:
        return "", set()
    best = scored[0][0]
    chosen = [x for x in scored if x[0] >= best * 0.75][:MAX_SENTENCES] if best > 0 else scored[:1]
    parts = question_parts(retrieval.question) if not retrieval.own else []
    if len(parts) > 1:
        # Each part's best sentence first, then the whole message's, without repeats.
        picks = [found[0] for found in (
            _scored(index, retrieval, citations, part, index.query_groups(part)) for part in parts)
            if found and found[0][0] > 0]
        merged: dict[tuple[int, int], tuple[float, int, int, str]] = {}
        for x in picks + chosen:
            merged.setdefault((x[1], x[2]), x)
        chosen = list(merged.values())[:MAX_SENTENCES]
    # The best answer leads (a table's right row before its neighbours), the rest in reading
    # order; asked for a kind of fact (a time, a price), a sentence that gives it leads, and
    # one scoring half as well as the best is brought in to lead where none was chosen.
    kinds = wanted(retrieval.question)
    gives_it = [x for x in scored if kinds and gives(kinds, x[3])]
    if gives_it and not any(x in gives_it for x in chosen) and gives_it[0][0] >= best * 0.5:
        chosen = [gives_it[0], *chosen][:MAX_SENTENCES]
    lead = max(chosen, key=lambda x: (x in gives_it, x[0]))
    chosen.sort(key=lambda x: (x is not lead, x[1], x[2]))
    chosen[1:1] = _next_sentence(lead, scored, chosen, citations)
    quotes: list[tuple[str, int]] = []
    for _, rank, _, s in chosen:
        if not any(s in q for q, n in quotes if n == citations[rank].n):  # an item quoted already
            quotes.append((with_items(citations[rank].text, s), citations[rank].n))
    text = " ".join(f"\u201c{q}\u201d [{n}]" for q, n in quotes)
    return text, {n for _, n in quotes}


def _next_sentence(lead: tuple[float, int, int, str], scored: list[tuple[float, int, int, str]],
                   chosen: list[tuple[float, int, int, str]], citations: list[Citation]
                   ) -> list[tuple[float, int, int, str]]:
    """The sentence after the lead in its passage, where there is room and it goes on from
    the lead: it scores at least half as well ("If the mains power fails, an alarm will
    sound." "Tell carers to close the valve so the mattress holds its air..."), or it refers
    back ("They are not suitable where the door opens over the ramp."). Not after a table
    row: the next row is another item."""
    score, rank, pos, _ = lead
    parts = sentence_parts(citations[rank].text)
    if len(chosen) >= MAX_SENTENCES or pos + 1 >= len(parts) or any(
            part[0] != part[1] for part in parts[pos:pos + 2]):
        return []
    following = [x for x in scored if x[1] == rank and x[2] == pos + 1
                 and (x[0] >= NEXT_SHARE * score or _REFERS_BACK.match(x[3]))]
    return following if following and following[0] not in chosen else []


_ITEM = re.compile(r"^\s*(?:[-*+\u2022]|\d+[.)])\s+(.*\S)")


def with_items(text: str, sentence: str, limit: int = 400) -> str:
    """A sentence that introduces a list ("The maximum you can get is:") with the list's items
    from ``text``, up to ``limit`` characters: the lead-in alone answers nothing."""
    at = text.find(sentence)
    if not sentence.endswith(":") or at < 0:
        return sentence
    items: list[str] = []
    for line in text[at + len(sentence):].splitlines()[1:]:
        item = _ITEM.match(line)
        if item is None:
            if line.strip() and items:
                break  # the list has ended
            if line.strip():
                return sentence  # not a list that follows (a table, a paragraph)
            continue
        if len(sentence) + sum(len(i) + 1 for i in items) + len(item[1]) > limit:
            items.append("\u2026")
            break
        items.append(item[1] if item[1][-1] in ".;,:!?" else f"{item[1]};")
    return " ".join([sentence, *items]).rstrip(";") if items else sentence


def _scored(index: Index, retrieval: Retrieval, citations: list[Citation], question: str,
            groups: list[set[str]]) -> list[tuple[float, int, int, str]]:
    """(score, rank, position, sentence) of the top three passages' sentences for
    ``question`` (word ``groups``), best first; off-point ones only when none is left."""
    pairs, own, compounds = retrieval.pairs, retrieval.own, retrieval.compounds
    weights = index.group_weights(groups)
    kinds = wanted(question)
    asked = asked_nations(question)
    marks = retrieval.marks if retrieval.own else labelled(question)
    ages = asked_ages(question)
    scored: list[tuple[float, int, int, str]] = []
    fallback: list[tuple[float, int, int, str]] = []
    seen: set[str] = set()
    for rank, c in enumerate(citations[:3]):
        # A sentence stands under its section heading ("How long does it take?"): count both.
        heading = c.heading
        parts = sentence_parts(c.text)
        texts = [s for s, _ in parts]
        heading_names = names(heading)
        silent = silent_on(asked, heading, c.text)
        context, *tokenized = _tokenize([heading, *texts])
        heading_tokens = set(context)
        for pos, (s, tokens) in enumerate(zip(texts, tokenized, strict=True)):
            if s in seen or not _QUOTABLE.search(s):
                continue  # a list's "1." or a repeated line says nothing on its own
            seen.add(s)
            present = set(tokens) | heading_tokens
            hit = covered(groups, index.idf, present)
            if kinds and any(rx.search(s) for rx in kinds):
                hit += max(weights, default=1.0)  # it has the kind of fact that was asked for
            if ages and for_age(ages, f"{heading} {s}"):
                hit += max(weights, default=1.0)  # the rule for the age the question gives
            # Earlier passages and earlier sentences win ties: they are what retrieval trusted most.
            entry = (hit - 0.3 * rank - 0.05 * pos, rank, pos, s)
            cells = parts[pos][1]
            row = cells != s  # a table row: see evidence.answer_sentence
            off = (silent or about_another(asked, marks, f"{heading} {s}") or off_point(
                groups, pairs, own, index.idf, tokens, present, heading_names + names(s),
                compounds if row else ()) or row and not row_names_it(groups, cells,
                                                                      heading_tokens))
            # A table cell or a heading ("Bed rails", "Page 4") is quoted only when nothing else is.
            (fallback if off or len(s.split()) < MIN_WORDS else scored).append(entry)
    return sorted(scored or fallback, key=lambda x: x[0], reverse=True)
