"""A second knowledge folder we did not write: GOV.UK pages as Markdown files.

    .venv/bin/python bench/govuk.py [--out data/govuk/knowledge]

Writes each English page of ../shared/eval/datasets/govuk-content-sample (benefits, childcare,
employment, disability) as `<slug>.md` with its title in front matter and link targets dropped,
so that retrieval and refusal can be measured on a folder whose wording nobody here tuned for.
The labelled questions over it are `bench/eval/govuk-*.jsonl`.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATASET = REPO.parent / "shared" / "eval" / "datasets" / "govuk-content-sample" / \
    "gov_pages_with_body_content.json"
DEFAULT_OUT = REPO / "data" / "govuk" / "knowledge"
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def slug(base_path: str) -> str:
    """`/guidance/universal-credit-advances` -> `universal-credit-advances`."""
    return base_path.rstrip("/").rsplit("/", 1)[-1]


def build(out: Path = DEFAULT_OUT, dataset: Path = DATASET) -> list[Path]:
    """Write the pages into `out` (replacing earlier copies); return the files written."""
    pages = json.loads(dataset.read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for page in pages:
        if page.get("locale", "en") != "en" or page["base_path"].endswith(".cy"):
            continue
        details = page["details"]
        if isinstance(details, str):
            details = ast.literal_eval(details)
        body = _LINK.sub(r"\1", details.get("body") or "").strip()
        if not body:
            continue
        title = " ".join(page["title"].split())
        front = f"---\ntitle: {json.dumps(title)}\nupdated: {page['public_updated_at'][:10]}\n---\n\n"
        path = out / f"{slug(page['base_path'])}.md"
        path.write_text(f"{front}# {title}\n\n{body}\n", encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    files = build(args.out)
    print(f"wrote {len(files)} pages to {args.out}")


if __name__ == "__main__":
    main()
