"""Data classes shared by every part: answers and the passages they cite."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Citation:
    """One retrieved passage, ranked; ``n`` is its marker in the answer text ([n])."""

    n: int
    source: str  # path relative to the knowledge folder
    title: str
    section: str
    page: int | None
    text: str
    score: float
    review_by: str | None = None
    owner: str | None = None
    chunk_id: str = ""

    @property
    def heading(self) -> str:
        """Title and section on lines of their own, as retrieval reads them (Passage.heading)."""
        return f"{self.title}\n{self.section}"

    def to_dict(self) -> dict[str, Any]:
        """The shape in the JSON contract (extra keys are kept for the UI)."""
        return asdict(self)


@dataclass
class Answer:
    """What every front end gets back from :func:`askbrenda.ask`."""

    question: str
    answer: str
    refused: bool
    confidence: float
    safeguarding: bool
    citations: list[Citation] = field(default_factory=list)
    latency_ms: float = 0.0
    warnings: list[str] = field(default_factory=list)
    contacts: list[dict[str, str]] = field(default_factory=list)
    safeguarding_steps: str = ""
    mode: str = "extractive"
    tentative: bool = False  # answered, but close to the refusal threshold (answer.TENTATIVE_NOTE)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict following the shared Answer contract."""
        d = asdict(self)
        d["confidence"] = round(float(self.confidence), 4)
        d["latency_ms"] = round(float(self.latency_ms), 1)
        return d
