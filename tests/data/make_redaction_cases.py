"""Generate tests/data/redaction_cases.jsonl: synthetic, labelled practitioner snippets.

Everyone here is fictional.  Phone numbers come from Ofcom's drama ranges
(01632 960xxx, 07700 900xxx, 0113 496 0xxx, 020 7946 0xxx) and NHS numbers are
random with a valid check digit.  The seed is fixed, so rerunning gives the same file:

    python tests/data/make_redaction_cases.py
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from pathlib import Path


def words(text: str) -> list[str]:
    return text.split()


OUT = Path(__file__).with_name("redaction_cases.jsonl")
rng = random.Random(20240611)

FIRST = words("""
Margaret Jean Patricia Dorothy Joan Betty Eileen Doreen Brian Kenneth Derek Alan Raymond
Peter Mohammed Ayesha Priya Sunita Hamza Grace Chloe Olivia Liam Connor Siobhan Bronwen Aled
Morag Hamish Kwame Adaeze Tomasz Agnieszka Dave Sue Gary Tracey Wayne Karen Nadia Imran""")
SURNAMES = words("""
Patel Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Roberts Khan Ahmed
Hussain Begum O'Brien McDonald Kowalski Okafor Mensah Singh Kaur Clarke Hughes Walsh Murphy
Robinson Wright Thompson Fletcher Ashworth Pickering Sutcliffe Barraclough Ellis Nowak Chaudhry
Campbell MacLeod Pritchard Smith-Jones""")
TITLES = ["Mr", "Mrs", "Ms", "Miss", "Dr", "Mx", "Mrs.", "Mr.", "Rev", "Dr.", "Sir", "Lady"]
LOWER_TITLES = ["mr", "mrs", "ms", "dr", "mx", "mrs.", "mr."]
RELATIONS = ["her son", "his son", "her daughter", "his daughter", "her husband", "his wife",
             "her partner", "his partner", "my client", "service user", "the client", "her mum",
             "his dad", "her mother", "his father", "her brother", "his sister", "her grandson",
             "his granddaughter", "her carer", "his neighbour", "client", "daughter", "son",
             "Daughter", "Son", "My client", "Service user"]
CALLED = ["a lady called", "a man called", "client called", "a gentleman named",
          "her neighbour is called", "his name is", "her name is", "an older man named",
          "a young carer called", "the son, called"]
STREETS = words("""
Acacia Mill High Church Station Victoria Albert Queens Kings Manor Oak Elm Beech Chapel
School Springfield Westfield Moorland Hawthorn Willow Cardigan Headingley Primrose Woodhouse
Harehills Meanwood Granby Rosebank Laburnum Blenheim""") + [
    "St Mary's", "Ash Tree", "Old Mill", "Bank Top", "Upper Wortley"]
STREET_TYPES = words("""
Road Rd Street St Avenue Ave Lane Close Drive Way Court Crescent Place Gardens
Grove Terrace Walk Row Hill Park View Square Mews Rise""")
OUTWARD = words("""
LS6 LS9 LS11 BD7 HX1 WF1 HD1 M1 M14 B15 B23 L8 S10 SW1A E1 N17 NW10 EC1A W1A CF10 NE1
BS5 NG7 LE2 YO1 HU3 DN4 PR1 BB2 OL6 SK4 CH1 EH1 G12 BT9 TS1 PL4 EX2""")
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
EMAIL_DOMAINS = ["example.com", "example.co.uk", "example.org", "test.nhs.uk", "mail.example.net"]

Ids = list[tuple[str, str]]
Slot = Callable[[], tuple[str, Ids]]


def nhs_number() -> str:
    """A random 10-digit NHS number with a valid mod-11 check digit."""
    while True:
        digits = [rng.randint(4, 9)] + [rng.randint(0, 9) for _ in range(8)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            return "".join(map(str, digits + [check]))


def slot_nhs() -> tuple[str, Ids]:
    d = nhs_number()
    text = rng.choice([f"{d[:3]} {d[3:6]} {d[6:]}", d, f"{d[:3]}-{d[3:6]}-{d[6:]}"])
    return text, [("NHS_NUMBER", text)]


def slot_ni() -> tuple[str, Ids]:
    first, second = "ABCEGHJKLMNOPRSTWXYZ", "ABCEGHJKLMNPRSTWXYZ"
    while (prefix := rng.choice(first) + rng.choice(second)) in {"BG", "GB", "NK", "KN", "TN",
                                                                  "NT", "ZZ"}:
        pass
    pairs = [f"{rng.randint(0, 99):02d}" for _ in range(3)]
    suffix = rng.choice("ABCD")
    spaced, packed = f"{prefix} {' '.join(pairs)} {suffix}", f"{prefix}{''.join(pairs)}{suffix}"
    text = rng.choice([spaced, packed, packed.lower(), f"{prefix} {''.join(pairs)} {suffix}"])
    return text, [("NI_NUMBER", text)]


def slot_postcode() -> tuple[str, Ids]:
    pc = f"{rng.choice(OUTWARD)} {rng.randint(0, 9)}{rng.choice(INWARD_LETTERS)}" \
         f"{rng.choice(INWARD_LETTERS)}"
    text = rng.choice([pc, pc, pc.replace(" ", ""), pc.lower(), pc.lower().replace(" ", "")])
    return text, [("POSTCODE", text)]


def slot_phone() -> tuple[str, Ids]:
    n = f"{rng.randint(0, 999):03d}"
    text = rng.choice([
        f"07700 900{n}", f"07700900{n}", f"07700-900-{n}", f"+44 7700 900{n}", f"+447700900{n}",
        f"07700 900 {n}", f"01632 960{n}", f"01632960{n}", f"(01632) 960{n}", f"(01632) 960 {n}",
        f"+44 1632 960{n}", f"+44 (0)1632 960{n}", f"01632-960-{n}", f"0113 496 0{n}",
        f"020 7946 0{n}", f"+44 20 7946 0{n}"])
    return text, [("PHONE", text)]


def slot_email() -> tuple[str, Ids]:
    first, last = rng.choice(FIRST).lower(), rng.choice(SURNAMES).lower().replace("'", "")
    local = rng.choice([f"{first}.{last}", f"{first}{last}{rng.randint(1, 99)}",
                        f"{first[0]}{last}", f"{first}_{last}"])
    text = f"{local}@{rng.choice(EMAIL_DOMAINS)}"
    return text, [("EMAIL", text)]


def _date(year: int) -> str:
    d, m = rng.randint(1, 28), rng.randint(1, 12)
    month = MONTHS[m - 1]
    sfx = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(d, "th")
    return rng.choice([
        f"{d:02d}/{m:02d}/{year}", f"{d}/{m}/{year}", f"{d}.{m}.{year % 100:02d}",
        f"{d:02d}.{m:02d}.{year}", f"{d}{sfx} {month} {year}", f"{d} {month[:3]} {year}",
        f"{year}-{m:02d}-{d:02d}", f"{d} {month} {year}", f"{month} {d}, {year}",
        f"{d:02d}-{m:02d}-{year}", f"{d}{sfx} of {month} {year}", f"{d}/{m}/{year % 100:02d}"])


def slot_dob() -> tuple[str, Ids]:
    """A date of birth with its context word ("DOB", "born" ...), any plausible year."""
    year = rng.choice([rng.randint(1925, 1965), rng.randint(1925, 1965), rng.randint(2011, 2015)])
    date = _date(year)
    if year > 2010:  # only the context makes a recent date a birth date; avoid 2-digit years
        date = re.sub(r"(\d+)[./](\d+)[./]\d\d$", rf"\1/\2/{year}", date)
    ctx = rng.choice(["DOB", "DOB:", "dob", "D.O.B.", "born", "born on", "date of birth",
                      "Date of birth:", "d.o.b"])
    return f"{ctx} {date}", [("DATE_OF_BIRTH", date)]


def slot_bare_date() -> tuple[str, Ids]:
    """A full date with a year up to 2010, no context: treated as a date of birth."""
    date = _date(rng.randint(1920, 1975))
    return date, [("DATE_OF_BIRTH", date)]


def slot_address(lower: bool = False) -> tuple[str, Ids]:
    street = f"{rng.choice(STREETS)} {rng.choice(STREET_TYPES)}"
    num = f"{rng.randint(1, 240)}{rng.choice(['', '', '', 'a', 'b'])}"
    text = rng.choice([f"{num} {street}", f"{num} {street}",
                       f"Flat {rng.randint(1, 30)}, {num} {street}",
                       f"Apartment {rng.randint(1, 30)}, {num} {street}"])
    text = text.lower() if lower or rng.random() < 0.2 else text
    return text, [("ADDRESS", text)]


def full_name() -> str:
    return f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}"


def slot_titled() -> tuple[str, Ids]:
    name = rng.choice(SURNAMES) if rng.random() < 0.7 else \
        f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}"
    return f"{rng.choice(TITLES)} {name}", [("NAME", name)]


def slot_titled_lower() -> tuple[str, Ids]:
    name = rng.choice(SURNAMES).lower()
    return f"{rng.choice(LOWER_TITLES)} {name}", [("NAME", name)]


def slot_relation() -> tuple[str, Ids]:
    name = rng.choice(FIRST) if rng.random() < 0.7 else full_name()
    return f"{rng.choice(RELATIONS)} {name}", [("NAME", name)]


def slot_called() -> tuple[str, Ids]:
    lead = rng.choice(CALLED)
    name = rng.choice(FIRST) if rng.random() < 0.6 else full_name()
    if "name is" in lead and rng.random() < 0.5:
        name = name.lower()  # "her name is jean": named-context allows lower case
    return f"{lead} {name}", [("NAME", name)]


SLOTS: dict[str, Slot] = {
    "NHS": slot_nhs, "NI": slot_ni, "PC": slot_postcode, "PHONE": slot_phone,
    "EMAIL": slot_email, "DOB": slot_dob, "DATE": slot_bare_date, "ADDR": slot_address,
    "ADDR_LC": lambda: slot_address(lower=True), "TNAME": slot_titled,
    "TNAME_LC": slot_titled_lower, "REL": slot_relation, "CALLED": slot_called,
}

TEMPLATES = [
    "{TNAME_LC} at {ADDR_LC} {PC} keeps falling, nhs {NHS}, dtr on {PHONE}",
    "Can I get a bath lift for {TNAME}? Lives at {ADDR}, {PC}. {DOB}.",
    "{REL} rang on {PHONE} about respite for next month",
    "NHS number {NHS}, NI {NI} - does she qualify for CHC funding?",
    "email from {EMAIL} re {TNAME} direct payments, what do I tell them",
    "{TNAME} ({DOB}) lives alone at {ADDR} {PC}, refusing carers",
    "{REL} wants a carers assessment, {DOB}, contact {EMAIL}",
    "Referral: {TNAME}, {ADDR}, {PC}. Tel {PHONE}. NHS {NHS}.",
    "hi brenda, {TNAME_LC} {DOB} is self neglecting, gp worried, what are my duties",
    "safeguarding concern for {REL}, lives {ADDR}, phone {PHONE}",
    "Is {TNAME} eligible for a DFG? Postcode {PC}, NI no {NI}",
    "{CALLED} phoned the duty line from {PHONE} asking about day centres",
    "{REL} ({DATE}) moved into {ADDR} last week",
    "{TNAME_LC} {NHS} discharge tomorrow, package needed asap, ring {PHONE}",
    "Pt details: {DOB} / NHS {NHS} / {PC}",
    "how do I complete a mental capacity assessment for {TNAME} who is {DOB}",
    "{REL} emailed me at {EMAIL} saying the package isn't working",
    "Section 42 enquiry - {TNAME}, {ADDR}, {PC}, NI {NI}, tel {PHONE}",
    "{CALLED} lives at {ADDR} and needs a stairlift",
    "dob {DATE} nhs {NHS} - is he entitled to free personal care",
    "my notes: {TNAME} - {ADDR} - {PC} - {PHONE} - {EMAIL}",
    "{TNAME} and {REL} both need assessing, call {PHONE}",
    "can {REL} be paid as a PA under direct payments? {DOB}",
    "review for {TNAME_LC} at {ADDR_LC}, she is {DOB}",
    "Client address {ADDR}, {PC}; NHS No. {NHS}; NINO {NI}",
    "{CALLED} keeps turning up at the office, what should I do",
    "{REL} says she can't cope, mobile {PHONE}",
    "transfer of care for {TNAME}, born {DATE}, new address {ADDR} {PC}",
    "CHC checklist done for {TNAME} ({NHS}), next steps?",
    "out of area placement - {TNAME}, {PC}, contact {REL} on {PHONE}",
    "{TNAME_LC} {PC} wants a key safe fitted, who pays",
    "deferred payment query for {TNAME}, {ADDR}, NI {NI}",
    "blue badge form for {REL}, {DOB}, {EMAIL}",
    "{DATE} is the DOB on the system but {TNAME} says it's wrong",
    "{REL} called from {PHONE}, worried about {TNAME}",
    "Hi, {CALLED}, {DOB}, at {ADDR}, has dementia - respite options?",
]

NO_IDENTIFIERS = [
    "client called yesterday about her bath lift",
    "the son is worried about his mum's memory",
    "her son is worried and wants to know about respite",
    "my client has dementia and lives alone, what support is there",
    "client called yesterday and again today about the package",
    "what is the eligibility threshold for a bath lift",
    "How do I request an OT assessment for a perching stool?",
    "visit on 3 March 2026 to review the care plan",
    "review due 12/05/2025, who signs off the support plan",
    "she is aged 84 and has had 3 falls this month",
    "needs 2 carers on the way to the toilet at night",
    "it's a 10 minute walk to the shops but he won't go out",
    "her MS is getting worse, can we increase calls to 4 a day",
    "Mr and Mrs are the only forms of address on the form",
    "call 111 or 999 out of hours",
    "the Care Act 2014 section 9 says we must assess",
    "is a Section 117 aftercare client charged for care",
    "the daughter is worried her dad is not eating",
    "my client has a DoLS authorisation expiring next week",
    "the husband was the main carer until he had a stroke",
    "service user has capacity but refuses the key safe",
    "what does CHC fast track mean and who can complete it",
    "can a carer be paid by direct payments if they live in the same house",
    "the neighbour says she hasn't seen him for two days",
    "my client wants to move to extra care housing",
    "her partner keeps cancelling the carers",
    "DFG limit is 30000 in England, is that right",
    "the client rang the office three times this morning",
    "how many hours of respite can a carer get per year",
    "she called the GP and social services but no one came",
    "what's the difference between a Section 42 enquiry and a concern",
    "client called to say the bath board is broken",
    "the carer is struggling with moving and handling, 2 carers needed",
    "Can we fund a pendant alarm under prevention?",
    "does the 12 week property disregard apply here",
    "his wife died last year and he is isolated",
    "her mum had a fall on the stairs last night",
    "meeting at 10:30 on 14 April 2026 in the team room",
    "my client was discharged on 2 January 2025 without a package",
    "the son rang back about the financial assessment",
    "the lady next door does her shopping",
    "he lives on the 3rd floor and the lift is broken",
    "a 2 bed bungalow near the park would suit them",
    "the daughter wants a copy of the support plan",
    "the client called social services again",
]

# Hand-written messier cases, labelled by hand: odd spacing, possessives, capitals, "the".
HAND_LABELLED: list[tuple[str, Ids]] = [
    ("mrs o'connor 3 the crescent hx1 2rt, dob 5/6/39",
     [("NAME", "o'connor"), ("ADDRESS", "3 the crescent"), ("POSTCODE", "hx1 2rt"),
      ("DATE_OF_BIRTH", "5/6/39")]),
    ("Dr. Aisha Rahman's number is 07700 900 456",
     [("NAME", "Aisha Rahman"), ("PHONE", "07700 900 456")]),
    ("ring her on 07700900 789 after 4", [("PHONE", "07700900 789")]),
    ("tel: 01632 960 001 or mob 07700 900 002",
     [("PHONE", "01632 960 001"), ("PHONE", "07700 900 002")]),
    ("Email: Sue.Ellis@Example.co.uk", [("EMAIL", "Sue.Ellis@Example.co.uk")]),
    ("DOB - 03/04/1938, lives with daughter", [("DATE_OF_BIRTH", "03/04/1938")]),
    ("d.o.b. 1st Jan 1940", [("DATE_OF_BIRTH", "1st Jan 1940")]),
    ("b. 12 Feb 1950 in Bradford", [("DATE_OF_BIRTH", "12 Feb 1950")]),
    ("her dob is 12th feb 47", [("DATE_OF_BIRTH", "12th feb 47")]),
    ("lives at 45a Kirkstall Rd, Leeds LS5 3BH",
     [("ADDRESS", "45a Kirkstall Rd"), ("POSTCODE", "LS5 3BH")]),
    ("address: Flat 12 Pine Court, 8 Tower Street",
     [("ADDRESS", "12 Pine Court"), ("ADDRESS", "8 Tower Street")]),
    ("NI number is jt 12 34 56 a", [("NI_NUMBER", "jt 12 34 56 a")]),
    ("NINO: AB-12-34-56-C", [("NI_NUMBER", "AB-12-34-56-C")]),
    ("service user Mr Kwame Mensah has moved", [("NAME", "Kwame Mensah")]),
    ("her grand-daughter Leah does the shopping", [("NAME", "Leah")]),
    ("her son's name is Robert", [("NAME", "Robert")]),
    ("Mrs Begum (age 84) is on the waiting list", [("NAME", "Begum")]),
    ("MR SMITH at 5 Park Hill Road", [("NAME", "SMITH"), ("ADDRESS", "5 Park Hill Road")]),
    ("spoke to his daughter Mary-Anne, she's on 0044 7700 900321",
     [("NAME", "Mary-Anne"), ("PHONE", "0044 7700 900321")]),
    ("contact pat.clarke@test.nhs.uk or +44(0)7700 900 654",
     [("EMAIL", "pat.clarke@test.nhs.uk"), ("PHONE", "+44(0)7700 900 654")]),
    ("j.smith+care@example.org sent the referral", [("EMAIL", "j.smith+care@example.org")]),
    ("my client, Mrs. Nowak, was born on March 3rd, 1936",
     [("NAME", "Nowak"), ("DATE_OF_BIRTH", "March 3rd, 1936")]),
    ("Patient: Miss Eileen Walsh  NHS: {nhs1}  Postcode: sw1a1aa",
     [("NAME", "Eileen Walsh"), ("NHS_NUMBER", "{nhs1}"), ("POSTCODE", "sw1a1aa")]),
    ("nhs no.{nhs2} - mrs kaur - 01632 960 777",
     [("NHS_NUMBER", "{nhs2}"), ("NAME", "kaur"), ("PHONE", "01632 960 777")]),
    ("a man named Tomasz knocked at 19 Laburnum Grove",
     [("NAME", "Tomasz"), ("ADDRESS", "19 Laburnum Grove")]),
    ("date of birth 1937-11-02, NI YZ 98 76 54 B",
     [("DATE_OF_BIRTH", "1937-11-02"), ("NI_NUMBER", "YZ 98 76 54 B")]),
    ("Mx Jordan Ellis, Unit 4, 2 Wharf Yard, LS1 4AP",
     [("NAME", "Jordan Ellis"), ("ADDRESS", "Unit 4, 2 Wharf Yard"), ("POSTCODE", "LS1 4AP")]),
    ("her neighbour Doreen found her, GP is Dr Okafor",
     [("NAME", "Doreen"), ("NAME", "Okafor")]),
    # Curly apostrophes (phones type ’ by default) and non-ASCII letters.
    ("her daughter Sarah O’Neil rang about the care plan", [("NAME", "Sarah O’Neil")]),
    ("Mrs D’Souza fell in the kitchen", [("NAME", "D’Souza")]),
    ("lives at 22 Queen’s Road, no carers yet", [("ADDRESS", "22 Queen’s Road")]),
    ("client José fell again last night", [("NAME", "José")]),
    ("Mrs Zoë Brontë needs a commode", [("NAME", "Zoë Brontë")]),
    ("Mr Łukasz Nowak asked about respite", [("NAME", "Łukasz Nowak")]),
    ("her son Darren’s on 07700 900123", [("NAME", "Darren"), ("PHONE", "07700 900123")]),
]

HARD_NEGATIVES = [
    "dr appointment tomorrow at the surgery",
    "needs a 2 metre grab rail by the back door",
    "room 14 on ward 6, discharge planned",
    "ring the duty team on extension 4411",
    "she has 3 close friends at church",
    "the OT report recommends a 4 wheeled walker",
    "we did 3 visits last week and 2 this week",
    # Ordinary words after "dr", "ms", "goes by", "client", "called" and "named".
    "dr prescribed new tablets",
    "she has ms fatigue and weakness",
    "she goes by taxi to day centre",
    "client DFG application how long",
    "we called Police and Safeguarding",
    "It can call a named responder",
]


def fill(template: str) -> tuple[str, Ids]:
    ids: Ids = []

    def sub(m: re.Match[str]) -> str:
        text, found = SLOTS[m.group(1)]()
        ids.extend(found)
        return text

    return re.sub(r"\{(\w+)\}", sub, template), ids


def main() -> None:
    rows = []
    for _ in range(8):  # 36 templates x 8 fills = 288 cases, plus the hand-written ones
        for template in TEMPLATES:
            text, ids = fill(template)
            rows.append({"text": text, "identifiers": [{"kind": k, "text": t} for k, t in ids]})
    nhs = {"nhs1": nhs_number(), "nhs2": nhs_number()}
    for text, ids in HAND_LABELLED:
        rows.append({"text": text.format(**nhs), "identifiers": [
            {"kind": k, "text": t.format(**nhs)} for k, t in ids]})
    rows += [{"text": t, "identifiers": []} for t in NO_IDENTIFIERS + HARD_NEGATIVES]
    rng.shuffle(rows)
    with OUT.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} cases to {OUT}")


if __name__ == "__main__":
    main()
