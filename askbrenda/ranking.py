"""Ranked passages: how the two retrievers' scores are blended, and how overlapping neighbours
of one section are joined into one passage."""

from __future__ import annotations

from dataclasses import dataclass

DENSE_WEIGHT = 0.5  # equal say for both retrievers; 0.4-0.6 measured within noise


@dataclass
class Passage:
    """A ranked chunk with the scores that put it there."""

    id: str
    text: str
    source: str
    title: str
    section: str
    page: int | None
    review_by: str
    owner: str
    position: int
    dense: float = 0.0
    lexical: float = 0.0
    score: float = 0.0

    @property
    def heading(self) -> str:
        """Title and section, read on lines of their own (names do not run across them)."""
        return f"{self.title}\n{self.section}"


def fuse(dense: dict[str, float], lexical: dict[str, float], alpha: float = DENSE_WEIGHT
         ) -> dict[str, float]:
    """Convex combination of the two retrievers' normalised scores (dense cosine min-max
    scaled over its candidates, BM25 divided by its best); a chunk one retriever missed gets 0
    from it. Unlike reciprocal rank fusion this keeps how far ahead a top hit is, so a chunk
    that only one retriever ranks first, by a wide margin, is not buried by chunks both rank
    moderately (docs/benchmarks.md: SciFact and our question sets)."""
    fused: dict[str, float] = {}
    if dense:
        hi, lo = max(dense.values()), min(dense.values())
        for cid, value in dense.items():
            fused[cid] = alpha * (value - lo) / (hi - lo + 1e-9)
    if lexical:
        top = max(lexical.values())
        for cid, value in lexical.items():
            fused[cid] = fused.get(cid, 0.0) + (1 - alpha) * value / (top + 1e-9)
    return fused


def merge_overlaps(passages: list[Passage]) -> list[Passage]:
    """Join neighbouring chunks of one section into the better-ranked one."""
    kept: list[Passage] = []
    for p in passages:
        twin = next((q for q in kept if q.source == p.source and q.section == p.section
                     and q.page == p.page and abs(q.position - p.position) == 1), None)
        if twin is None:
            kept.append(p)
            continue
        first, second = (twin, p) if twin.position < p.position else (p, twin)
        twin.text = _join(first.text, second.text)
        twin.position = first.position
    return kept


def _join(a: str, b: str) -> str:
    """Concatenate two overlapping chunks without repeating the overlap."""
    # Any overlap the splitter left, short ("Response times:") or long; under 8 characters a
    # match may be chance (a full stop and a space).
    for size in range(min(len(a), len(b)), 7, -1):
        if a.endswith(b[:size]):
            return a + b[size:]
    return f"{a}\n{b}"
