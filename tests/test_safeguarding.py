"""Safeguarding detection: recall on concerns, false alarms on ordinary practice questions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from askbrenda import safeguarding
from askbrenda.safeguarding import SafeguardingSignal, detect, normalise

HERE = Path(__file__).resolve().parent
CASES = [json.loads(line) for line in (HERE / "data" / "safeguarding_cases.jsonl").open()]
EVAL = HERE / "eval" / "questions.jsonl"


def test_case_file_is_big_enough() -> None:
    concerns = [c for c in CASES if c["concern"]]
    assert len(concerns) >= 60 and len(CASES) - len(concerns) >= 60


def test_recall_and_false_alarm_rate() -> None:
    concerns = [c["text"] for c in CASES if c["concern"]]
    ordinary = [c["text"] for c in CASES if not c["concern"]]
    missed = [t for t in concerns if not detect(t).concern]
    alarms = [t for t in ordinary if detect(t).concern]
    recall = 1 - len(missed) / len(concerns)
    false_alarm = len(alarms) / len(ordinary)
    print(f"\nsafeguarding recall {recall:.3f} ({len(concerns) - len(missed)}/{len(concerns)}), "
          f"false alarms {false_alarm:.3f} ({len(alarms)}/{len(ordinary)})")
    print("missed:", missed, "\nfalse alarms:", alarms)
    # one known miss: "daughter keeps asking ... if she will get the house" (inheritance interest)
    assert recall >= 0.99, missed
    assert false_alarm <= 0.05, alarms


def _eval_rows() -> list[dict]:
    if not EVAL.exists():
        pytest.skip("tests/eval/questions.jsonl not written yet")
    return [json.loads(line) for line in EVAL.open() if line.strip()]


def test_eval_questions_labelled_safeguarding_are_flagged() -> None:
    rows = [r for r in _eval_rows() if r.get("safeguarding") is True]
    missed = [r["id"] for r in rows if not detect(r["question"]).concern]
    print(f"\neval safeguarding recall {1 - len(missed) / max(len(rows), 1):.3f} of {len(rows)}")
    assert rows and not missed


def test_eval_questions_labelled_not_safeguarding_are_not_flagged() -> None:
    rows = [r for r in _eval_rows() if r.get("safeguarding") is False]
    flagged = [(r["id"], detect(r["question"]).reasons) for r in rows
               if detect(r["question"]).concern]
    assert rows and not flagged


@pytest.mark.parametrize("text", [
    "client has bruses on her arms", "brusing on both wrists", "bruised face",
    "i think its finacial abuse", "negelct by the care agency", "safegaurding concern",
    "she is sucidal", "hording, cant get in the door", "FINANCIAL ABUSE!!",
    "she's  TERRIFIED   of   her son", "pt  said he wants to kill himself",
])
def test_typos_case_and_spacing_are_tolerated(text: str) -> None:
    assert detect(text).concern, normalise(text)


@pytest.mark.parametrize("text", [
    "pt has a bruise-resistant sling cover, ok with hoist?",
    "how do i stop the sling digging in, worried it will bruise her skin",
    "on blood thinners and bruises easily, padded bed rail covers?",
    "family carer hurt her back lifting her mum",
    "he fell and hit his head, can the OT still visit",
    "pt is scared of the hoist", "she is afraid she will fall in the shower",
    "he is at risk of falls", "mum wont use the stairlift",
    "son helps with money for the dfg does his income count",
    "financial assessment for the dfg", "care home discharge needs a profiling bed",
    "worried about her falling on the stairs", "pressure damage on heels, boots?",
    "history of alcohol abuse, is a bath lift safe", "profiling bed for end of life",
    "client has a bruise on her shin from the wheelchair footplate",
    "threatened w homelessness = how many days", "pt threatened with eviction, duty to refer?",
    "when does the hoarding panel meet", "who chairs the mutli agency hoarding panel",
])
def test_negative_guards_and_tempting_words(text: str) -> None:
    assert not detect(text).concern, detect(text).reasons


def test_signal_carries_labels() -> None:
    signal = detect("son takes her pension and she is frightened of him")
    assert signal == SafeguardingSignal(True, signal.reasons)
    assert "financial abuse" in signal.reasons and "fear of someone" in signal.reasons
    assert detect("how wide is a stairlift rail") == SafeguardingSignal(False, ())


def test_guard_only_blanks_its_own_phrase() -> None:
    # a benign phrase must not hide a real concern elsewhere in the question
    assert detect("bruise-resistant sling, but she has new bruises on her neck").concern
    assert detect("threatened with eviction, and her son threatened to hit her").concern
    assert detect("hoarder, exits blocked, refer to the hoarding panel?").concern


def test_repeated_medication_errors_and_missed_calls_are_neglect() -> None:
    for told in ("3rd med error for same pt in 2 months, now drowsy + confused",
                 "another medication error by the agency", "medication errors again",
                 "agency has missed loads of calls"):
        assert "neglect" in detect(told).reasons, told
    for asked in ("how do i report a med error", "carer gave wrong dose, what form do i use",
                  "numerous errors in the assessment", "several mistakes on the form"):
        assert not detect(asked).concern, asked


def test_fuzzy_correction_leaves_ordinary_words_alone() -> None:
    knowledge = HERE.parent / "knowledge"
    words = {w for f in knowledge.glob("*") if f.is_file()
             for w in re.findall(r"[a-z]+", f.read_text(errors="ignore").lower())}
    assert words, "knowledge folder is empty"
    changed = {w: safeguarding._fix(w) for w in words if safeguarding._fix(w) != w}
    assert not changed
    for word in ("boarding", "harder", "amusing", "explained", "cruising"):
        assert safeguarding._fix(word) == word


def test_tables_have_no_doubled_space_from_line_wrapping() -> None:
    # a wrap right after an optional group ending in a space ("(?:the )?") would demand two spaces
    for label, rx in (*safeguarding._COMPILED, ("guards", safeguarding._GUARD)):
        assert not re.search(r" \)(?:[?*+]|\{\d*,?\d*\}) ", rx.pattern), label
        assert "  " not in rx.pattern, label


def test_an_appointee_keeping_the_money_is_financial_abuse() -> None:
    assert detect("her brother is appointee and he keeps the money, nothing left for food").concern
    assert detect("theres nothing left for the kids food after he takes his cut").concern
    assert not detect("pt keeps the money for the window cleaner in a jar").concern


def test_the_classifier_reads_situations_not_topic_words() -> None:
    from askbrenda import safeguarding_model
    from askbrenda.embeddings import get_embedder

    def assess(text: str) -> bool:
        return safeguarding_model.assess(text, get_embedder().encode([text])[0]).concern

    # Two words name a topic: "kettle tipper" scored 0.54 and was flagged.
    assert not assess("kettle tipper") and not assess("key safe")
    # A question about the procedure names the topic and describes no one at risk.
    procedure = "once ive sent the SA1 how long till the hub decides if its a s42"
    assert detect(procedure).concern and not assess(procedure)
    assert assess("i need to raise a safeguarding concern about a neighbour")
    # A situation in words no phrase rule knows is still caught by the classifier.
    situation = "son moved back in and now she never answers the door to the carers"
    assert not detect(situation).concern and assess(situation)
    # An ordinary need is not a concern (the FORMAT.md example scored 0.59 on the embedding
    # alone); the same need with a risk in it is.
    assert not assess("client cant get in the bath what can i order")
    assert assess("client cant get in the bath and her son wont let carers wash her")
    # A concern about someone is never read as a question about the procedure.
    assert assess("want to raise a safeguarding concern about my clients son")


def test_review_findings_on_the_phrase_rules() -> None:
    # someone else holding the money is a concern; the person's own money and things are not
    assert detect("son has her bank card").concern
    for text in ("pt has his savings over 23k does he still get a dfg",
                 "pt keeps her things on the stairs is that a trip hazard",
                 "pt has his benefits reviewed soon does that affect dfg"):
        assert not detect(text).concern, (text, detect(text).reasons)
    # short concerns, and a z for an s
    for text in ("pt cuts herself", "she gets hit", "son steals from her", "grandson robbing her",
                 "i think pt is being abuzed"):
        assert detect(text).concern, text
    # accidents and bills are not assaults; an injury from equipment is not abuse
    for text in ("she got hit by the door", "family got hit with a huge energy bill",
                 "bruised from footplate"):
        assert not detect(text).concern, (text, detect(text).reasons)


def test_short_questions_are_read_by_the_classifier() -> None:
    from askbrenda import safeguarding_model
    from askbrenda.embeddings import get_embedder

    def assess(text: str) -> bool:
        return safeguarding_model.assess(text, get_embedder().encode([text])[0]).concern

    # three or four words no phrase rule knows (classifier 0.91 to 0.99)
    for text in ("son nicking her money", "scard of her son", "carer stole her ring",
                 "hes hittin her"):
        assert assess(text), text
    # short equipment questions stay quiet, near the short threshold too (0.65 to 0.69)
    for text in ("pt lost her glasses", "pt wanders at night", "pt not eating much",
                 "bath lift weight limit", "daughter manages her money"):
        assert not assess(text), text
    # "no concerns about abuse" is not a concern about someone
    assert not assess("no concerns about abuse just need a bath lift")
