"""``askbrenda`` command line: ingest | ask | eval | calibrate | log purge."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from askbrenda.config import Settings
from askbrenda.errors import AskBrendaError


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, object] = {}
    if getattr(args, "knowledge", None):
        overrides["knowledge_dir"] = Path(args.knowledge)
    if getattr(args, "store", None):
        overrides["store_dir"] = Path(args.store)
    return Settings(**overrides)  # type: ignore[arg-type]


def cmd_ingest(args: argparse.Namespace) -> int:
    """Index the knowledge folder; exit 0 (all handled), 1 (some files failed) or 2."""
    from askbrenda import ingest

    settings = _settings(args)
    report = ingest.run(settings, progress=not args.quiet)
    print(report.summary())
    print(f"Report: {settings.store_path / ingest.REPORT}", file=sys.stderr)
    return report.exit_code


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
    except KeyboardInterrupt:
        print("askbrenda: interrupted; the index is unchanged or complete.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
