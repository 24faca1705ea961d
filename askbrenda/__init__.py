"""Ask Brenda: answers from the team's own guidance, quoted and cited, or a clear refusal."""

from typing import Any

from askbrenda.models import Answer, Citation

__all__ = ["Answer", "Citation", "ask"]


def __getattr__(name: str) -> Any:
    # Lazy: `askbrenda ingest` of an unchanged folder must not pay for the retrieval imports.
    if name == "ask":
        from askbrenda.answer import ask

        return ask
    raise AttributeError(name)
