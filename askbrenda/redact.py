"""Redact personal identifiers from practitioner text before it is logged.

Practitioners type details of real families, so anything written to the Q&A log
goes through :func:`redact` first.  Everything here is regular expressions plus
the ``phonenumbers`` library: no downloaded models, so it is fast and
deterministic, and names are only found where the surrounding words give them
away (titles, "my client X", "her son X", "called X").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import phonenumbers

KINDS = ("NHS_NUMBER", "NI_NUMBER", "POSTCODE", "PHONE", "EMAIL", "DATE_OF_BIRTH", "ADDRESS",
         "NAME")


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    start: int
    end: int
    text: str


# --- number-like identifiers --------------------------------------------------

# 3-3-4 spacing is how NHS numbers are printed; plain 10-digit runs are common too.
_TEN_DIGITS = re.compile(r"(?<![\d+])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d])")

# Real NINO prefix rules: first letter not D F I Q U V, second not D F I O Q U V.
# Some valid-looking pairs (BG, GB, NK, KN, TN, NT, ZZ) are never issued.
_NI = re.compile(
    r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r"[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?[A-D]\b",
    re.IGNORECASE,
)

# Full postcodes only (outward + inward); the inward letters never use C I K M O V.
_POSTCODE = re.compile(
    r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?) ?\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE
)

_EMAIL = re.compile(r"\b[\w.+'-]+@[A-Za-z\d-]+(?:\.[A-Za-z\d-]+)+\b")

# --- dates ---------------------------------------------------------------------

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_DATE = re.compile(
    r"\b(?:"
    r"(?P<d1>[0-3]?\d)[/.-](?P<m1>[01]?\d)[/.-](?P<y1>\d{4}|\d{2})"  # 12/03/1941, 12.3.41
    r"|(?P<y2>\d{4})-(?P<m2>[01]\d)-(?P<d2>[0-3]\d)"  # 1941-03-12
    rf"|{_DAY}(?:\s+of)?\s+{_MONTH},?\s+(?P<y3>\d{{4}}|'?\d{{2}})"  # 3rd March 1941
    rf"|{_MONTH}\s+{_DAY},?\s+(?P<y4>\d{{4}})"  # March 3rd, 1941
    r")(?!\d)",
    re.IGNORECASE,
)
# A date straight after one of these is a date of birth whatever its year.
_DOB_CONTEXT = re.compile(
    r"(?:\bd\.?o\.?b\.?|date of birth|\bborn(?: on)?|\bbirthday(?: is)?|\bb\.)"
    r"\s*(?:is|was|[:=-])?\s*$",
    re.IGNORECASE,
)


def _full_year(raw: str) -> int:
    """Four-digit year for a (possibly two-digit) year as typed."""
    raw = raw.lstrip("'")
    if len(raw) == 4:
        return int(raw)
    # Two-digit years up to this year are this century ("14.4.26" is a visit), later
    # ones the last (a client born in '41).
    this_year = date.today().year % 100
    return 2000 + int(raw) if int(raw) <= this_year else 1900 + int(raw)


def _find_dates(text: str) -> list[Finding]:
    found = []
    for m in _DATE.finditer(text):
        day, month = m["d1"] or m["d2"], m["m1"] or m["m2"]
        if day and not (1 <= int(day) <= 31 and 1 <= int(month) <= 12):
            continue  # "13/24/..." is not a UK date
        year = _full_year(next(y for y in (m["y1"], m["y2"], m["y3"], m["y4"]) if y))
        dob_context = _DOB_CONTEXT.search(text[max(0, m.start() - 30):m.start()])
        # Years up to 2010 are overwhelmingly birth dates in adult social care;
        # later dates are visits and reviews, which are not identifying on their own.
        if dob_context or 1900 <= year <= 2010:
            found.append(Finding("DATE_OF_BIRTH", m.start(), m.end(), m.group()))
    return found


# --- phone and NHS numbers -----------------------------------------------------

def nhs_number_is_valid(digits: str) -> bool:
    """Modulus 11 check on a 10-digit NHS number (spaces and dashes are ignored)."""
    digits = re.sub(r"[\s-]", "", digits)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _find_numbers(text: str) -> list[Finding]:
    found = []
    for m in _TEN_DIGITS.finditer(text):
        # A mistyped NHS number is still identifying, so invalid ones are kept as PHONE.
        kind = "NHS_NUMBER" if nhs_number_is_valid(m.group()) else "PHONE"
        if kind == "PHONE" and m.group().startswith("0"):
            continue  # a real UK number: leave it to phonenumbers below for the full span
        found.append(Finding(kind, m.start(), m.end(), m.group()))
    # POSSIBLE leniency because Ofcom's drama ranges (01632 960xxx, 07700 900xxx) are not
    # "valid", and practitioners' typos shouldn't slip through.  The cost is that years and
    # references match too, so insist on a UK-style start and a full-length number.
    matcher = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        raw = match.raw_string
        if not re.match(r"\s*(?:\+\s*44|0044|\(?0)", raw) or _DATE.fullmatch(raw):
            continue
        if len(str(match.number.national_number)) in (9, 10):
            found.append(Finding("PHONE", match.start, match.end, raw))
    return found


# --- addresses and names -------------------------------------------------------

# Phones type a curly apostrophe (O’Neil) and families are called José or Łukasz, so name and
# street words are Unicode letters (plus decomposed accents), with ’ and ‘ wherever ' goes.
_LETTER = r"[^\W\d_]"
_MARK = r"[\u0300-\u036f]"
_INNER = rf"(?:{_LETTER}|{_MARK}|['’‘-])"
_CURLY = str.maketrans("’‘", "''")


def _plain(word: str) -> str:
    """``word`` in lower case with straight apostrophes, for the word lists below."""
    return word.lower().translate(_CURLY)


# Words that are never part of a street or person name; keeps "2 carers on the way",
# "client called yesterday" and "her son is worried" intact.
_STOP_WORDS = """
a an the and or but of on in at to for from by with into onto up down off over under near
next past is are was were be been has have had do does did can cant can't could will wont
won't would shall should may might must not no yes who whom whose which that this these those
he she they it we you i his her their its our my your him them me us says said say lives
live living wants want needs need keeps keep rang called calls call phoned phones yesterday
today tonight tomorrow now then again also just still too very really so quite about
minute minutes min mins hour hours hr hrs day days week weeks month months year years time
times mile miles step steps metre metres yard yards night nights morning evening
monday tuesday wednesday thursday friday saturday sunday
fell falls feels feel thinks think told tells asked asks went goes going got gets
came comes come visits visited lost moved stays stayed died passed
nhs gp ot social adult services service council team agency care carers nurse
appointment appt appts visit visits letter surgery note notes report referral review
"""
_STOP = frozenset(_STOP_WORDS.split())

_STREET_TYPES = (r"road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|court|ct|crescent"
                 r"|place|pl|gardens|gdns|grove|terrace|walk|row|hill|park|view|square|sq|mews"
                 r"|rise|green|parade|vale|wharf|yard|gate|boulevard|fold|croft|mount|approach")
_ADDRESS = re.compile(
    r"\b(?:(?:flat|apartment|apt|unit)\s+\d+[a-z]?,?\s+)?"  # Flat 3, ...
    r"\d{1,4}[a-z]?,?\s+"  # 22 / 27b
    rf"((?:{_LETTER}(?:{_INNER}|\.)*\s+){{1,3}})"  # street name words (checked against _STOP)
    rf"(?:{_STREET_TYPES})\b\.?",
    re.IGNORECASE,
)


def _find_addresses(text: str) -> list[Finding]:
    found = []
    for m in _ADDRESS.finditer(text):
        words = _plain(m.group(1)).split()
        if words[0] == "the":  # "3 The Crescent", "3 the Old Mill Road"
            words = words[1:]
        if not any(w.strip(".") in _STOP for w in words):
            end = m.end() - (1 if m.group().endswith(".") else 0)  # don't eat a full stop
            found.append(Finding("ADDRESS", m.start(), end, text[m.start():end]))
    return found


# Triggers and whether a lower-case word after them may still be a name.  Typing on a
# phone is often all lower case, but "miss lunch", "master bedroom", "goes by taxi" and
# "a named responder" are not names, so only titles and "name is" take lower case.
_LOWER_OK = {"title": True, "wordtitle": False, "relation": False, "called": False,
             "named": True, "alias": False}
_NAME_TRIGGER = re.compile(
    r"(?:(?P<title>\b(?:mrs|mr|ms|mx|dr|rev)\b\.?)"
    r"|(?P<wordtitle>\b(?:miss|master|sir|dame|lady|lord)\b)"
    r"|(?P<relation>\b(?:client|service user|su|resident|patient|son|daughter|husband|wife"
    r"|partner|mum|mom|dad|mother|father|brother|sister|grandson|granddaughter|grandma"
    r"|grandad|grandmother|grandfather|niece|nephew|aunt|uncle|carer|neighbour|friend)"
    r"(?:-in-law)?\b)"
    r"|(?P<called>\bcalled\b)"
    r"|(?P<named>\b(?:name is|name['’‘]s)\b)"
    r"|(?P<alias>\b(?:named|known as|goes by)\b))"
    # Up to three name words or initials ("Mr J. Smith"); (?!\w) so "bd7" is not a name.
    # A lookahead, so "lady called Mary" still lets "called" see "Mary".
    rf"(?=(?P<words>[,:]?(?:\s+(?:{_LETTER}{_INNER}*{_LETTER}{_MARK}*|{_LETTER}\.?)(?!\w)){{1,3}}))",
    re.IGNORECASE,
)


# A title after "my client" starts its own title match rather than being a name.
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "master", "sir", "dame", "lady", "lord",
                     "rev"})
# Services people call, in any case ("we called Police"), and lower-case words common after
# "dr" (the GP) or "ms" (multiple sclerosis): "Mrs Pain" is a surname, "ms pain" a symptom.
# Not in _STOP, so that "3 Hospital Road" is still an address.
_SERVICE_WORDS = """police safeguarding ambulance paramedics hospital housing fire duty emergency
crisis reablement telecare careline lifeline helpline samaritans benefits pharmacy chemist physio
dentist landlord office triage advocacy doctor doctors age citizens community mental health
district occupational environmental children's childrens"""
_COMMON_LOWER_WORDS = """prescribed prescription said wants thinks referred reviewed saw seen
advised advice recommended suggested agreed increased reduced stopped changed signed gave sent
wrote diagnosed arranged booked cancelled home practice sick fatigue weakness symptoms relapse
relapses flare flares diagnosis medication meds specialist clinic society progressing
progressive related spasms pain tremor mobility getting worse better"""
_SERVICES, _COMMON_LOWER = frozenset(_SERVICE_WORDS.split()), frozenset(_COMMON_LOWER_WORDS.split())


def _find_names(text: str, addresses: list[Finding]) -> list[Finding]:
    found = []
    for m in _NAME_TRIGGER.finditer(text):
        trigger = next(k for k in _LOWER_OK if m.group(k))
        if trigger == "title" and m.group("title") == "MS":
            continue  # "MS" in capitals is multiple sclerosis, not Ms
        if any(a.start <= m.start() < a.end for a in addresses):
            continue  # the "Dr" of "14 Acacia Dr" or "Lord" of "2 Lord Street"
        taken = []
        for word in re.finditer(r"[^\s,:]+", m.group("words")):
            w = word.group()
            if len(w.rstrip(".")) == 1:
                # Only a title takes initials ("Mr J Smith"), not "her son I think"; lower
                # case only where lower-case names are, and never the words "a" and "i".
                lower_ok = _LOWER_OK[trigger] and w[0] not in "ai"
                if trigger not in ("title", "wordtitle") or not (w.isupper() or lower_ok):
                    break
                taken.append(word)
                continue
            lowered = _plain(w)
            if lowered in _STOP or lowered in _TITLES or lowered in _SERVICES:
                break
            if not w[0].isupper() and (not _LOWER_OK[trigger] or lowered in _COMMON_LOWER):
                break
            # After "client" or "called", 2-4 capitals are an acronym ("client DFG form",
            # "called CQC") unless the trigger is shouted too ("MY CLIENT JOHN SMITH").
            if trigger in ("relation", "called") and w.isupper() and len(w) <= 4 \
                    and not m.group(trigger).isupper():
                break
            taken.append(word)
        while taken and len(taken[-1].group().rstrip(".")) == 1:
            taken.pop()  # an initial must come before a name: "the lady I know"
        if taken:
            base = m.start("words")
            start, end = base + taken[0].start(), base + taken[-1].end()
            # Keep the possessive: "Jean's daughter" -> "[NAME]'s daughter".
            end = start + len(re.sub(r"['’‘]s?$", "", text[start:end]))
            found.append(Finding("NAME", start, end, text[start:end]))
    return found


# --- putting it together -------------------------------------------------------

# On overlap the longer finding wins; for equal length, the more specific kind.
_RANK = {k: i for i, k in enumerate(
    ("EMAIL", "NHS_NUMBER", "NI_NUMBER", "POSTCODE", "DATE_OF_BIRTH", "PHONE", "ADDRESS",
     "NAME"))}


def find_identifiers(text: str) -> list[Finding]:
    """All identifiers in ``text``: non-overlapping, sorted by start."""
    addresses = _find_addresses(text)
    candidates = [
        *(Finding("EMAIL", m.start(), m.end(), m.group()) for m in _EMAIL.finditer(text)),
        *(Finding("NI_NUMBER", m.start(), m.end(), m.group()) for m in _NI.finditer(text)),
        *(Finding("POSTCODE", m.start(), m.end(), m.group()) for m in _POSTCODE.finditer(text)),
        *_find_numbers(text), *_find_dates(text), *addresses, *_find_names(text, addresses),
    ]
    candidates.sort(key=lambda f: (f.start - f.end, _RANK[f.kind], f.start))
    chosen: list[Finding] = []
    for f in candidates:
        clashes = [c for c in chosen if f.start < c.end and c.start < f.end]
        if not clashes:
            chosen.append(f)
        elif f.kind == "NAME":
            # A name that runs into a longer finding keeps the words before it, so
            # "Mrs Jean smith@example.com" does not leave "Jean" behind.
            head = text[f.start:min(c.start for c in clashes)].rstrip(" ,")
            if head and f.start < min(c.start for c in clashes):
                chosen.append(Finding("NAME", f.start, f.start + len(head), head))
    return sorted(chosen, key=lambda f: f.start)


def redact(text: str) -> str:
    """``text`` with every identifier replaced by its placeholder, e.g. ``[POSTCODE]``."""
    out, pos = [], 0
    for f in find_identifiers(text):
        out += [text[pos:f.start], f"[{f.kind}]"]
        pos = f.end
    return "".join(out + [text[pos:]])
