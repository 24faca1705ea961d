"""``askbrenda`` command line: ingest | ask | eval | calibrate | log purge."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from askbrenda.config import Settings, config_file, describe_invalid
from askbrenda.errors import AskBrendaError, ConfigError

if TYPE_CHECKING:  # the heavy modules load only for the commands that need them
    from askbrenda.log import QALog
    from askbrenda.retrieve import Index


def _settings(args: argparse.Namespace, indexed_knowledge: bool = True) -> Settings:
    """Settings from the options, ``ASKBRENDA_*`` and the config file; a bad value is a
    ConfigError. With ``indexed_knowledge``, the knowledge folder (glossary, contacts) defaults
    to the one the store was built from, unless --knowledge or a setting names one."""
    config = os.environ.get("ASKBRENDA_CONFIG")
    if config and not Path(config).is_file():
        raise ConfigError(f"ASKBRENDA_CONFIG names {config}, which does not exist. Create it, "
                          "or unset ASKBRENDA_CONFIG to use askbrenda.toml (if present).")
    overrides: dict[str, Any] = {}
    if getattr(args, "knowledge", None):
        overrides["knowledge_dir"] = Path(args.knowledge)
    if getattr(args, "store", None):
        overrides["store_dir"] = Path(args.store)
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(describe_invalid(exc)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{config_file()} is not valid TOML ({exc}).") from exc
    if indexed_knowledge and "knowledge_dir" not in settings.model_fields_set:
        from askbrenda.store import load_manifest

        recorded = load_manifest(settings.store_path).knowledge
        if recorded:
            settings = settings.model_copy(update={"knowledge_dir": Path(recorded)})
    return settings


def cmd_ingest(args: argparse.Namespace) -> int:
    """Index the knowledge folder; exit 0 (all handled), 1 (some files failed) or 2."""
    from askbrenda import ingest

    settings = _settings(args, indexed_knowledge=False)  # --knowledge or the configured folder
    report = ingest.run(settings, progress=not args.quiet)
    print(report.summary())
    print(f"Report: {settings.store_path / ingest.REPORT}", file=sys.stderr)
    return report.exit_code


def _load_index(settings: Settings) -> Index:
    from askbrenda.retrieve import get_index

    index = get_index(settings)
    if index.stale:
        print(f"Warning: {index.stale}", file=sys.stderr)
    return index


def _log(args: argparse.Namespace, settings: Settings) -> QALog | None:
    """The Q&A log, or None with --no-log (or when it cannot be opened: answers come first)."""
    if getattr(args, "no_log", False):
        return None
    from askbrenda.log import QALog

    try:
        return QALog.from_settings(settings)
    except AskBrendaError as exc:
        logging.getLogger("askbrenda").error("Q&A log unavailable, not logging: %s", exc)
        return None


def cmd_ask(args: argparse.Namespace) -> int:
    """Answer one question, or a JSONL file of {"id", "question"} streaming one line each."""
    from askbrenda.answer import ask
    from askbrenda.evaluate import clean_text, read_questions

    settings = _settings(args)
    if args.jsonl:
        rows = read_questions(Path(args.jsonl))  # a bad file fails before the model loads
    elif not args.question or not args.question.strip():
        raise ConfigError("Give a question, or --jsonl FILE.")
    index = _load_index(settings)
    qa_log = _log(args, settings)
    user = os.environ.get("USER", "")

    def one(question: str) -> dict[str, object]:
        answer = ask(question, settings=settings, index=index)
        if qa_log is not None:
            qa_log.record(answer, user_id=user, role="cli", channel="cli")
        return answer.to_dict()

    if args.jsonl:
        for row in rows:
            print(json.dumps({"id": row.get("id"), **one(row["question"])}, ensure_ascii=False),
                  flush=True)
        return 0
    result = one(clean_text(args.question))  # bytes the terminal could not decode become U+FFFD
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(_human(result))
    return 0


def _human(a: dict[str, Any]) -> str:
    lines = [str(a["answer"]), ""]
    if a.get("tentative"):
        from askbrenda.answer import TENTATIVE_NOTE

        lines.append(f"Note: {TENTATIVE_NOTE}")
    lines += [f"Warning: {w}" for w in a.get("warnings", [])]
    if not a["refused"]:
        for c in a["citations"]:
            page = f", page {c['page']}" if c.get("page") else ""
            lines.append(f"[{c['n']}] {c['title']} > {c['section'] or '(start)'}{page} "
                         f"({c['source']})")
    lines.append(f"(confidence {a['confidence']:.2f}, {a['latency_ms']:.0f} ms)")
    return "\n".join(lines)


def cmd_eval(args: argparse.Namespace) -> int:
    """Print the metrics of shared/eval/FORMAT.md for a labelled question file."""
    from askbrenda import evaluate
    from askbrenda.answer import ask

    settings = _settings(args).model_copy(update={"top_k": 10})
    rows = evaluate.read_questions(Path(args.questions))
    index = _load_index(settings)
    metrics, answers = evaluate.run(rows, lambda q: ask(q, settings=settings, index=index))
    if args.answers:
        with open(args.answers, "w", encoding="utf-8") as fh:
            for row, answer in zip(rows, answers, strict=True):
                fh.write(json.dumps({"id": row.get("id"), **answer.to_dict()}) + "\n")
    print(json.dumps(metrics, indent=1) if args.json else evaluate.format_metrics(metrics))
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Fit confidence weights and the refusal threshold on a labelled file; store with the index."""
    from askbrenda import calibration, evaluate

    settings = _settings(args)
    labelled = evaluate.read_questions(Path(args.questions))
    rows = calibration.training_rows(labelled)
    answerable = sum(bool(r.get("answerable")) for r in rows)
    if not answerable or answerable == len(rows):
        raise ConfigError(
            f"Calibration needs both answerable and unanswerable questions: {args.questions} has "
            f"{answerable} answerable, {len(rows) - answerable} unanswerable left after leaving "
            f"out {len(labelled) - len(rows)} off-topic or safeguarding ones. Add questions of "
            "the missing kind (see shared/eval/FORMAT.md).")
    index = _load_index(settings)
    features = [index.search(r["question"]).features for r in rows]
    fitted = calibration.fit(features, [bool(r.get("answerable")) for r in rows],
                             min_answer_rate=args.min_answer_rate, source=Path(args.questions).name)
    target = calibration.SHIPPED if args.ship else settings.store_path / calibration.FILE
    fitted.save(target)
    print(f"Threshold {fitted.threshold:.3f}; on {args.questions}: "
          f"answer rate {fitted.metrics['answer_rate']:.3f}, "
          f"refusal rate {fitted.metrics['refusal_rate']:.3f}. Saved to {target}.")
    return 0


def cmd_log_purge(args: argparse.Namespace) -> int:
    """Delete logged exchanges older than the given age, and everything linked to them."""
    from askbrenda.log import QALog, parse_age

    settings = _settings(args)
    try:
        days = parse_age(args.older_than) if args.older_than else settings.log_retention_days
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    removed = QALog.from_settings(settings).purge(days)
    print(f"Deleted {removed} exchanges older than {days} days.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Load the model and index, then start the chat app in the same process."""
    from askbrenda.serve import main as serve

    settings = _settings(args)  # a bad setting stops here, plainly
    # The app reads its settings from the environment: give it the folder the store was built from.
    if not os.environ.get("ASKBRENDA_KNOWLEDGE_DIR"):
        os.environ["ASKBRENDA_KNOWLEDGE_DIR"] = str(settings.knowledge_dir)
    serve(port=args.port, address=args.address)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (kept separate so tests can check every command is documented)."""
    parser = argparse.ArgumentParser(
        prog="askbrenda", description="Answers from your team's guidance, quoted and cited."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="index the knowledge folder (incremental)")
    p.add_argument("--knowledge", help="knowledge folder (default: knowledge/)")
    p.add_argument("--store", help="index folder (default: data/store)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="answer a question (or a JSONL file of them)")
    p.add_argument("question", nargs="?", help="the question, in quotes")
    p.add_argument("--json", action="store_true", help="print the Answer as JSON")
    p.add_argument("--jsonl", metavar="FILE", help='lines {"id", "question"}; one JSON line out each')
    p.add_argument("--no-log", action="store_true", help="do not write to the Q&A log")
    p.add_argument("--knowledge", metavar="DIR",
                   help="folder with glossary.yaml and contacts.yaml (default: the one indexed)")
    p.add_argument("--store", help="index folder (default: data/store)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", help="metrics over a labelled question file")
    p.add_argument("questions", help="JSONL file (see shared/eval/FORMAT.md)")
    p.add_argument("--json", action="store_true", help="print metrics as JSON")
    p.add_argument("--answers", metavar="FILE", help="also write every Answer to FILE (JSONL)")
    p.add_argument("--knowledge", metavar="DIR",
                   help="folder with glossary.yaml and contacts.yaml (default: the one indexed)")
    p.add_argument("--store", help="index folder (default: data/store)")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("calibrate", help="fit the refusal threshold on a labelled file")
    p.add_argument("questions", help="JSONL file (see shared/eval/FORMAT.md)")
    p.add_argument("--min-answer-rate", type=float, default=0.9,
                   help="answer at least this share of answerable questions (default 0.9)")
    p.add_argument("--ship", action="store_true",
                   help="write the package default (askbrenda/calibration.json) instead")
    p.add_argument("--knowledge", metavar="DIR",
                   help="folder with glossary.yaml and contacts.yaml (default: the one indexed)")
    p.add_argument("--store", help="index folder (default: data/store)")
    p.set_defaults(func=cmd_calibrate)

    p = sub.add_parser("serve", help="start the chat app with the model already loaded")
    p.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    p.add_argument("--address", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; 0.0.0.0 for the team's network)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("log", help="Q&A log maintenance")
    log_sub = p.add_subparsers(dest="log_command", required=True)
    q = log_sub.add_parser("purge", help="delete exchanges older than an age")
    q.add_argument("--older-than", metavar="AGE",
                   help="e.g. 365d, 12w, 6m, 1y (default: ASKBRENDA_LOG_RETENTION_DAYS)")
    q.set_defaults(func=cmd_log_purge)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: errors a user can fix are printed plainly, without a traceback."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args))
    except AskBrendaError as exc:
        print(f"askbrenda: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `askbrenda ask ... | head`: the reader left, nothing to report
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("askbrenda: interrupted; the index is unchanged or complete.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
