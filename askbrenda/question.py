"""The question side: which words of a practitioner's question carry its topic, and whether it
leans on the previous question of the conversation."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from spellchecker import SpellChecker

from askbrenda.cases import AGE

WORD = re.compile(r"[a-z][a-z'/-]*[a-z]|[a-z]")
# A year in a question ("from april 2026") is a word it asks about like any other.
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Follow-ups lean on the previous question ("what about for stairs?", "and for a ramp?");
# a short question that points back ("does that need a form") does too.
_FOLLOW_UP = re.compile(r"^(what|how) about\b|^(and|also|but|what if|same for|what else)\b")
_POINTS_BACK = re.compile(r"\b(it|that|this|they|them|those|these|same|ones)\b")
_WH = r"(?:how|what|whats|what's|when|where|which|who|why)"
_ASKS = re.compile(rf"\?|^{_WH}\b")
# Words that ask for a detail of something without naming it: "whats the number", "email?",
# "and the form" after a question about a service are about that service.
_DETAIL_ONLY = frozenset({
    "number", "numbers", "phone", "telephone", "tel", "email", "address", "contact", "contacts",
    "details", "price", "cost", "costs", "fee", "fees", "form", "forms", "link", "website",
    "deadline", "hours", "opening", "called"})  # "call" and "ring" are stop words already
# Words that ask about something named before without naming anything: "how long does that
# take", "is it free", "who fits them", "does that need a form".
_ABOUT_IT = frozenset({
    "long", "often", "soon", "quick", "quickly", "free", "pay", "pays", "paid", "fit", "fits",
    "fitted", "take", "takes", "last", "lasts", "need", "needs", "apply", "refer", "charge",
    "charged", "allowed", "eligible", "arrange", "arranges", "happen", "happens", "decide",
    "decides", "wait", "work", "works"})
# A second question in one message: "..., who takes it out and do they charge", "how long can
# it be? does she keep her benefits". After "and" only a question word, or a verb with its
# subject, starts one: "has lost her tenancy and is sofa surfing" is one question.
_AUX = (r"(?:is|are|can|could|does|do|did|will|would|should|has|have)\s+"
        r"(?:there|it|she|he|they|i|we|you|that|this)")
_NEXT = re.compile(rf"(?:,?\s+(?:and|&)\s+|\?\s*)(?=(?:{_WH}|{_AUX})\b)", re.I)
_OPENS = re.compile(rf"(?:^|[,:;\-\u2013]\s*)(?=(?:{_WH}|{_AUX})\b)", re.I)
_ASKING = re.compile(rf"\b(?:{_WH}|{_AUX})\b")  # where a message starts to ask


# Words that carry no topic in a practitioner's question: English function words plus the
# people and filler every question has ("client", "mum", "need"). Used for confidence only.
# scikit-learn's list (documented as having known issues) also drops words that carry the
# question in care and benefits: "interest rate", "council tax bill", "fire door", "back pain".
_CONTENT_WORDS = {"interest", "bill", "fire", "system", "detail", "serious", "full", "front",
                  "back", "bottom", "top", "side", "empty", "thick", "thin", "move", "part",
                  "first", "last"}
QUESTION_STOPWORDS = (frozenset(ENGLISH_STOP_WORDS) - _CONTENT_WORDS) | {
    "client", "clients", "pt", "pts", "patient", "patients", "person", "service", "user", "su",
    "someone", "somebody", "people", "ppl", "family", "mum", "dad", "mother", "father", "son",
    "daughter", "wife", "husband", "partner", "nan", "gran", "grandma", "lady", "man", "woman",
    "gentleman", "he", "she", "her", "his", "him", "they", "them", "i", "u", "we", "me", "my",
    "need", "needs", "want", "wants", "help", "please", "ok", "okay", "thanks", "just", "get",
    "got", "gets", "can", "cant", "can't", "could", "couldnt", "should", "shud", "would", "will",
    "wont", "won't", "dont", "don't", "doesnt", "isnt", "wasnt", "whats", "what's", "hows",
    "do", "does", "did", "done", "doing", "say", "says", "said", "tell", "know", "think",
    "ring", "rang", "ringing",  # as "call" (scikit-learn's list): "who do i ring"
    "ask", "asking", "like", "going", "go", "goes", "thing", "things", "anything", "something",
    "now", "still", "really", "also", "any", "way", "use", "using", "used", "happen", "happens",
    # contractions typed without the apostrophe
    "shes", "hes", "theyre", "youre", "im", "ive", "thats", "theres", "didnt",
    "wouldnt", "shouldnt", "arent", "werent", "hasnt", "havent", "hadnt", "aint",
}


@lru_cache(maxsize=1)
def english() -> SpellChecker:
    """English words with their frequencies (pyspellchecker's list, shipped with it): tells a
    typo from a real word the folder happens to lack ("sore" is no typo of "store")."""
    return SpellChecker(language="en", distance=1)


# A section of an Act as practitioners type it ("s136", "s.42", "sec 2", "sect 117"), where
# guidance writes "section 136". Bare "s" only when the number follows at once: "pt's 2 sons".
# A Sheffield postcode ("S10 2TN") is no section.
_SECTION = re.compile(r"\b(?:s\.?|secs?\.?\s?|sect\.?\s?)(\d{1,3}[a-z]?)\b(?!\s?\d[a-z]{2}\b)",
                      re.I)


_SUFFIXES = frozenset({"am", "pm", "st", "nd", "rd", "th"})
# The number of a section asked about is a word like any other: "section 117" is not "section 42".
_SECTION_NUMBER = re.compile(r"\bsection (\d{1,3}[a-z]?)\b", re.I)


def spell_sections(text: str) -> str:
    """``"held on s136"`` -> ``"held on s136 (section 136)"`` (a folder may write "s136" too,
    so it is kept), ``"after a sec 2"`` -> ``"after a section 2"``."""
    return _SECTION.sub(lambda m: f"section {m.group(1)}" if m.group(0)[:3].lower() == "sec"
                        else f"{m.group(0)} (section {m.group(1)})", text)


# Endings spelled two ways: "advisor"/"adviser", "organize"/"organise", "behavior"/"behaviour".
_ENDINGS = (("ors", "ers"), ("ers", "ors"), ("or", "er"), ("er", "or"), ("or", "our"),
            ("ize", "ise"), ("izes", "ises"), ("ized", "ised"), ("izing", "ising"),
            ("ization", "isation"))


def spelling_variants(word: str) -> list[str]:
    """Other spellings of ``word`` by its ending ("advisors" -> "advisers")."""
    return [word[:-len(a)] + b for a, b in _ENDINGS if word.endswith(a) and len(word) > len(a) + 2]


def content_words(text: str) -> list[str]:
    """The words of ``text`` that carry its topic, in order, once each, with any years."""
    # An age ("a 19 yr old") is a condition on the answer (cases.for_age), not a topic.
    lower = AGE.sub(" ", text.lower())
    # A time or an ordinal written onto its number ("6pm", "3rd") names no topic.
    words = ([m.group(0) for m in WORD.finditer(lower)
              if not (m.start() and lower[m.start() - 1].isdigit() and m.group(0) in _SUFFIXES)]
             + _YEAR.findall(text) + _SECTION_NUMBER.findall(text))
    return [w for w in dict.fromkeys(words)
            if w not in QUESTION_STOPWORDS and w.replace("'", "") not in QUESTION_STOPWORDS]


def question_parts(question: str) -> list[str]:
    """The questions one message asks, each after the situation told before the first: "pt
    got a ccj, how do we get it cancelled and is there a fee" asks "pt got a ccj, how do we
    get it cancelled" and "pt got a ccj - is there a fee". One question comes back alone."""
    pieces, start = [], 0
    for m in _NEXT.finditer(question):
        pieces.append(question[start:m.start()])
        start = m.end()
    pieces.append(question[start:])
    pieces = [p.strip(" ?,") for p in pieces if WORD.search(p.lower())]
    if len(pieces) < 2:
        return [question]
    first = pieces[0]
    opens = _OPENS.search(first)
    situation = first[:opens.start()].rstrip(" ,:;-\u2013") if opens else ""
    # A part with no words of its own ("where does it go") is about the first one.
    return [first] + [f"{situation if content_words(p) else first} - {p}".lstrip(" -")
                      for p in pieces[1:]]


def asked_part(question: str) -> str:
    """The part of a message that asks, from its first question word or "can we"-like opening
    ("son took her card, can we still order a bath lift" asks "can we still order a bath
    lift"); the whole message when it ends in "?", else "" (it only tells: "hes hitting her")."""
    q = question.lower().strip()
    m = _ASKING.search(q)
    return q[m.start():] if m else (q if "?" in q else "")


def names_no_topic(question: str) -> bool:
    """Whether ``question`` names no topic of its own: only a detail ("whats the number",
    "email?"), only what is asked about it ("how long does that take"), or nothing ("how
    often?")."""
    return set(content_words(question)) <= _DETAIL_ONLY | _ABOUT_IT


def is_follow_up(question: str, history: Sequence[str]) -> bool:
    """Whether ``question`` only makes sense with the previous one."""
    return follow_up(question, history) != ""


def follow_up(question: str, history: Sequence[str]) -> str:
    """"sure" when ``question`` only makes sense with the previous one ("what about for
    stairs?", "how often?"), "maybe" when it points back with a pronoun but may stand alone
    ("does that need a form" against "can they have a keysafe?", where "they" is the client),
    "" when it stands alone."""
    q = question.lower().strip()
    if not history:
        return ""
    # "how often?", "whats the number" or "how long does that take" asks about no topic of its
    # own: it is about the last one.
    if _FOLLOW_UP.search(q) or ((_ASKS.search(q) or _POINTS_BACK.search(q))
                                and len(q.split()) <= 8 and names_no_topic(q)):
        return "sure"
    # A short question ("urgent ones?", "weekend?") may name a new topic or lean on the last;
    # "ok thanks" asks nothing.
    short = len(q.split()) <= 3 and "?" in q
    return "maybe" if short or (len(q.split()) <= 6 and _POINTS_BACK.search(q)) else ""


def as_typed(text: str) -> str:
    """Phone typing made plain: curly apostrophes straightened ("doesn’t" would be the words
    "doesn" and "t") and sections spelled out (spell_sections)."""
    return spell_sections(text.replace("\u2019", "'").replace("\u2018", "'"))


def with_context(question: str, history: Sequence[str]) -> str:
    """A follow-up with the question it follows ("what about for stairs?"), itself with its
    own context ("how long for a dfg", "what about a stairlift?", "and a ramp?")."""
    if not follow_up(question, history):
        return question
    before = with_context(history[-1].strip(), history[-3:-1])
    if names_no_topic(question):
        # It asks something else about the last topic: "who do i ring" after "key safe how
        # much" wants a phone number, not a price as well; "is it free" after "how long does
        # a dfg take" wants a price, not a time.
        before = " ".join(content_words(before))
    return f"{before} {question}"
