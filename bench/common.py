"""Helpers shared by the benchmark scripts (run as `python bench/NAME.py`)."""

from __future__ import annotations

import os
import platform
import sqlite3
from pathlib import Path


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``share`` of values at or
    below it."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def machine() -> str:
    """CPU count and model, Python and SQLite versions, for the figures' context."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPU(s), {model}; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )
