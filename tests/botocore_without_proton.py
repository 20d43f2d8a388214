"""Make this environment's botocore (and the AWS CLI's, if it carries its own) look like a
release after Proton's removal: no `data/proton` and no `proton` in `endpoints.json`, as
botocore does for every discontinued service. tox's `moto-latest` env runs it before its tests,
so the whole suite proves the package needs nothing of Proton from botocore.

Usage: python tests/botocore_without_proton.py   (idempotent; exits 1 if Proton is still found)
"""

import gzip
import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

SERVICE = "proton"


def botocore_copies() -> list[Path]:
    """botocore's package folder, and the copy inside awscli where newer releases keep one."""
    copies = []
    for name in ("botocore", "awscli.botocore"):
        try:
            spec = importlib.util.find_spec(name)
        except ImportError:
            spec = None
        if spec is not None and spec.origin is not None:
            copies.append(Path(spec.origin).parent)
    return copies


def _endpoints_files(data: Path) -> list[Path]:
    return [path for path in (data / "endpoints.json", data / "endpoints.json.gz") if path.exists()]


def remove_proton(package: Path) -> None:
    data = package / "data"
    shutil.rmtree(data / SERVICE, ignore_errors=True)
    for path in _endpoints_files(data):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as stream:
            endpoints = json.load(stream)
        for partition in endpoints.get("partitions", []):
            partition.get("services", {}).pop(SERVICE, None)
        with opener(path, "wt", encoding="utf-8") as stream:
            json.dump(endpoints, stream)


def still_there(package: Path) -> list[str]:
    data = package / "data"
    found = [str(data / SERVICE)] if (data / SERVICE).exists() else []
    for path in _endpoints_files(data):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as stream:
            partitions = json.load(stream).get("partitions", [])
        if any(SERVICE in partition.get("services", {}) for partition in partitions):
            found.append(f"{path} ({SERVICE} endpoints)")
    return found


def main() -> int:
    copies = botocore_copies()
    if not copies:
        print("botocore is not installed here", file=sys.stderr)
        return 1
    for package in copies:
        remove_proton(package)
    left = [place for package in copies for place in still_there(package)]
    if left:
        print(f"Proton is still in botocore: {', '.join(left)}", file=sys.stderr)
        return 1
    # The proof a user would run: a plain session (no moto_proton, no AWS_DATA_PATH).
    os.environ.pop("AWS_DATA_PATH", None)
    import botocore.session

    if SERVICE in botocore.session.get_session().get_available_services():
        print("botocore still resolves proton", file=sys.stderr)
        return 1
    print(f"botocore without Proton: removed from {', '.join(map(str, copies))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
