"""What importing moto_proton costs the rest of moto, measured in fresh interpreters."""

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from .timing import Settings

ROOT = Path(__file__).resolve().parent.parent

#: Identical for both variants but for the one import its last argument asks for. It times
#: one batch per call each time it reads "batch", so the parent can alternate batches of the
#: two variants and drift on the machine lands on both alike.
PER_CALL_SCRIPT = """
import gc, json, sys, time
number, warmup, with_plugin = (int(arg) for arg in sys.argv[1:4])
if with_plugin:
    import moto_proton
import boto3
from moto import mock_aws

with mock_aws():
    sts = boto3.client("sts", region_name="us-east-1")
    ssm = boto3.client("ssm", region_name="us-east-1")
    ssm.put_parameter(Name="/bench/parameter", Value="value", Type="String")
    calls = {
        "sts_get_caller_identity": sts.get_caller_identity,
        "ssm_get_parameter": lambda: ssm.get_parameter(Name="/bench/parameter"),
    }
    for call in calls.values():
        for _ in range(warmup):
            call()
    print("ready", flush=True)
    while (command := sys.stdin.readline().strip()) in ("batch", "count"):
        figures = {}
        for name, call in calls.items():
            if command == "count":  # function calls per request: work done, free of noise
                counted = [0]

                def count(frame, event, arg):
                    if event in ("call", "c_call"):
                        counted[0] += 1

                sys.setprofile(count)
                for _ in range(20):
                    call()
                sys.setprofile(None)
                figures[name] = counted[0] / 20
                continue
            gc.collect()
            start = time.perf_counter()
            for _ in range(number):
                call()
            figures[name] = (time.perf_counter() - start) / number * 1e6
        print(json.dumps(figures), flush=True)
"""

IMPORT_SCRIPT = """
import json, time
start = time.perf_counter()
import moto
middle = time.perf_counter()
import moto_proton
end = time.perf_counter()
print(json.dumps({"moto_ms": (middle - start) * 1e3, "moto_proton_ms": (end - middle) * 1e3}))
"""


class _Interpreter:
    """A fresh interpreter running `PER_CALL_SCRIPT`, one batch per `batch()`."""

    def __init__(self, args: list[str], env: dict[str, str], stderr: IO[str]):
        self._stderr = stderr
        self._process = subprocess.Popen(
            [sys.executable, "-c", PER_CALL_SCRIPT, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=env,
            cwd=ROOT,
        )

    def _line(self) -> str:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            self.close()
            self._stderr.seek(0)
            raise RuntimeError(f"benchmark subprocess failed:\n{self._stderr.read()[-2000:]}")
        return line

    def ready(self) -> None:
        self._line()

    def ask(self, command: str) -> dict[str, float]:
        """`batch`: microseconds per call; `count`: function calls per request."""
        assert self._process.stdin is not None
        self._process.stdin.write(f"{command}\n")
        self._process.stdin.flush()
        return json.loads(self._line())  # type: ignore[no-any-return]

    def close(self) -> None:
        try:
            assert self._process.stdin is not None
            self._process.stdin.close()
        except OSError:
            pass
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def _pair(settings: Settings, env: dict[str, str]) -> dict[str, dict[str, dict[str, float]]]:
    """Per variant, the median batch per call and the function calls per request, from two
    interpreters run side by side whose batches alternate."""
    with tempfile.TemporaryFile("w+") as stderr:
        args = [str(settings.number), str(settings.warmup)]
        pair = {
            variant: _Interpreter([*args, flag], env, stderr)
            for variant, flag in (("without", "0"), ("with", "1"))
        }
        try:
            for interpreter in pair.values():
                interpreter.ready()
            counts = {variant: interpreter.ask("count") for variant, interpreter in pair.items()}
            samples: dict[str, dict[str, list[float]]] = {variant: {} for variant in pair}
            for repeat in range(settings.repeats):
                order = list(pair) if repeat % 2 == 0 else list(pair)[::-1]
                for variant in order:
                    for name, value in pair[variant].ask("batch").items():
                        samples[variant].setdefault(name, []).append(value)
        finally:
            for interpreter in pair.values():
                interpreter.close()
    return {
        variant: {
            "per_call_us": {name: statistics.median(values) for name, values in by_name.items()},
            "function_calls": counts[variant],
        }
        for variant, by_name in samples.items()
    }


def _import_times(env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def measure(settings: Settings) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as cache:
        # Bytecode goes to a private cache, so that no run compiles sources and nothing is
        # written next to them; the first import run fills it and is not counted.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        _import_times(env)
        imports = [_import_times(env) for _ in range(settings.import_repeats)]
        pairs = [_pair(settings, env) for _ in range(settings.processes)]
    variants = ("without", "with")
    per_call = [{variant: pair[variant]["per_call_us"] for variant in variants} for pair in pairs]
    names = list(per_call[0]["without"])
    by_pair = {
        name: [pair["with"][name] / pair["without"][name] - 1 for pair in per_call]
        for name in names
    }
    return {
        "per_call_us": {
            variant: {
                name: statistics.median(pair[variant][name] for pair in per_call) for name in names
            }
            for variant in variants
        },
        "function_calls_per_request": {
            variant: pairs[0][variant]["function_calls"] for variant in variants
        },
        # The median over pairs of each pair's (with / without - 1); every pair's, for noise.
        "slowdown": {name: statistics.median(values) for name, values in by_pair.items()},
        "slowdown_by_pair": by_pair,
        "import_ms": {
            name: statistics.median(run[name] for run in imports)
            for name in ("moto_ms", "moto_proton_ms")
        },
    }
