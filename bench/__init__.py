"""Benchmarks of moto_proton: `python -m bench` (see `--help`), or `bench.run()` from a test.

Timings are compared only as ratios inside one run; nothing here asserts a timing.
"""

import time
from datetime import datetime, timezone
from typing import Any, Optional

from . import inprocess, isolation, render, report, server
from .timing import Settings

__all__ = ["Settings", "run"]


def run(quick: bool = True, scale: Optional[tuple[int, ...]] = None) -> dict[str, Any]:
    """Every measurement in this process (plus the subprocesses it starts); the figures as a
    JSON-ready dict. `quick` runs every path with tiny N and few iterations."""
    settings = Settings.make(quick, tuple(sorted(set(scale))) if scale else None)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "quick": quick,
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": report.machine(),
        "settings": {**settings.__dict__},
        "in_process": inprocess.measure(settings),
        "render": render.measure(settings),
    }
    results["server_rps"], results["server_spread"] = server.measure(settings)
    results["isolation"] = isolation.measure(settings)
    results["ratios"] = report.ratios(results)
    results["targets"] = [target.as_dict() for target in report.targets(results)]
    results["duration_s"] = time.perf_counter() - started
    return results
