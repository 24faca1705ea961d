"""Which words of a practitioner's question carry its topic (askbrenda.question)."""

from __future__ import annotations

from askbrenda.question import (
    content_words,
    follow_up,
    is_follow_up,
    question_parts,
    spell_sections,
    spelling_variants,
)


def test_people_and_filler_carry_no_topic() -> None:
    assert content_words("mum needs a bath board, can she get one?") == ["bath", "board"]


def test_contractions_typed_without_the_apostrophe_carry_no_topic() -> None:
    assert content_words("does her pension stop when shes on leave") == ["pension", "stop", "leave"]
    assert content_words("theyre short staffed, didnt say") == ["short", "staffed"]


def test_words_a_generic_stop_list_drops_still_count() -> None:
    # scikit-learn's English list drops "interest" and "back"; in care and benefits they matter.
    assert content_words("whats the interest rate") == ["interest", "rate"]
    assert content_words("pt with back pain") == ["back", "pain"]


def test_a_year_is_a_word_and_each_word_counts_once() -> None:
    assert content_words("CB from april 2025, april rate") == ["cb", "april", "rate", "2025"]


def test_a_time_an_ordinal_and_ringing_carry_no_topic() -> None:
    # "pm" and "ring" were words no folder holds, so no sentence could cover the question.
    assert content_words("need a MHA ax at 6pm on a weds, who do i ring") == ["mha", "ax", "weds"]
    assert content_words("her 3rd baby, 20st") == ["baby"]
    assert content_words("pm visit") == ["pm", "visit"]  # a word of its own still counts


def test_an_ending_spelled_the_other_way() -> None:
    assert spelling_variants("advisors") == ["advisers"]
    assert "behaviour" in spelling_variants("behavior")
    assert spelling_variants("organize") == ["organise"]


def test_a_section_typed_short_is_spelled_out_and_its_number_counts() -> None:
    assert spell_sections("held on s136") == "held on s136 (section 136)"
    assert spell_sections("is s.117 after a sec 2?") == "is s.117 (section 117) after a section 2?"
    assert spell_sections("pt's 2 sons, s 3 of the form") == "pt's 2 sons, s 3 of the form"
    assert spell_sections("lives at S10 2TN") == "lives at S10 2TN"  # a Sheffield postcode
    # "section 117" is not "section 42": the number is a word the answer must hold.
    assert content_words("is section 117 after section 2") == ["section", "117", "2"]


def test_a_follow_up_leans_on_the_previous_question() -> None:
    assert is_follow_up("what about for stairs?", ["max weight for a bath lift"])
    assert is_follow_up("does that need a form", ["grab rail by the toilet"])
    assert not is_follow_up("what about for stairs?", [])
    assert not is_follow_up("how wide must a doorway be for a wheelchair", ["bath lift"])
    # A question that names no topic of its own is about the last one; thanks is no question.
    assert is_follow_up("how often?", ["who services hoists"])
    assert not is_follow_up("ok thanks", ["who services hoists"])
    # Asking only for a detail (a number, an email, the form) is about the last topic.
    assert follow_up("whats the number", ["where do i refer for an IMCA"]) == "sure"
    assert follow_up("email?", ["who runs the carers assessment"]) == "sure"
    assert follow_up("what's the form", ["how do i apply for a DFG"]) == "sure"
    assert follow_up("whats the number for the sensory team", ["bath lift max weight"]) == ""
    assert follow_up("who do i ring", ["stairlift broken down"]) == "sure"
    # Only what is asked about it, with nothing named: about the last topic.
    for question in ("how long does that take", "is it free", "who fits them"):
        assert follow_up(question, ["grab rail MA standard priority"]) == "sure", question
    assert follow_up("can they have a keysafe?", ["hoist for a bariatric pt"]) == "maybe"


def test_a_message_that_asks_two_things_is_split_with_its_situation() -> None:
    assert question_parts("stairlift not needed any more, who takes it out and do they charge") == [
        "stairlift not needed any more, who takes it out",
        "stairlift not needed any more - do they charge"]
    # A part with no words of its own is about the first part.
    assert question_parts("which form for dfg recommendation? where does it go") == [
        "which form for dfg recommendation", "which form for dfg recommendation - where does it go"]
    # "and is" without a subject carries on the same sentence; one question comes back alone.
    one = "lone parent has lost her tenancy and is sofa surfing, will her benefit stop"
    assert question_parts(one) == [one]
