"""Whether a passage holds an answer (askbrenda.evidence), the retrievers' fusion and the
built-in shorthand: the pieces confidence is made of, on small real inputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from askbrenda.calibration import SHIPPED, Calibration, fit, training_rows, with_agreement
from askbrenda.cases import age_spans, asked_ages, asked_nations, for_age, labelled, other_label
from askbrenda.curator import Glossary
from askbrenda.evidence import (
    answer_sentence,
    covered,
    names,
    sentences,
    wanted,
    word_pairs,
)
from askbrenda.kinds import answer_type_found, gives
from askbrenda.question import content_words
from askbrenda.retrieve import fuse
from askbrenda.store import _tokenize


def _groups(*words: str) -> list[set[str]]:
    return [set(_tokenize([w])[0]) for w in words]


def _one(token: str) -> float:
    return 1.0


def test_a_common_word_of_an_expansion_counts_for_little() -> None:
    groups = [set(_tokenize(["aa Attendance Allowance"])[0])]
    idf = {"allow": 0.5, "attend": 4.0, "aa": 5.0}.get
    assert covered(groups, lambda t: idf(t, 0.0), set(_tokenize(["Carer's Allowance"])[0])) == 0.5
    assert covered(groups, lambda t: idf(t, 0.0), set(_tokenize(["attendance"])[0])) == 4.0


def test_one_sentence_must_hold_the_whole_question() -> None:
    groups = _groups("ema", "wales")
    split = [("Education Maintenance Allowance",
              "You can get EMA of £30 a week. If you live in Wales, apply to your council.")]
    together = [("Education Maintenance Allowance", "In Wales EMA is £40 a week.")]
    asked = "how much is ema in wales"
    assert answer_sentence(asked, groups, [1.0, 1.0], _one, together) == 1.0
    # Each sentence covers one word; the one with the figure lacks "Wales".
    assert answer_sentence(asked, groups, [1.0, 1.0], _one, split) == 0.5


def test_the_kind_of_fact_asked_for_must_be_in_the_sentence() -> None:
    groups = _groups("stairlift", "weight")
    passage = [("Stairlifts", "A stairlift needs a weight assessment. Bath lifts take 140 kg.")]
    assert answer_sentence("max weight for a stairlift", groups, [1.0, 1.0], _one, passage) == 0.5
    assert answer_type_found("what age can a child leave school", ["Aged 16 or over."]) == 1.0
    assert answer_type_found("what age can a child leave school", ["Ask the school."]) == 0.0
    assert wanted("can she have a bath board") == ()
    assert len(wanted("what age and how much is the grant")) == 2  # age and money
    assert wanted("17yo on UC owes £1600, can she get a budgeting loan") == ()  # stated, not asked


def test_a_count_must_count_the_thing_asked_about() -> None:
    asked = "how many points does she need for the enhanced rate"
    assert answer_type_found(asked, ["You need at least 12 points in the assessment."]) == 1.0
    # A figure, but not a count of points: the folder is about it and does not say.
    assert answer_type_found(asked, ["The enhanced rate is £75.75 a week."]) == 0.0
    # The next word may be the noun, and a typo keeps its first letters.
    assert answer_type_found("how many diffrent debts at once", ["Up to 3 debts at once."]) == 1.0
    assert answer_type_found("how many adoptoin appts", ["5 adoption appointments."]) == 1.0
    assert answer_type_found("how many vists before she moves in", ["At least 3 visits."]) == 1.0
    # Time units belong to the time kind ("how many wks": any number of weeks).
    assert answer_type_found("how many wks of SPL", ["Up to 50 weeks of leave."]) == 1.0


def test_how_often_a_limit_and_a_percentage_are_kinds_of_fact() -> None:
    assert answer_type_found("how often should the hoist be checked",
                             ["At least every 6 months."]) == 1.0
    assert answer_type_found("how often should the hoist be checked",
                             ["The engineer checks the hoist."]) == 0.0
    assert answer_type_found("whats the interest rate on the loan", ["The loan is £300."]) == 0.0
    assert answer_type_found("whats the interest rate on the loan", ["Interest is 6.7%."]) == 1.0
    assert answer_type_found("max budgeting loan for a couple", ["You can borrow more."]) == 0.0
    assert answer_type_found("what salary before she repays a plan 2 loan",
                             ["Your plan decides when you start repaying."]) == 0.0
    assert wanted("is she on the minimum wage") == ()  # a name, not a limit asked for
    assert wanted("pt on higher rate mobility, can she lease a car") == ()  # a rate stated


def test_a_number_that_names_a_thing_is_no_figure() -> None:
    # "Level 1: ... perching stools" answered "max user wt perching stool".
    asked = "max user wt perching stool"
    assert answer_type_found(asked, ["Level 1 (trusted assessors): perching stools."]) == 0.0
    assert answer_type_found(asked, ["Perching stools take up to 127 kg."]) == 1.0
    assert answer_type_found("how many visits", ["Priority 1 visits come first."]) == 0.0
    assert answer_type_found("how many visits", ["Two visits, a week apart."]) == 1.0


def test_a_number_asked_for_is_the_number_itself() -> None:
    # A checklist's "phone number" gives no number; "phone the Hub" says who to phone.
    checklist = ["Check the person's address, phone number and access details."]
    assert answer_type_found("careline phone number", checklist) == 0.0
    assert answer_type_found("whats the number", ["Phone Careline on 01632 960500."]) == 1.0
    assert answer_type_found("who do i ring", ["Phone the AMHP Hub (or EDT out of hours)."]) == 1.0
    assert answer_type_found("out of hours number", ["If in danger call 999."]) == 1.0
    # A name and "phone" asks for the number too; asking whether one may phone does not.
    assert answer_type_found("amhp hub phone", ["Phone the AMHP Hub."]) == 0.0
    assert answer_type_found("amhp hub phone", ["AMHP Hub: 01632 970820"]) == 1.0
    assert wanted("can she phone") == () and wanted("pendant works without a landline phone?") == ()


def test_a_deadline_may_be_a_time_of_day() -> None:
    asked = "deadline for getting ech1 in befor panel"
    assert answer_type_found(asked, ["Send ECH1 by 12 noon on the Friday before the panel."]) == 1.0
    assert answer_type_found(asked, ["Send ECH1 to the panel by email."]) == 0.0


def test_another_band_level_or_section_does_not_answer() -> None:
    asked = labelled("band B medical priorty - when does it get reviewed")
    assert other_label(asked, "Band A awards are reviewed after 3 months.")
    assert not other_label(asked, "Band B awards are reviewed yearly.")
    assert not other_label(asked, "Awards are reviewed yearly.")  # names no band at all
    # Asked about two sections, a sentence naming one of them (and a third) may answer.
    both = labelled("discharged off section 2, does he get section 117 aftercare")
    assert not other_label(both, "Section 117 covers people detained under section 3.")
    assert other_label(both, "After section 3 they get aftercare.")
    # Lists and ranges name each of theirs: "section 2 or 3", "levels 1 to 3".
    off_3 = labelled("nearest relative wants her son discharged off section 3")
    assert not other_label(off_3, "Ask for discharge from section 2 or 3, by written notice.")
    assert labelled("levels 1 to 3") == {("level", "1"), ("level", "2"), ("level", "3")}
    assert labelled("section 2 or a section 3") == {("section", "2"), ("section", "3")}


def test_an_age_is_a_condition_and_a_rule_says_which_ages_it_is_for() -> None:
    assert asked_ages("and for a 19 yr old?") == {19}
    assert asked_ages("14yo son interpret") == {14} and asked_ages("gent aged 58") == {58}
    # A duration or a range is no age the question gives.
    assert asked_ages("selling house 3 yrs after dfg") == set()
    assert asked_ages("care leavers aged 18-20") == set()
    assert content_words("and for a 19 yr old?") == []
    assert age_spans("Young people aged 18 to 24 are assessed") == ((18, 24),)
    assert age_spans("Homeless 16 and 17 year olds") == ((16, 17),)
    assert age_spans("adults aged 65 or over") == ((65, 150),)
    assert age_spans("children under 5") == ((0, 4),)
    assert age_spans("within 28 days, under 150 kg, over 12 months") == ()
    assert for_age(frozenset({19}), "Young people aged 18 to 24 are assessed by YANS.")
    assert not for_age(frozenset({19}), "Adults aged 25 and over are assessed by KAAAS.")
    assert not for_age(frozenset(), "Young people aged 18 to 24")


def test_a_period_asked_about_must_be_named() -> None:
    asked = "whats the PA hourly rate going to be for 2026/27"
    assert answer_type_found(asked, ["The PA rate for 2025/26 is £15.80 an hour."]) == 0.0
    assert answer_type_found(asked, ["From April 2026 the PA rate is £16.20 an hour."]) == 1.0
    assert answer_type_found("max grant for an adult dependant for 2024/25",
                             ["£3,438 for the 2024 to 2025 academic year"]) == 1.0
    # A year that states a condition asks for no period.
    assert wanted("husband died in 2019, can she still claim") == ()
    assert wanted("old EPA from 2005 - does it cover care decisions") == ()
    # A range of months before the year: the rate given for another half-year does not answer.
    assert answer_type_found("deferred payment interest rate for jan-june 2025?",
                             ["The rate for July to December 2024 is 4.15%."]) == 0.0
    # A financial year is a period however it is asked, and a heading can date the rates
    # listed under it.
    bare = "home care framework hourly rate 2025/26"
    assert answer_type_found(bare, ["Standard hourly rate: £24.60 per hour"],
                             ["Framework rates (2024/25)"]) == 0.0
    assert answer_type_found(bare, ["Standard hourly rate: £25.10 per hour"],
                             ["Framework rates (2025/26)"]) == 1.0
    assert gives(wanted(bare), "Standard hourly rate: £25.10 per hour", "Framework rates (2025/26)")
    assert not gives(wanted(bare), "Standard hourly rate: £24.60 per hour", "Rates (2024/25)")
    # Typed with a dash, or short after "for": the first year is the one asked about.
    for typed in ("RAS band C budget for last yr 2024-25", "resi usual rate for 24/25?"):
        assert answer_type_found(typed, ["Band C: £180 a week"], ["RAS bands 2025-26"]) == 0.0
        assert answer_type_found(typed, ["Band C: £175 a week"], ["RAS bands 2024-25"]) == 1.0
    assert wanted("score 24/25 on the test") == ()


def test_a_phone_number_asked_for_must_be_given() -> None:
    for asked in ("is there a weekend numbr for the autism hub", "direct number for the team",
                  "duty no for the hub"):
        assert answer_type_found(asked, ["Email the hub at hub@council.example."]) == 0.0
        assert answer_type_found(asked, ["Ring the hub on 01632 970700."]) == 1.0
    assert wanted("will the alarm still work when the phone line goes digital") == ()


def test_a_rate_of_pay_asks_for_money() -> None:
    for asked in ("SSP weekly rate and max no of weeks?", "rate for a waking night from an agency?",
                  "mileage rate for home visits in own car"):
        assert answer_type_found(asked, ["Claims are paid monthly in arrears."]) == 0.0
        assert answer_type_found(asked, ["It is paid at £118.75 a week."]) == 1.0
    for not_money in ("how do i rate the bathroom and hallway on the CIR",
                      "is she on the higher rate"):
        assert wanted(not_money) == (), not_money


def test_an_email_address_asked_for_must_be_given() -> None:
    for asked in ("where do i emial the DTR1 to", "email address for the hub",
                  "whats the email for ICES"):
        assert answer_type_found(asked, ["Ring the hub on 01632 970700."]) == 0.0
        assert answer_type_found(asked, ["Send it to dutytorefer@kirkmoor.example."]) == 1.0
    assert wanted("can i just email the AMHP hub an urgent request") == ()


def test_how_much_time_off_asks_how_long_not_how_much_money() -> None:
    asked = "how much time off can the dad get when the baby comes"
    assert answer_type_found(asked, ["He can take 1 or 2 weeks of leave."]) == 1.0
    assert answer_type_found(asked, ["Paternity pay is £184.03 a week."]) == 0.0
    assert answer_type_found("how much notice must she give", ["At least 15 days."]) == 1.0
    assert answer_type_found("how much is a stairlift", ["A stairlift costs £3,000."]) == 1.0
    # A battery's charge, and the charge being worked out, are mentioned, not asked about.
    assert wanted("is pip mobility counted as income when they work out the charge") == ()
    assert len(wanted("bath lift battery how many baths per charge")) == 2  # counts, not money
    assert answer_type_found("is there a charge for a key safe", ["Key safes are free."]) == 1.0
    # What is paid, said without a figure, answers too.
    assert answer_type_found("cancelled the interpreter the day before, will we get charged",
                             ["Bookings cancelled at less than 48 hours' notice are charged in full."]
                             ) == 1.0
    assert answer_type_found("will we get charged", ["Cancel through the portal."]) == 0.0


def test_a_sentence_about_another_nation_does_not_answer() -> None:
    groups = _groups("dfg", "limit", "wales")
    passage = [("Disabled Facilities Grants", "The DFG limit in England is £30,000.")]
    assert answer_sentence("dfg limit in wales", groups, [1.0] * 3, _one, passage) == 0.0
    # Asked about England, the same sentence answers; with no nation asked, it counts too.
    assert answer_sentence("dfg limit in england", _groups("dfg", "limit", "england"), [1.0] * 3,
                           _one, passage) == 1.0
    assert answer_sentence("dfg limit", _groups("dfg", "limit"), [1.0] * 2, _one, passage) == 1.0
    # A passage that never names the nation asked about cannot say what applies there.
    silent = [("Disabled Facilities Grants", "The DFG limit is £30,000.")]
    named = [("Disabled Facilities Grants", "This applies in Wales. The DFG limit is £30,000.")]
    assert answer_sentence("dfg limit in wales", groups, [1.0] * 3, _one, silent) == 0.0
    assert answer_sentence("dfg limit in wales", groups, [1.0] * 3, _one, named) == 2 / 3
    # "english" in a question is the language, not a place to ask about.
    assert asked_nations("explain the dfg to a family who dont speak english") == frozenset()
    assert asked_nations("scottish child payment, and is it the same in wales") == {"scotland", "wales"}
    assert asked_nations("family in cardiff want to appeal the decision") == {"wales"}


def test_a_sentence_about_another_kind_of_the_thing_does_not_answer() -> None:
    # The issue's own example: only bath lifts have a weight limit in the guidance.
    idf = {"stairlift": 2.4, "lift": 2.1, "bath": 2.0, "weight": 2.5, "paperwork": 4.7,
           "work": 1.3, "lone": 3.0}
    rarity = lambda t: idf.get(t, 5.8)  # noqa: E731  (a token in no chunk weighs the most)
    bath = [("Powered bath lifts", "The bath lift maximum user weight is 140 kg.")]
    stair = [("Stairlifts", "The stair lift maximum user weight is 160 kg.")]
    asked = "stairlift max user weight"
    groups = _groups("stairlift", "max", "weight")
    assert answer_sentence(asked, groups, [2.4, 3.4, 2.5], rarity, bath) == 0.0
    assert answer_sentence(asked, groups, [2.4, 3.4, 2.5], rarity, stair) > 0.5
    # "paperwork" and "lone working" only share "work", far commoner than the compound.
    forms = [("Lone working", "Record the visit on the lone working form.")]
    assert answer_sentence("what paperwork after a visit", _groups("paperwork", "visit"),
                           [4.7, 2.0], rarity, forms) > 0.0



def test_a_sentence_naming_another_scheme_does_not_answer() -> None:
    known = lambda t: 9.0 if t == "" else 1.0  # noqa: E731  (every word known to the folder)
    funeral = [("Get help with funeral costs (Funeral Expenses Payment)\nWhat you'll get",
                "You can get up to £1,000 for other funeral expenses.")]

    def share(question: str, *words: str) -> float:
        groups = _groups(*words)
        return answer_sentence(question, groups, [1.0] * len(groups), known, funeral,
                               word_pairs(question))

    # Scotland's Funeral Support Payment is not the Funeral Expenses Payment.
    assert share("how much is the funeral support payment", "funeral", "support", "payment") == 0.0
    # The scheme itself, also typed with a typo, or a modifier the question also has: it counts.
    assert share("how much is the funeral expenses payment", "funeral", "expenses", "payment") == 1.0
    assert share("how much is the funeral expences payment", "funeral", "expences", "payment") > 0.5
    assert share("how much funeral payment for expenses", "funeral", "payment", "expenses") == 1.0
    # Without the question's word pairs (older callers), the rule does not apply.
    groups = _groups("funeral", "support", "payment")
    assert answer_sentence("funeral support payment", groups, [1.0] * 3, known, funeral) > 0.5


def test_names_are_read_line_by_line() -> None:
    # A title and its section heading are separate lines: "Housing Benefit Supporting" is no name.
    assert names("Housing Benefit\nSupporting your claim") == (("hous", "benefit"),)
    assert names("Get help (Funeral Expenses Payment)") == (("expens", "payment"),)
    assert names("no capitals here, Only one") == ()

def test_fusion_keeps_a_clear_winner_of_one_retriever_on_top() -> None:
    # "a": first for dense by a wide margin, unseen by BM25 ("y1" the same for BM25); "f": fifth
    # in both lists. Reciprocal rank fusion puts "f" above both (2/66 > 1/61); the blend does not.
    dense = {"a": 0.90, "x1": 0.62, "x2": 0.61, "x3": 0.60, "f": 0.58, "x4": 0.50}
    lexical = {"y1": 10.0, "y2": 9.0, "y3": 8.0, "y4": 7.0, "f": 6.5}
    fused = fuse(dense, lexical)
    assert fused["a"] > fused["f"] and fused["y1"] > fused["f"]
    assert fused["f"] > fused["x1"]  # being in both lists still counts
    assert fuse({}, {}) == {}


def test_builtin_shorthand_with_the_folder_winning(tmp_path: Path) -> None:
    assert Glossary.load(tmp_path).expand("16yo on uc, max hrs pw") == (
        "16yo (years old) on uc (Universal Credit), max (maximum) hrs (hours) pw (per week)")
    assert Glossary.load(tmp_path).expand("newly dx, ot ax b4 the mtg") == (
        "newly dx (diagnosis), ot (occupational therapist) ax (assessment) b4 (before) the mtg "
        "(meeting)")
    (tmp_path / "glossary.yaml").write_text("PA: pendant alarm\n", encoding="utf-8")
    glossary = Glossary.load(tmp_path)
    assert glossary.expand("pa broken") == "pa (pendant alarm) broken"
    assert Glossary.load(tmp_path, builtin=False).expand("uc") == "uc"


def test_calibration_learns_from_answerable_and_on_topic_missing_only() -> None:
    rows = [{"answerable": True}, {"answerable": False, "category": "on-topic-missing"},
            {"answerable": False, "category": "off-topic"},
            {"answerable": True, "safeguarding": True}]
    assert training_rows(rows) == rows[:2]


def test_one_question_near_the_threshold_barely_moves_it() -> None:
    # 220 labelled questions whose confidence features overlap, as real ones do.
    rng = np.random.default_rng(1)
    answerable = [bool(a) for a in rng.random(220) < 0.75]
    rows = [{"answer_sentence": float(rng.normal(0.6 if a else 0.3, 0.2)),
             "reader": float(rng.normal(0.1 if a else -0.3, 0.2))} for a in answerable]
    before = fit(rows, answerable)
    # The answerable question just below the threshold now scores just above it.
    conf = [before.confidence(r) for r in rows]
    edge = max((c, i) for i, c in enumerate(conf) if answerable[i] and c < before.threshold)[1]
    moved = [dict(r) for r in rows]
    moved[edge]["answer_sentence"] += 0.2
    after = fit(moved, answerable)
    assert abs(after.threshold - before.threshold) < 0.02
    assert 0.85 <= after.metrics["answer_rate"] <= 0.95


def test_the_answer_sentence_and_the_reader_must_agree() -> None:
    def agreement(answer_sentence: float, reader: float) -> float:
        return with_agreement({"answer_sentence": answer_sentence, "reader": reader})["agreement"]

    assert agreement(1.0, -1.0) == 0.0 and agreement(0.0, 1.0) == 0.0
    assert agreement(1.0, 1.0) == 1.0
    # Every word of the question in one sentence ("The bath lift maximum user weight is
    # 140 kg" for a through-floor lift) while the reader reads no answer there, against a
    # sentence that covers less but that the reader believes: the second is more likely right.
    shipped = Calibration.read(SHIPPED)
    words_only = shipped.confidence({"answer_sentence": 1.0, "reader": -0.3, "answer_type": 1.0})
    both = shipped.confidence({"answer_sentence": 0.7, "reader": 0.1, "answer_type": 1.0})
    assert words_only < both


def test_within_reach_is_no_time() -> None:
    assert answer_type_found("how long does it take", ["Fitted within 2 working days."]) == 1.0
    assert answer_type_found("how long does it take", ["A vertical rail within reach."]) == 0.0
    # A duration written with a hyphen, and a cost code asks for no money.
    assert answer_type_found("recon stairlift warranty how long",
                             ["These carry a 12-month warranty."]) == 1.0
    assert wanted("interpreting cost code hosp team") == ()


def test_a_missing_kind_of_fact_halves_confidence() -> None:
    calibration = Calibration(weights={"reader": 4.0}, intercept=0.0)
    found = calibration.confidence({"reader": 0.3, "answer_type": 1.0})
    assert calibration.confidence({"reader": 0.3, "answer_type": 0.0}) == pytest.approx(found / 2)
    assert calibration.confidence({"reader": 0.3}) == found  # no kind asked for


def test_a_table_row_is_a_header_only_above_its_rule() -> None:
    # a passage cut inside a table: its first row is data, not the header of the rest
    cut = "| Flood detector | Alerts if water |\n| Pill dispenser | Opens at set times |"
    assert sentences(cut) == ["Flood detector; Alerts if water", "Pill dispenser; Opens at set times"]
    whole = "| Device | Does |\n|---|---|\n| Flood detector | Alerts if water |"
    assert sentences(whole) == ["Device: Flood detector; Does: Alerts if water"]


def test_in_charge_and_charging_a_battery_do_not_ask_a_price() -> None:
    assert wanted("who is in charge of servicing stairlifts") == ()
    assert wanted("how do i charge the stairlift") == ()
    assert wanted("do we charge for a keysafe") and wanted("will she be charged")


def test_a_table_row_answers_only_about_what_its_cells_or_heading_name() -> None:
    groups = _groups("stairlift", "maximum", "weight")
    table = ("| Equipment | Maximum user weight |\n|---|---|\n| Bath board | 150 kg |\n"
             "| Stairlift (straight) | 120 kg |")
    asked = "stairlift maximum weight"
    # the stairlift row names the stairlift; the bath board row has only the header's words
    assert answer_sentence(asked, groups, [1.0, 1.0, 1.0], _one, [("Bathing", table)]) == 1.0
    no_stairlift = table.rsplit("\n", 1)[0]
    assert answer_sentence(asked, groups, [1.0, 1.0, 1.0], _one, [("Bathing", no_stairlift)]) == 0.0
    # a heading can name the subject for every row of its table
    models = "| Model | Maximum user weight |\n|---|---|\n| Model A | 120 kg |"
    assert answer_sentence(asked, groups, [1.0, 1.0, 1.0], _one, [("Stairlifts", models)]) == 1.0


def test_a_table_row_about_another_two_word_kind_does_not_answer() -> None:
    groups = _groups("perching", "stool", "maximum", "weight")
    table = ("| Equipment | Maximum user weight |\n|---|---|\n| Shower stool | 136 kg |")
    asked = "perching stool maximum weight"
    compounds = [tuple(_tokenize(["perching stool"])[0])]
    weights = [1.0] * 4
    # the folder calls something a "perching stool", so a "shower stool" row is another kind
    assert answer_sentence(asked, groups, weights, _one, [("Bathing", table)],
                           compounds=compounds) == 0.0
    assert answer_sentence(asked, groups, weights, _one, [("Bathing", table)]) == 0.75
    # a figure in the question is a condition: a row that names only it does not answer
    groups = _groups("hoist", "maximum", "weight", "190kg")
    rows = "| Equipment | Maximum user weight |\n|---|---|\n| Bath board | 190 kg |"
    assert answer_sentence("hoist maximum weight for 190kg", groups, weights, _one,
                           [("Bathing", rows)]) == 0.0
