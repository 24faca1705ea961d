"""The answerability reader: the real fine-tuned cross-encoder, on the CPU."""

from __future__ import annotations

import math

import pytest

from askbrenda.reader import WEIGHTS, get_reader, window

CASES = [  # question, heading, passage that answers, the same passage with the answer cut out
    ("max user weight for a powered bath lift", "Bathing equipment\nPowered bath lifts",
     "Powered bath lifts lower the person into the water and raise them out. The standard model "
     "takes users up to 140 kg. Check the bath is deep enough before ordering.",
     "Powered bath lifts lower the person into the water and raise them out. Check the bath is "
     "deep enough before ordering."),
    ("how often do hoists need a service", "Hoists and slings\nServicing",
     "Every hoist we issue is on the maintenance contract. Hoists are serviced and checked every "
     "6 months under LOLER. Slings are checked at the same visit.",
     "Every hoist we issue is on the maintenance contract. Slings are checked at the same visit."),
    ("who do i call if a client's key safe code has been shared", "Lone working\nKey safes",
     "Key safes let carers get in when the person cannot answer the door. If a code may have been "
     "shared, ring the duty team on 01234 567890 the same day so the code is changed.",
     "Key safes let carers get in when the person cannot answer the door. Codes are set when the "
     "key safe is fitted."),
]


def test_window_starts_one_sentence_before_the_best_match() -> None:
    text = ("Intro sentence. Bath boards sit across the bath. Bath boards take up to 150 kg. "
            "Order through the store. Returns go back to the store.")
    seen = window("bath board weight limit kg", "Bathing", text)
    assert seen.startswith("Bathing: Bath boards sit across the bath. Bath boards take up to 150 kg.")
    assert len(window("x", "H", "word " * 500)) <= 600


def test_weights_ship_with_the_package() -> None:
    assert WEIGHTS.exists() and WEIGHTS.stat().st_size > 1_000_000


@pytest.mark.parametrize("question, heading, answers, cut", CASES)
def test_reader_tells_an_answer_from_the_same_passage_without_it(
        question: str, heading: str, answers: str, cut: str) -> None:
    reader = get_reader()
    assert reader is not None
    with_answer, without = reader.log_odds(question, [(heading, answers), (heading, cut)])
    # The same words, less the answer: the passage that answers scores higher (by at least a
    # factor of 2.7 in odds), and the one that does not is read as not answering (p < 0.2).
    # Short passages score low even when they answer (docs/architecture.md), so no floor is
    # asserted for the one that answers.
    assert with_answer > without + 1.0
    assert without < math.log(0.2 / 0.8)


def test_a_pasted_paragraph_for_a_question_is_read_too() -> None:
    reader = get_reader()
    assert reader is not None
    question = "my client " + "has a lot going on and " * 80 + "what is the bath lift weight limit"
    [score] = reader.score(question, [("Bathing", "The bath lift takes users up to 140 kg.")])
    assert 0.0 <= score <= 1.0
    assert reader.score("anything", []) == []


def test_another_embedding_model_gets_no_reader(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The trained layers sit on top of the built-in model's: they mean nothing on another one.
    assert get_reader(str(tmp_path)) is None
