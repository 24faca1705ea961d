"""What both benchmarks record about the machine they ran on."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any


def machine() -> dict[str, Any]:
    """CPU model, cores, torch threads, Python and torch versions, OS, load average now."""
    import torch

    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "torch_threads": torch.get_num_threads(),
            "python": platform.python_version(), "torch": torch.__version__,
            "os": f"{platform.system()} {platform.release()}",
            "loadavg_at_end": [round(x, 2) for x in os.getloadavg()]}


def recording(index: Any) -> list[Any]:
    """Keep the Retrieval of each ask() (its features and ranked passages) without a second
    search: the instance's search is wrapped, nothing else changes."""
    seen: list[Any] = []
    original = index.search

    def search(*args: Any, **kwargs: Any) -> Any:
        got = original(*args, **kwargs)
        seen.append(got)
        return got

    index.search = search
    return seen
