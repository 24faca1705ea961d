"""The kind of fact a question asks for (a price, a time, an age, a phone number...) and what a
sentence that gives it must contain: used by confidence (evidence, retrieve) and quoting."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from re import Pattern

_PHONE = r"\b0\d{2,4}\s?\d{3}\s?\d{3,4}\b|\b(999|111|101)\b"
_NUMBER = r"(\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve)\b)"
# A number that names a thing ("Level 1", "Section 42", "Priority 2", "MHA1") is a label, not a
# figure: "max user wt perching stool" is not answered by "Level 1: ... perching stools".
_LABELS = ("level", "section", "priority", "band", "stage", "step", "page", "tier", "grade",
           "part", "phase", "category", "form", "class", "type", "schedule", "chapter",
           "paragraph", "regulation", "article", "appendix", "option")
_NOT_LABEL = "".join(f"(?<!{label} )" for label in _LABELS)
_FIGURE = _NOT_LABEL + r"(\b\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve)\b)"

# What kind of fact a question asks for, and what a sentence that gives it must contain. The
# question side looks for asking, not mentioning: "16yo on UC" or "£1600 of debt" states a
# condition, "what age" or "how much" asks. It includes phone shorthand ("max", "hrs") and is
# matched lower-case.
ANSWER_TYPES: list[tuple[Pattern[str], Pattern[str]]] = [
    # money: a price, an amount, a rate, a limit ("how much time off" asks how long; a battery's
    # "per charge" and "when they work out the charge" mention a charge, not ask its amount)
    (re.compile(r"\b(how much(?! (time|leave|notice|holiday))|cost(?! (?:code|centre|center))|costs|price|"
                r"(?<!per )(?<!one )(?<!full )(?<!out the )(?<!out her )(?<!out his )(?<!in )charge[sd]?"
                # "in charge of", and charging a battery: "how do i charge the stairlift"
                r"(?! (?:(?:the|a|an|her|his|their|my) )?(?:battery|batteries|stairlift|wheelchair"
                r"|scooter|phone|pendant|hoist|chair|bed|it|them|up)\b)|"
                r"fees?|pay for|afford|amount|"
                r"max(imum)? (grant|loan|award|payment|amount)|grant limit|"
                r"what (salary|income|wage|earnings))\b|"
                r"\bwhat('?s| is| are)? (the )?([a-z]+ ){0,2}rates?\b|"
                # a rate of pay or benefit ("SSP weekly rate", "rate for a waking night"), not
                # "how do i rate the bathroom", "is she on the higher rate" or "points for the
                # enhanced rate" (a level, not an amount)
                r"\b(weekly|hourly|daily|nightly|monthly|annual|mileage|usual|current|flat) rates?\b|"
                r"\brates? for (an? |the )?[a-z0-9]"),
     # "charged in full" and "at no cost" say what is paid, with no figure
     re.compile(r"£\s?\d|\d\s?%|\bfree\b|\bno (charge|cost)\b|\bper cent\b|\bcharged in full\b|"
                r"\bnot (be )?charged\b", re.I)),
    # time: how long, how soon
    (re.compile(r"\b(how long|how many (days|weeks|wks|hours|hrs|months|years|yrs)|how soon|"
                r"how much (time|leave|notice|holiday)|"
                r"when will|how quick(ly)?|timescale|time limit|deadline|wait(ing)? time)\b"),
     re.compile(_NUMBER + r"[\d,]*[\s-]*(working\s+)?(minute|hour|day|week|month|year)s?|same day|"
                # "within a week", not a grab rail "within reach"
                r"next day|\bwithin\b(?! reach\b)|\bimmediately\b|"
                # a deadline given as a time or a day: "by 12 noon on the Friday before"
                r"\bby (?:\d{1,2}(?:[.:]\d\d)?\s*(?:am|pm)|(?:12 )?noon|midday|the end of|"
                r"(?:the )?(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b", re.I)),
    # age
    (re.compile(r"\b(what age|how old|age limit|(minimum|maximum|upper|lower) age|"
                r"old enough|too old|too young)\b"),
     re.compile(r"\b(aged?|under|over|older|younger|\d+(st|th)? birthday)\b|years? old|"
                r"\d+\s*(or|and) (over|older|under)", re.I)),
    # a count
    (re.compile(r"\bhow many\b"), re.compile(_FIGURE, re.I)),
    # a limit: a figure of some kind
    (re.compile(r"(^|\b(the|whats|what's|is|a) )(max|maximum|min|minimum)\b(?! wage)|"
                r"\b(limit|cap|threshold)\b"), re.compile(_NOT_LABEL + r"\b\d", re.I)),
    # a percentage
    (re.compile(r"\b(interest|percent|percentage|per cent)\b|%"),
     re.compile(r"\d\s?%|\bper ?cent\b", re.I)),
    # how often
    (re.compile(r"\bhow (often|frequently|regularly)\b"),
     re.compile(r"\b(every|each|once|twice|annual(ly)?|yearly|\S*monthly|\S*weekly|daily|"
                r"(a|per) (day|week|month|year))\b|\d+ times", re.I)),
    # a date or a day
    (re.compile(r"\b(what date|which date|what day|which day|by when|"
                r"when (is|are|does|do|did|can|should|must))\b"),
     re.compile(r"\b(january|february|march|april|may|june|july|august|september|october|"
                r"november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
                r"weekly|monthly|every|before|after|until|from|within)\b|\d", re.I)),
    # a phone number: the number itself ("phone number" in a checklist gives none)
    (re.compile(r"\b((phone|telephone|contact|helpline|direct|weekend|duty|out of hours|ooh) "
                r"(number|numbr|no)|number (to|for) (call|ring)|"
                r"what(s|'s| is)? (the|their|his|her) (number|numbr|no)(?! of))\b|"
                # a name and "phone" ("amhp hub phone"), not "can she phone" or "pendant
                # works without a landline phone?"
                r"^(?!(?:can|could|should|do|does|will|would|may|shall|is|are)\b)(?:\S+ ){1,3}"
                r"(?:phone|tel|telephone)(?: (?:number|numbr|no))?\s*\??\s*$"),
     re.compile(_PHONE)),
    # who to phone: a number, or whom to phone ("Phone the AMHP Hub")
    (re.compile(r"\bwho (do|can|should) (i|we|she|he|they) (call|ring|phone)\b"),
     re.compile(_PHONE + r"|\btelephone\b|\bphone\b", re.I)),
    # an email address
    (re.compile(r"\b((e-?mail|emial) (address|addy|for)|where (do|can|should) (i|we) (e-?mail|emial)|"
                r"what(s|'s| is)? the (e-?mail|emial))\b"),
     re.compile(r"\S@\S+\.\w")),
    # a weight
    (re.compile(r"\b(how heavy|weight|weigh|max(imum)? (user )?weight|kg|stone)\b"),
     re.compile(r"\d+\s*(kg|kilo|stone|st\b)", re.I)),
    # a size
    (re.compile(r"\b(how (wide|high|tall|big)|width|height|measure(ment)?s?|dimension|cm|mm)\b"),
     re.compile(r"\d+\s*(mm|cm|m\b|metres?|inch)", re.I)),
]


_COUNTED = re.compile(r"\bhow many ([a-z]{3,})(?: ([a-z]{3,}))?")
# Words after "how many" that are not the thing counted; time units are the time type's.
_NOT_COUNTED = {"times", "more", "people", "ppl", "can", "does", "should", "will", "would",
                "are", "have", "has", "days", "weeks", "wks", "hours", "hrs", "months", "years",
                "yrs", "minutes", "mins"}


_MONTH = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*")
# "from april 2026", "for jan-june 2025", "for 2026/27"
_MONTHS = rf"(?:{_MONTH}\s*(?:-|to)\s*)?{_MONTH} "
# A bare year after "from" tells when something was made ("old EPA from 2005"), not a period;
# a financial year ("rate 2025/26", "2024-25") is one however it is asked.
_PERIOD = re.compile(rf"\b(?:(?:for|from|in|during) (?:the )?(?:{_MONTHS})?((?:19|20)\d\d)"
                     rf"\s*(?:/|-|to)\s*(?:19|20)?\d\d\b|(?:for (?:the )?(?:{_MONTHS})?|"
                     rf"from (?:the )?{_MONTHS})((?:19|20)\d\d)\b|"
                     rf"((?:19|20)\d\d)\s?[/-]\s?(?:19|20)?\d\d\b)")
# A financial year typed short: "rate for 24/25" (the second year follows the first).
_SHORT_YEAR = re.compile(r"\b(?:for|in|during|from|of|yr|year|fy) (?:the )?(\d\d)\s?[/-]\s?(\d\d)\b"
                         r"(?![/-]\d)")


_YEARS: dict[str, Pattern[str]] = {}  # the pattern of each year asked about, to tell them apart


def _year(year: str) -> Pattern[str]:
    return _YEARS.setdefault(year, re.compile(rf"\b{year}\b"))


@lru_cache(maxsize=256)  # asked for each of the 30 candidate passages of one question
def wanted(question: str) -> tuple[Pattern[str], ...]:
    """What a sentence must contain to give the kind of fact ``question`` asks for (none when
    it asks no particular kind)."""
    q = question.lower()
    kinds = [gives for asks, gives in ANSWER_TYPES if asks.search(q)]
    counted = _COUNTED.search(q)
    if counted and counted.group(1) not in _NOT_COUNTED:
        # "how many points": the figure must count points, not pounds. The next word may be
        # the noun ("how many different debts"), and phone typos keep their first letters,
        # though one may be dropped ("vists" counts visits).
        nouns = "|".join("[a-z]?".join(map(re.escape, w.rstrip("s")[:5]))
                         for w in counted.groups() if w)
        kinds.append(re.compile(_FIGURE + r"\S*\s+(\S+\s+){0,2}(" + nouns + ")", re.I))
    # A period asked about ("the PA rate for 2026/27", "from april 2026"): an answer names its
    # year; rates for another year do not answer. "Died in 2019" states a condition, not this.
    years = ["".join(found) for found in _PERIOD.findall(q)]
    years += [f"20{a}" for a, b in _SHORT_YEAR.findall(q) if int(b) == int(a) + 1]
    kinds += [_year(year) for year in dict.fromkeys(years)]
    return tuple(kinds)


def gives(kinds: Sequence[Pattern[str]], sentence: str, heading: str = "") -> bool:
    """Whether ``sentence`` gives every kind of fact asked for (wanted); a year may be in its
    section ``heading`` instead: "Framework rates (2024/25)" dates each rate under it."""
    return all(k.search(sentence) or k in _YEARS.values() and k.search(heading) for k in kinds)


def answer_type_found(question: str, texts: Sequence[str], headings: Sequence[str] = ()) -> float:
    """1.0 unless the question asks for a kind of fact (a price, a time, an age...) that none
    of ``texts`` (under their ``headings``) contains: the folder is about it but does not say."""
    return 1.0 if gives(wanted(question), " ".join(texts), " ".join(headings)) else 0.0


_NAMES_MONEY = re.compile(r"\b(cost|costs|price|prices|fee|fees|charge|charges|rate|rates|£)", re.I)


def lexical_hint(question: str) -> str:
    """Words the lexical search adds when a question asks for a price without naming one:
    "how much is a curved stairlift" asks what tables head "cost" ("Typical cost")."""
    asked = question.lower()
    if re.search(r"\bhow much\b", asked) and ANSWER_TYPES[0][0].search(asked) \
            and not _NAMES_MONEY.search(asked):
        return " cost"
    return ""
