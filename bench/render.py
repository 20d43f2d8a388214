"""The offline renderer on the largest sample bundle beside bare Jinja2.

`render_bundle`: one instance of the load-balanced Fargate service sample (tests/samples),
the whole of what `moto-proton render` does after reading the files: the spec parsed and
checked against the bundle's schema with its defaults, the namespace built and the context
(environment and component outputs) merged, the IaC file rendered (compiled once, cached).
Bare Jinja2: the same IaC file compiled once by a plain `jinja2.Environment` with Proton's
filters, rendered with the finished namespace: the floor of any renderer of that text."""

import json
import statistics
from pathlib import Path
from typing import Any

import jinja2

from moto_proton.provisioning import load_bundle, merged, render_bundle
from moto_proton.provisioning.offline import namespace
from moto_proton.provisioning.render import aligned, jinja_environment

from .timing import Settings, Subject, batches_us, spread

SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "samples"
BUNDLE = SAMPLES / "load-balanced-fargate-svc" / "v1"
SPEC = (SAMPLES / "load-balanced-fargate-svc.spec.yaml").read_text()
TARGET = {"service": "frontend", "instance": "frontend-dev"}
#: The outputs of the instance's environment and component.
CONTEXT = json.loads((SAMPLES / "load-balanced-fargate-svc.context.json").read_text())


def measure(settings: Settings) -> dict[str, Any]:
    """Microseconds per rendering and renderings per second, both ways (batches alternate)."""
    bundle = load_bundle(str(BUNDLE))
    folder, built = namespace(bundle, SPEC, None, TARGET["service"], TARGET["instance"], False)
    values = merged(built, CONTEXT)
    found = bundle.sections[folder].cloudformation_file()
    assert found is not None
    bare = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    bare.filters.update(jinja_environment().filters)  # Proton's filters, nothing else
    compiled = bare.from_string(aligned(found[1]))

    def through_render_bundle() -> str:
        return render_bundle(bundle, SPEC, context=CONTEXT, **TARGET)

    def through_bare_jinja() -> str:
        text: str = compiled.render(**values)
        return text

    if through_render_bundle() != through_bare_jinja():
        raise RuntimeError("render_bundle and bare Jinja2 rendered different texts")
    samples = batches_us(
        {
            "render_bundle": Subject(through_render_bundle),
            "bare_jinja2": Subject(through_bare_jinja),
        },
        settings,
    )
    per_call = {name: statistics.median(values) for name, values in samples.items()}
    return {
        "bytes": len(through_render_bundle()),
        "per_call_us": per_call,
        "renders_per_second": {name: 1e6 / us for name, us in per_call.items()},
        "spread": {name: spread(values) for name, values in samples.items()},
    }
