"""Ingest throughput against the raw encoder, and the cost of re-ingesting an unchanged folder.

    .venv/bin/python bench/bench_ingest.py [--runs 3] [--docs 100] [--json] [--write] [--profile]
    .venv/bin/python bench/bench_ingest.py --from-json results.json --write   # no re-measuring

Builds a deterministic folder of guidance documents (variations of the Markdown files in
``knowledge/``: new titles, other boroughs, shuffled paragraphs, changed numbers, so every
passage is a distinct text of realistic length), loads the model once, then for each run:

* a full ingest into a fresh store through ``askbrenda.ingest.run``: chunks embedded per second;
* the raw encoder on exactly the texts that ingest embedded (loaded and split the same way),
  timing ``embedder.encode`` alone: the baseline, measured in the same run;
* re-ingest of the unchanged folder, in-process and as ``python ingest.py ... -q`` in a fresh
  process (the wall time a curator sees, Python start-up and imports included).

The order of the first two alternates from run to run so that drift hits both. Medians are
reported; ``--write`` replaces the ingest section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402  (bench/ is not a package)

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "benchmarks.md"
START, END = "<!-- ingest:start -->", "<!-- ingest:end -->"
TARGET_RATIO = 0.90
TARGET_REINGEST_S = 3.0
BOROUGHS = ["Northmoor", "Eastbridge", "Southwold Vale", "Kestrel Heath", "Ashby Marsh",
            "Thornfield", "Grayhaven", "Millbrook", "Westcombe", "Highcliffe"]
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_NUMBER = re.compile(r"(?<![\d-])\d{1,3}(?![\d-])")  # leave dates and phone numbers alone

# A settings file or environment variables of the developer's must not change what is measured.
os.environ["ASKBRENDA_CONFIG"] = str(Path(tempfile.gettempdir()) / "askbrenda-bench-absent.toml")
for _name in ("KNOWLEDGE_DIR", "STORE_DIR", "DATA_DIR", "CHROMA_URL", "EMBEDDING_MODEL",
              "CHUNK_SIZE", "CHUNK_OVERLAP", "EMBED_BATCH_SIZE", "COLLECTION"):
    os.environ.pop(f"ASKBRENDA_{_name}", None)
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


# --- the synthetic folder -------------------------------------------------------------------

def _vary(text: str, rng: random.Random, borough: str) -> str:
    """Shuffle the paragraphs inside each section, move the numbers, rename the council."""
    blocks = text.strip().split("\n\n")
    out: list[str] = []
    group: list[str] = []
    for block in blocks:
        if block.lstrip().startswith("#"):
            rng.shuffle(group)
            out += group
            group = []
            out.append(block)
        else:
            group.append(block)
    rng.shuffle(group)
    out += group
    body = "\n\n".join(out)
    body = _NUMBER.sub(lambda m: str(max(1, round(int(m.group()) * rng.uniform(0.6, 1.6)))), body)
    return body.replace("Northmoor", borough)


def make_corpus(folder: Path, n_docs: int, seed: int = 0) -> list[Path]:
    """``n_docs`` Markdown guidance files under ``folder``, the same bytes for the same seed."""
    sources = sorted((REPO / "knowledge").glob("*.md"))
    if not sources:
        raise SystemExit("No knowledge/*.md files to build the benchmark folder from.")
    written: list[Path] = []
    for i in range(n_docs):
        src = sources[i % len(sources)]
        rng = random.Random(f"{seed}-{i}")
        raw = src.read_text(encoding="utf-8")
        match = _FRONT.match(raw)
        front, body = (match.group(1), raw[match.end():]) if match else ("", raw)
        title_match = re.search(r"^title:\s*(.+)$", front, re.M)
        base_title = title_match.group(1).strip() if title_match else src.stem.replace("-", " ")
        borough = BOROUGHS[(i // len(sources)) % len(BOROUGHS)]
        title = f"{base_title} ({borough}, v{i // len(sources) + 1})"
        front = re.sub(r"^title:.*$", f"title: {title}", front, flags=re.M) if title_match \
            else f"title: {title}\n{front}"
        body = re.sub(r"^# .*$", f"# {title}", body, count=1, flags=re.M)
        path = folder / src.stem / f"{src.stem}-{i:03d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{front.strip()}\n---\n\n{_vary(body, rng, borough)}\n",
                        encoding="utf-8")
        written.append(path)
    return written


# --- the measurements ----------------------------------------------------------------------

def texts_to_embed(settings: Any) -> list[str]:
    """What a full ingest of ``settings.knowledge_dir`` embeds: load and split as ingest does,
    one text per distinct chunk id and text hash."""
    from askbrenda import documents, ingest
    from askbrenda.chunking import split_document, text_hash

    files, _ = ingest.scan(settings.knowledge_dir.resolve())
    by_id: dict[str, str] = {}
    for rel, path in files.items():
        doc = documents.load(path, rel)
        for chunk in split_document(doc, settings.chunk_size, settings.chunk_overlap):
            by_id[chunk.id] = chunk.search_text()
    return list({text_hash(t): t for t in by_id.values()}.values())


def settings_for(knowledge: Path, store: Path) -> Any:
    from askbrenda.config import Settings

    return Settings(knowledge_dir=knowledge, store_dir=store, data_dir=store.parent / "data")


def timed(fn: Any, cpu: dict[str, float] | None = None, key: str = "") -> tuple[float, Any]:
    """Wall seconds of ``fn()`` and its result; CPU seconds of this process in ``cpu[key]``."""
    gc.collect()
    started, cpu_started = time.perf_counter(), time.process_time()
    result = fn()
    seconds = time.perf_counter() - started
    if cpu is not None:
        cpu[key] = time.process_time() - cpu_started
    return seconds, result


def subprocess_reingest(knowledge: Path, store: Path) -> float:
    cmd = [sys.executable, str(REPO / "ingest.py"), "--knowledge", str(knowledge),
           "--store", str(store), "-q"]
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0 or " 0 passages embedded" not in done.stdout:
        raise SystemExit(f"Re-ingest subprocess failed or embedded something:\n"
                         f"{done.stdout}\n{done.stderr}")
    return seconds


_PROBE = """
import json, sys
from askbrenda.cli import main
main(["ingest", "--knowledge", sys.argv[1], "--store", sys.argv[2], "-q"])
from askbrenda import embeddings
print(json.dumps({"torch_imported": "torch" in sys.modules,
                  "sentence_transformers_imported": "sentence_transformers" in sys.modules,
                  "model_loaded": bool(embeddings._models)}))
"""


def probe_unchanged(knowledge: Path, store: Path) -> dict[str, bool]:
    """Does an unchanged re-ingest import torch or load the model? (Run once, not timed.)"""
    done = subprocess.run([sys.executable, "-c", _PROBE, str(knowledge), str(store)],
                          cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(runs: int, n_docs: int, seed: int, profile: bool) -> dict[str, Any]:
    from askbrenda import ingest
    from askbrenda.embeddings import get_embedder

    load_at_start = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory(prefix="askbrenda-bench-") as tmp_name:
        tmp = Path(tmp_name)
        knowledge = tmp / "knowledge"
        make_corpus(knowledge, n_docs, seed)
        base = settings_for(knowledge, tmp / "unused")
        embedder = get_embedder(base.embedding_model)  # loaded once, shared with ingest.run
        texts = texts_to_embed(base)
        embedder.encode(texts, base.embed_batch_size)  # one untimed pass warms every shape

        # Warm the rest (chromadb, bm25s imports) on a small folder, so run 1 is not special.
        warm = tmp / "warm-knowledge"
        make_corpus(warm, 3, seed + 1)
        ingest.run(settings_for(warm, tmp / "warm-store"), progress=False)

        per_run: list[dict[str, Any]] = []
        for r in range(runs):
            store = tmp / f"store-{r}"
            settings = settings_for(knowledge, store)
            row: dict[str, Any] = {}

            def full_ingest(settings: Any = settings, row: dict[str, Any] = row) -> None:
                seconds, report = timed(lambda: ingest.run(settings, progress=False),
                                        row, "ingest_cpu_s")
                if report.failed or len(report.added) != n_docs:
                    raise SystemExit(f"Ingest did not index the folder: {report.summary()}")
                row.update(ingest_s=seconds, chunks=report.chunks_embedded,
                           chunks_total=report.chunks_total,
                           ingest_rate=report.chunks_embedded / seconds)

            def raw_encode(settings: Any = settings, row: dict[str, Any] = row) -> None:
                load_s, batch = timed(lambda: texts_to_embed(settings))
                seconds, _ = timed(lambda: embedder.encode(batch, settings.embed_batch_size),
                                   row, "encode_cpu_s")
                row.update(load_split_s=load_s, encode_s=seconds, encode_texts=len(batch),
                           encode_rate=len(batch) / seconds)

            for step in ((full_ingest, raw_encode) if r % 2 == 0 else (raw_encode, full_ingest)):
                step()
            if row["chunks"] != row["encode_texts"]:
                raise SystemExit(f"Ingest embedded {row['chunks']} texts but the baseline has "
                                 f"{row['encode_texts']}: they must be the same texts.")
            row["ratio"] = row["ingest_rate"] / row["encode_rate"]
            # CPU seconds are less disturbed than wall seconds by other work on the machine.
            row["cpu_ratio"] = row["encode_cpu_s"] / row["ingest_cpu_s"]

            seconds, again = timed(lambda settings=settings: ingest.run(settings, progress=False))
            if again.chunks_embedded or len(again.unchanged) != n_docs:
                raise SystemExit(f"Unchanged re-ingest did work: {again.summary()}")
            row["reingest_s"] = seconds
            row["reingest_subprocess_s"] = subprocess_reingest(knowledge, store)
            per_run.append(row)
            print(f"run {r + 1}/{runs}: ingest {row['ingest_rate']:.1f} chunks/s, raw encode "
                  f"{row['encode_rate']:.1f} chunks/s (ratio {row['ratio']:.3f}, CPU-time "
                  f"{row['cpu_ratio']:.3f}); unchanged "
                  f"re-ingest {row['reingest_s']:.2f} s in-process, "
                  f"{row['reingest_subprocess_s']:.2f} s subprocess", file=sys.stderr)

        probe = probe_unchanged(knowledge, tmp / "store-0")
        profile_rows = profile_ingest(knowledge, tmp / "store-profile") if profile else []

    def med(key: str) -> float:
        return statistics.median(row[key] for row in per_run)

    return {
        "machine": {**machine(), "loadavg_at_start": load_at_start},
        "docs": n_docs, "chunks": per_run[0]["chunks"], "chunks_total": per_run[0]["chunks_total"],
        "runs": runs, "seed": seed,
        "chunk_size": base.chunk_size, "chunk_overlap": base.chunk_overlap,
        "embed_batch_size": base.embed_batch_size,
        "mean_chars": round(statistics.mean(len(t) for t in texts)),
        "ingest_chunks_per_s": med("ingest_rate"),
        "encode_chunks_per_s": med("encode_rate"),
        "ratio": med("ratio"),  # median of the paired (same-run) ratios
        "cpu_ratio": med("cpu_ratio"),
        "ingest_s": med("ingest_s"), "encode_s": med("encode_s"),
        "load_split_s": med("load_split_s"),
        "reingest_s": med("reingest_s"), "reingest_subprocess_s": med("reingest_subprocess_s"),
        "unchanged_probe": probe,
        "per_run": per_run,
        "profile": profile_rows,
    }


# Where a full ingest spends its time: function -> label (cumulative seconds).
_STAGES = {
    ("embeddings.py", "encode"): "embedder.encode",
    ("documents.py", "load"): "documents.load",
    ("chunking.py", "split_document"): "split_document",
    ("documents.py", "file_hash"): "file_hash",
    ("store.py", "open_collection"): "open_collection",
    ("ingest.py", "_cached_vectors"): "_cached_vectors (Chroma get by text_hash)",
    ("ingest.py", "_upsert"): "_upsert (Chroma upsert)",
    ("ingest.py", "_build_lexical"): "_build_lexical (Chroma get + bm25s)",
    ("store.py", "save"): "LexicalIndex.save",
    ("ingest.py", "_delete_orphans"): "_delete_orphans",
    ("chunking.py", "metadata"): "Chunk.metadata (sha256 per call)",
    ("ingest.py", "run"): "ingest.run (total)",
}


def profile_ingest(knowledge: Path, store: Path) -> list[dict[str, Any]]:
    """cProfile one full ingest (model already loaded); cumulative seconds per stage."""
    from askbrenda import ingest

    settings = settings_for(knowledge, store)
    profiler = cProfile.Profile()
    profiler.enable()
    ingest.run(settings, progress=False)
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, _, name), (_, ncalls, _, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        for (file_end, fn_name), label in _STAGES.items():
            if name == fn_name and filename.endswith(f"askbrenda/{file_end}"):
                rows.append({"stage": label, "calls": ncalls, "seconds": round(cumtime, 3)})
    return sorted(rows, key=lambda row: -row["seconds"])


# --- output --------------------------------------------------------------------------------

def table(res: dict[str, Any]) -> str:
    ok_ratio = "meets" if res["ratio"] >= TARGET_RATIO else "MISSES"
    ok_re = "meets" if res["reingest_subprocess_s"] < TARGET_REINGEST_S else "MISSES"
    rows = [
        ("Full ingest", f"{res['ingest_chunks_per_s']:.1f} chunks/s",
         f"{res['ingest_s']:.2f} s for {res['chunks']} chunks"),
        ("Raw encoder, same texts", f"{res['encode_chunks_per_s']:.1f} chunks/s",
         f"{res['encode_s']:.2f} s (`embedder.encode` only)"),
        ("Ingest / raw encoder", f"{res['ratio']:.3f}",
         f"target ≥ {TARGET_RATIO:.2f}: {ok_ratio}"),
        ("Same, in CPU seconds (encode CPU / ingest CPU)", f"{res['cpu_ratio']:.3f}",
         "cross-check that other work on the machine disturbs less"),
        ("Unchanged re-ingest, in-process", f"{res['reingest_s']:.2f} s", "model already loaded"),
        ("Unchanged re-ingest, `python ingest.py -q`", f"{res['reingest_subprocess_s']:.2f} s",
         f"fresh process; target < {TARGET_REINGEST_S:.0f} s: {ok_re}"),
    ]
    lines = ["| Measure | Median | Note |", "|---|---:|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def section(res: dict[str, Any]) -> str:
    m = res["machine"]
    probe = res["unchanged_probe"]
    load = max(m.get("loadavg_at_start", 0.0), m["loadavg_at_end"][0])
    busy = (f" **The machine was busy with other work** (load average up to {load:.1f} on "
            f"{m['cores']} cores): wall-clock rates are lower and noisier than on a quiet machine; "
            "the CPU-time ratio and the share of ingest time spent inside `embedder.encode` "
            "(below) are the steadier figures." if load > m["cores"] + 0.5 else "")
    runs = ", ".join(f"{r['ratio']:.3f}" for r in res["per_run"])
    cpu_runs = ", ".join(f"{r['cpu_ratio']:.3f}" for r in res["per_run"])
    out = [
        "## Ingest",
        "",
        f"`bench/bench_ingest.py --runs {res['runs']}`: {res['docs']} Markdown guidance documents "
        "(variations of `knowledge/*.md`: new titles, shuffled paragraphs, changed numbers; "
        f"seed {res['seed']}), {res['chunks']} chunks of {res['mean_chars']} characters on average "
        f"(chunk size {res['chunk_size']}, overlap {res['chunk_overlap']}, batch size "
        f"{res['embed_batch_size']}). The model is loaded once before timing. Each run ingests "
        "into a fresh store and encodes exactly the same texts with the raw encoder, the two in "
        "alternating order; the ratio is the median of the per-run ratios.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores (torch threads {m['torch_threads']}), "
        f"Python {m['python']}, torch {m['torch']}, {m['os']}. Load average "
        f"{m.get('loadavg_at_start', float('nan')):.2f} before and "
        f"{m['loadavg_at_end'][0]:.2f} after the runs (this benchmark alone accounts for about "
        f"{m['torch_threads']}).{busy}",
        "",
        table(res),
        "",
        f"Per-run ratios: {runs} (CPU-time ratios {cpu_runs}). Loading and splitting the "
        f"{res['docs']} documents takes "
        f"{res['load_split_s']:.2f} s of the ingest. An unchanged re-ingest "
        f"{'imports' if probe['torch_imported'] else 'does not import'} torch and "
        f"{'loads' if probe['model_loaded'] else 'does not load'} the model.",
    ]
    if res["profile"]:
        stage = {p["stage"]: p["seconds"] for p in res["profile"]}
        share = stage["embedder.encode"] / stage["ingest.run (total)"]
        out += ["", "Where one full ingest spends its time (cProfile, cumulative, overlapping): "
                f"{share:.1%} of it inside `embedder.encode`, {1 - share:.1%} in everything else "
                "(reading, splitting, Chroma, the lexical index).",
                "", "| Stage | Calls | Seconds |", "|---|---:|---:|"]
        out += [f"| {p['stage']} | {p['calls']} | {p['seconds']:.2f} |" for p in res["profile"]]
    return "\n".join(out)


def write_doc(res: dict[str, Any]) -> None:
    block = f"{START}\n{section(res)}\n{END}"
    if DOC.exists():
        text = DOC.read_text(encoding="utf-8")
        if START in text and END in text:
            head, rest = text.split(START, 1)
            text = head + block + rest.split(END, 1)[1]
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
    else:
        DOC.parent.mkdir(parents=True, exist_ok=True)
        text = ("# Benchmarks\n\n"
                "Speed is measured by the scripts in `bench/`, not by timed tests. Each figure is "
                "the median of several runs, beside a baseline measured in the same run, on the "
                "machine noted. Rerun a script with `--write` to refresh its section.\n\n"
                f"{block}\n")
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs (default 3)")
    parser.add_argument("--docs", type=int, default=100, help="documents in the folder")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic folder")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--profile", action="store_true",
                        help="also cProfile one full ingest and show where the time goes")
    parser.add_argument("--from-json", metavar="FILE", type=Path,
                        help="show (or --write) results saved with --json instead of measuring")
    args = parser.parse_args(argv)
    if args.from_json:
        res = json.loads(args.from_json.read_text(encoding="utf-8"))
    else:
        res = bench(max(1, args.runs), args.docs, args.seed, args.profile)
    if args.json:
        print(json.dumps(res, indent=1))
    else:
        print(f"{res['docs']} docs, {res['chunks']} chunks, {res['runs']} runs "
              f"(medians) on {res['machine']['cpu']}, {res['machine']['cores']} cores\n")
        print(table(res))
        for p in res["profile"]:
            print(f"  {p['stage']:<45} {p['calls']:>6} calls {p['seconds']:>8.2f} s")
    if args.write:
        write_doc(res)
        print(f"Wrote the ingest section of {DOC.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
