"""Metrics are computed right, and the system stays at or above the levels it reached."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from askbrenda import evaluate
from askbrenda.answer import ask
from askbrenda.cli import main
from askbrenda.config import Settings
from askbrenda.errors import ConfigError
from askbrenda.models import Answer, Citation
from askbrenda.retrieve import Index, get_index
from tests.conftest import REPO

# Reached on tests/eval/questions.jsonl when these floors were set (see docs/benchmarks.md);
# a change that drops below them is a regression.
# The shipped calibration is fitted on this set, on GOV.UK questions and on two more folders'
# (scripts/fit_calibration.py), so its threshold balances four folders: on-topic-missing refusal
# here is lower than a fit on this set alone would give (docs/benchmarks.md).
FLOORS = {"hit@5": 0.99, "evidence@5": 0.95, "answer_rate": 0.97, "refusal_rate.off-topic": 1.0,
          "refusal_rate.on-topic-missing": 0.84, "safeguarding_recall": 1.0}
CEILINGS = {"safeguarding_false_alarms": 0.03}
HELDOUT_FLOORS = {"hit@5": 0.97, "evidence@5": 0.94, "answer_rate": 0.85, "refusal_rate.off-topic": 1.0,
                  "refusal_rate.on-topic-missing": 0.9, "safeguarding_recall": 1.0}
HELDOUT_CEILINGS = {"safeguarding_false_alarms": 0.03}
# bench/eval/eastvale.jsonl over bench/eastvale/knowledge (another fictional council, written
# by helpers who did not see the system); one question below today's levels. The refit with
# threshold 0.334 (from 0.321) answers one held-out and one Eastvale question fewer; false
# alarms fell with the word-reading safeguarding classifier (Eastvale 6.1% -> 4.9%).
EASTVALE_FLOORS = {"hit@5": 0.94, "evidence@5": 0.93, "answer_rate": 0.87,
                   "refusal_rate.off-topic": 1.0, "refusal_rate.on-topic-missing": 0.7,
                   "safeguarding_recall": 1.0}
EASTVALE_CEILINGS = {"safeguarding_false_alarms": 0.06}


@pytest.fixture(autouse=True)
def _empty_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI refuses an ASKBRENDA_CONFIG that does not exist: point it at an empty file."""
    (tmp_path / "empty.toml").write_text("")
    monkeypatch.setenv("ASKBRENDA_CONFIG", str(tmp_path / "empty.toml"))


def _answer(sources: list[str], refused: bool = False, texts: list[str] | None = None,
            safeguarding: bool = False, latency: float = 10.0) -> Answer:
    texts = texts or ["x"] * len(sources)
    pairs = enumerate(zip(sources, texts, strict=True))
    cites = [Citation(i + 1, s, "t", "", None, t, 1.0) for i, (s, t) in pairs]
    return Answer("q", "a", refused, 0.5, safeguarding, cites, latency)


def test_metrics_on_hand_made_answers() -> None:
    rows = [
        {"question": "a", "answerable": True, "sources": ["a.md"], "evidence": ["bath  Board"]},
        {"question": "b", "answerable": True, "sources": ["dir/b.md"], "evidence": ["lift"]},
        {"question": "c", "answerable": False, "category": "off-topic"},
        {"question": "d", "answerable": False, "category": "on-topic-missing"},
        {"question": "e", "answerable": True, "safeguarding": True, "sources": ["s.md"],
         "evidence": ["duty team"]},
    ]
    answers = [
        _answer(["a.md", "x.md"], texts=["use a bath board here", "y"]),
        _answer(["x.md", "y.md", "sub/b.md"], refused=True),
        _answer(["x.md"], refused=True),
        _answer(["x.md"], refused=False),
        _answer(["q.md"] * 6 + ["s.md"], safeguarding=True, latency=30.0),
    ]
    m = evaluate.score(rows, answers)
    assert m["hit@1"] == pytest.approx(1 / 3, abs=1e-3)
    assert m["hit@5"] == pytest.approx(2 / 3, abs=1e-3)
    assert m["mrr@10"] == pytest.approx((1 + 1 / 3 + 1 / 7) / 3, abs=1e-3)
    assert m["evidence@5"] == pytest.approx(1 / 3, abs=1e-3)
    assert m["answer_rate"] == pytest.approx(2 / 3, abs=1e-3)
    assert m["refusal_rate"] == 0.5 and m["refusal_rate.on-topic-missing"] == 0.0
    assert m["safeguarding_recall"] == 1.0 and m["safeguarding_false_alarms"] == 0.0
    assert m["latency_ms_p50"] == 10.0


def test_evidence_matches_with_or_without_markdown_emphasis() -> None:
    rows = [{"question": "a", "answerable": True, "sources": ["a.md"], "evidence": ["**6 weeks**"]},
            {"question": "b", "answerable": True, "sources": ["a.md"], "evidence": ["6  weeks"]}]
    answers = [_answer(["a.md"], texts=["lasts 6 weeks"]), _answer(["a.md"], texts=["**6 weeks**"])]
    assert evaluate.score(rows, answers)["evidence@5"] == 1.0


@pytest.mark.slow
@pytest.mark.parametrize("name, floors, ceilings", [
    ("questions.jsonl", FLOORS, CEILINGS),
    # Never used for fitting; the floors sit one question below what it reaches today.
    ("heldout.jsonl", HELDOUT_FLOORS, HELDOUT_CEILINGS),
])
def test_eval_stays_above_the_floor(sample: tuple[Settings, Index], name: str,
                                    floors: dict[str, float], ceilings: dict[str, float]) -> None:
    settings, index = sample
    settings = settings.model_copy(update={"top_k": 10})
    _assert_levels(settings, index, REPO / "tests/eval" / name, floors, ceilings)


def _assert_levels(settings: Settings, index: Index, questions: Path,
                   floors: dict[str, float], ceilings: dict[str, float]) -> None:
    rows = evaluate.read_questions(questions)
    metrics, _ = evaluate.run(rows, lambda q: ask(q, settings=settings, index=index))
    print(evaluate.format_metrics(metrics))
    for metric, floor in floors.items():
        assert metrics[metric] >= floor, (metric, metrics[metric])
    for metric, ceiling in ceilings.items():
        assert metrics[metric] <= ceiling, (metric, metrics[metric])


@pytest.mark.slow
def test_a_second_folder_stays_above_its_floor(tmp_path: Path) -> None:
    from askbrenda import ingest

    settings = Settings(knowledge_dir=REPO / "bench/eastvale/knowledge", store_dir=tmp_path / "s",
                        data_dir=tmp_path / "d", top_k=10)
    assert not ingest.run(settings, progress=False).failed
    _assert_levels(settings, Index(settings), REPO / "bench/eval/eastvale.jsonl",
                   EASTVALE_FLOORS, EASTVALE_CEILINGS)


@pytest.mark.slow
def test_calibrate_stores_threshold_with_the_index(sample: tuple[Settings, Index],
                                                  tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    settings, _ = sample
    monkeypatch.setenv("ASKBRENDA_KNOWLEDGE_DIR", str(settings.knowledge_dir))
    monkeypatch.setenv("ASKBRENDA_STORE_DIR", str(settings.store_path))
    stored = settings.store_path / "calibration.json"
    try:
        assert main(["calibrate", str(REPO / "tests/eval/questions.jsonl")]) == 0
        assert "Threshold" in capsys.readouterr().out
        saved = json.loads(stored.read_text())
        assert 0 < saved["threshold"] < 1 and saved["fitted_on"] == "questions.jsonl"
        assert get_index(settings).calibration.threshold == pytest.approx(saved["threshold"])
        assert main(["eval", str(REPO / "tests/eval/questions.jsonl"), "--json"]) == 0
        metrics = json.loads(capsys.readouterr().out)
        assert set(metrics) >= {"hit@1", "hit@5", "mrr@10", "evidence@5", "answer_rate",
                                "refusal_rate", "safeguarding_recall", "latency_ms_p50",
                                "latency_ms_p95"}
    finally:
        stored.unlink(missing_ok=True)


def _strict_json(text: str) -> object:
    def reject(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=reject)


def test_a_metric_with_no_questions_is_null_not_nan() -> None:
    rows = [{"question": "a", "answerable": True, "sources": ["a.md"], "evidence": ["bath"]}]
    metrics = evaluate.score(rows, [_answer(["a.md"], texts=["bath board"])])
    assert metrics["refusal_rate"] is None and metrics["safeguarding_recall"] is None
    assert metrics["hit@1"] == 1.0
    assert _strict_json(json.dumps(metrics))["refusal_rate"] is None  # type: ignore[index]
    lines = dict(line.split(None, 1) for line in evaluate.format_metrics(metrics).splitlines())
    assert lines["refusal_rate"] == "n/a" and lines["hit@1"] == "1.0"


@pytest.mark.parametrize("line", ['{"question": null}', '{"question": 5}', '{"question": " "}',
                                  '"any question"', '["question"]', '{"id": "q"}'])
def test_a_line_without_a_text_question_names_the_file_and_line(tmp_path: Path, line: str) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "fine"}\n\n' + line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"q\.jsonl:3 must be a JSON object with a \"question\""):
        evaluate.read_questions(path)


def test_question_files_in_other_encodings(tmp_path: Path) -> None:
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes('\ufeff{"question": "caf\u00e9 bath"}\r\n{"question": "b"}'.encode())
    assert [r["question"] for r in evaluate.read_questions(bom)] == ["caf\u00e9 bath", "b"]
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"question": "a"}\n{"question": "caf\u00e9"}\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match=r"latin\.jsonl:2 is not UTF-8"):
        evaluate.read_questions(latin)
    lone = tmp_path / "lone.jsonl"
    lone.write_text('{"question": "bath \\ud83d lift"}\n', encoding="utf-8")
    [row] = evaluate.read_questions(lone)
    assert row["question"] == "bath \ufffd lift"
    row["question"].encode("utf-8")  # no lone surrogate left to break the tokenizer or the log


def test_calibrate_with_one_kind_of_question_says_what_is_missing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "q.jsonl"
    rows = [{"question": f"q{i}", "answerable": True} for i in range(2)]
    rows += [{"question": "poem", "answerable": False, "category": "off-topic"},
             {"question": "bruises", "answerable": True, "safeguarding": True}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert main(["calibrate", str(path), "--store", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert "needs both answerable and unanswerable questions" in err
    assert "2 answerable, 0 unanswerable left after leaving out 2 off-topic" in err


@pytest.mark.slow
def test_eval_json_on_answerable_questions_only_is_valid_json(
        sample: tuple[Settings, Index], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings, _ = sample
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "a", "question": "how long for a dfg", "answerable": true}\n'
                    '{"id": "b", "question": "bath board \\ud83d", "answerable": true}\n')
    argv = ["eval", str(path), "--store", str(settings.store_path),
            "--knowledge", str(settings.knowledge_dir)]
    assert main([*argv, "--json"]) == 0
    metrics = _strict_json(capsys.readouterr().out)
    assert isinstance(metrics, dict) and metrics["questions"] == 2
    assert metrics["refusal_rate"] is None and metrics["safeguarding_recall"] is None
    assert main(argv) == 0
    assert "n/a" in capsys.readouterr().out
