"""Timing helpers: warm-up, batches interleaved across subjects, median of the batches."""

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Settings:
    """How hard to measure. `quick` is CI's smoke test: every path runs, no figure matters."""

    quick: bool
    scale: tuple[int, ...]
    number: int  # calls per timed batch
    repeats: int  # timed batches per subject; the median is kept
    warmup: int  # untimed calls before the first batch
    list_repeats: int  # full paginated listings per N
    server_requests: int  # requests per client thread
    server_threads: tuple[int, ...]
    server_repeats: int
    processes: int  # pairs of fresh interpreters, without and with moto_proton
    import_repeats: int  # fresh interpreters timing `import moto_proton`

    @classmethod
    def make(cls, quick: bool, scale: Optional[tuple[int, ...]] = None) -> "Settings":
        if quick:
            return cls(
                quick=True,
                scale=scale or (20, 200),
                number=20,
                repeats=3,
                warmup=5,
                list_repeats=1,
                server_requests=10,
                server_threads=(1, 4, 16),
                server_repeats=1,
                processes=1,
                import_repeats=2,
            )
        return cls(
            quick=False,
            scale=scale or (100, 1_000, 10_000),
            number=100,
            repeats=15,
            warmup=50,
            list_repeats=3,
            server_requests=100,
            server_threads=(1, 4, 16),
            server_repeats=5,
            processes=5,
            import_repeats=9,
        )


@dataclass
class Subject:
    """One thing to time: `call` is timed; `before_batch` (untimed) runs ahead of each batch."""

    call: Callable[[], object]
    before_batch: Optional[Callable[[], object]] = None


def _batch_us(subject: Subject, number: int) -> float:
    if subject.before_batch is not None:
        subject.before_batch()
    gc.collect()
    call = subject.call
    start = time.perf_counter()
    for _ in range(number):
        call()
    return (time.perf_counter() - start) / number * 1e6


def spread(values: list[float]) -> float:
    """Interquartile range over the median: how noisy the batches were (0.05 = 5 %)."""
    if len(values) < 2:
        return 0.0
    low, _, high = statistics.quantiles(values, n=4)
    return (high - low) / statistics.median(values)


def batches_us(subjects: dict[str, Subject], settings: Settings) -> dict[str, list[float]]:
    """Microseconds per call of each batch of each subject. Batches alternate between the
    subjects, so that drift (CPU frequency, a noisy neighbour) lands on all of them alike."""
    for subject in subjects.values():
        if subject.before_batch is not None:
            subject.before_batch()
        for _ in range(settings.warmup):
            subject.call()
    samples: dict[str, list[float]] = {name: [] for name in subjects}
    for _ in range(settings.repeats):
        for name, subject in subjects.items():
            samples[name].append(_batch_us(subject, settings.number))
    return samples


def per_call_us(subjects: dict[str, Subject], settings: Settings) -> dict[str, float]:
    """Median microseconds per call of each subject (see `batches_us`)."""
    return {
        name: statistics.median(values) for name, values in batches_us(subjects, settings).items()
    }


def median_seconds(call: Callable[[], object], repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def interleaved_median_seconds(
    calls: dict[str, Callable[[], object]], repeats: int
) -> dict[str, float]:
    """Median seconds per call of each of `calls`, timed in turns (one of each per round), so
    that drift on the machine lands on all of them alike."""
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repeats):
        for name, call in calls.items():
            gc.collect()
            start = time.perf_counter()
            call()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}
