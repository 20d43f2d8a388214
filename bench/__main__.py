"""`python -m bench [--quick] [--scale N1,N2,...] [--json PATH]` from the repository root."""

import argparse
import json
from pathlib import Path
from typing import Optional

from . import run
from .inprocess import SCALE_REGIONS
from .report import table

DEFAULT_JSON = Path(__file__).resolve().parent / "results" / "latest.json"


def _scale(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of integers: {text!r}")
    if not 2 <= len(set(values)) <= len(SCALE_REGIONS) or min(values) < 1:
        raise argparse.ArgumentTypeError(
            f"give 2 to {len(SCALE_REGIONS)} distinct values of N, each >= 1"
        )
    return values


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny N, few iterations (CI smoke)")
    parser.add_argument("--scale", type=_scale, help="values of N, default 100,1000,10000")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"default {DEFAULT_JSON}")
    args = parser.parse_args(argv)

    results = run(quick=args.quick, scale=args.scale)
    print(table(results))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\n{results['duration_s']:.1f} s; figures written to {args.json}")


if __name__ == "__main__":
    main()
