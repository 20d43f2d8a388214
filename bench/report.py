"""Ratios, targets (informational PASS/MISS, never asserted), machine info and the table."""

import os
import platform
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Optional

OPERATIONS = {"create": "Create", "get": "Get", "list10": "List (10 items)"}
#: Measured the same way, beside the connections' operations; no per-call target of their own.
SERVICE_OPERATIONS = {
    "create_service": "CreateService (1 instance)",
    "get_service": "GetService (1 instance)",
    "list_instances10": "ListServiceInstances (10 items)",
    "list_templates10": "ListEnvironmentTemplates (10 items)",
}
ALL_OPERATIONS = {**OPERATIONS, **SERVICE_OPERATIONS}
#: The operations held to `FLOOR_TARGET`: Proton per call over botocore's floor for the same
#: call (what no mock can avoid: serialising, signing, parsing the answer).
FLOOR_OPERATIONS = (
    "get",
    "create",
    "get_service",
    "create_service",
    "list_instances10",
    "list_templates10",
)
FLOOR_TARGET = 1.6
#: Get per call over ssm GetParameter, in process.
GET_OVER_SSM_TARGET = 0.6
#: Server requests per second, Proton Get over ssm GetParameter, at every thread count.
SERVER_TARGET = 1.3


@dataclass(frozen=True)
class Target:
    name: str
    value: float
    limit: float
    at_most: bool  # value <= limit passes; else value >= limit passes
    stretch: Optional[float] = None

    def _meets(self, limit: float) -> bool:
        return self.value <= limit if self.at_most else self.value >= limit

    @property
    def status(self) -> str:
        return "PASS" if self._meets(self.limit) else "MISS"

    @property
    def stretch_status(self) -> Optional[str]:
        if self.stretch is None:
            return None
        return "PASS" if self._meets(self.stretch) else "MISS"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "status": self.status, "stretch_status": self.stretch_status}


def machine() -> dict[str, Any]:
    cpu = platform.processor()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break

    def package(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        **{name: package(name) for name in ("moto", "botocore", "boto3", "moto-proton")},
    }


def ratios(results: dict[str, Any]) -> dict[str, Any]:
    per_call = results["in_process"]["per_call_us"]
    scaling = results["in_process"]["scaling"]
    small, large = scaling[min(scaling, key=int)], scaling[max(scaling, key=int)]
    instances = results["in_process"]["service_scaling"]
    few, many = instances[min(instances, key=int)], instances[max(instances, key=int)]
    server = results["server_rps"]
    provisioned = results["in_process"]["provisioning"]["per_call_us"]
    return {
        "proton_over_ssm": {
            op: per_call[f"proton_{op}"] / per_call["ssm_get_parameter"] for op in ALL_OPERATIONS
        },
        # What moto (and the plugin) add above botocore's own work, Proton over ssm.
        "above_floor_proton_over_ssm": {
            op: (per_call[f"proton_{op}"] - per_call[f"floor_{op}"])
            / (per_call["ssm_get_parameter"] - per_call["floor_ssm_get_parameter"])
            for op in ALL_OPERATIONS
        },
        "proton_over_floor": {
            op: per_call[f"proton_{op}"] / per_call[f"floor_{op}"] for op in ALL_OPERATIONS
        },
        "list_per_item_large_over_small": large["list_per_item_us"] / small["list_per_item_us"],
        "instances_list_per_item_large_over_small": (
            many["list_per_item_us"] / few["list_per_item_us"]
        ),
        "get_large_over_small": large["get_us"] / small["get_us"],
        "create_large_over_small": large["create_us"] / small["create_us"],
        "provisioned_environment_over_create_stack": (
            provisioned["proton_environment_deployed"] / provisioned["cloudformation_create_stack"]
        ),
        "server_proton_over_ssm": {
            threads: rps / server["ssm_get_parameter"][threads]
            for threads, rps in server["proton_get"].items()
        },
    }


def targets(results: dict[str, Any]) -> list[Target]:
    found = results["ratios"]
    scale = results["settings"]["scale"]
    small, large = min(scale), max(scale)
    chosen = [
        Target(f"{label} per call / ssm GetParameter", found["proton_over_ssm"][op], 1.0, True, 0.8)
        for op, label in OPERATIONS.items()
        if op != "get"
    ]
    chosen.append(
        Target(
            "Get per call / ssm GetParameter",
            found["proton_over_ssm"]["get"],
            GET_OVER_SSM_TARGET,
            True,
        )
    )
    chosen += [
        Target(
            f"{ALL_OPERATIONS[op]} / botocore floor",
            found["proton_over_floor"][op],
            FLOOR_TARGET,
            True,
        )
        for op in FLOOR_OPERATIONS
    ]
    chosen += [
        Target(
            f"list per item at {large:,} / at {small:,}",
            found["list_per_item_large_over_small"],
            1.2,
            True,
        ),
        Target(f"Get at {large:,} / at {small:,}", found["get_large_over_small"], 1.1, True),
        Target(
            f"instances listed per item at {large:,} / {small:,}",
            found["instances_list_per_item_large_over_small"],
            1.2,
            True,
        ),
    ]
    chosen.append(
        Target(
            "provisioned environment / CloudFormation create_stack",
            found["provisioned_environment_over_create_stack"],
            1.5,
            True,
        )
    )
    chosen += [
        Target(f"server rps Proton / ssm, {threads} thread(s)", ratio, SERVER_TARGET, False)
        for threads, ratio in found["server_proton_over_ssm"].items()
    ]
    chosen += [
        Target(f"{name} slowed by moto_proton", slowdown, 0.02, True)
        for name, slowdown in results["isolation"]["slowdown"].items()
    ]
    return chosen


Row = tuple[str, str, str]  # label, value, note


def _section(title: str, rows: list[Row]) -> list[str]:
    return [
        f"\n{title}",
        *(f"  {label:<58} {value:>14}  {note}".rstrip() for label, value, note in rows),
    ]


def _per_call_rows(results: dict[str, Any]) -> list[Row]:
    per_call = results["in_process"]["per_call_us"]
    spread = results["in_process"]["spread"]
    found = results["ratios"]

    def row(label: str, name: str, note: str = "") -> Row:
        return (label, f"{per_call[name]:,.0f} us", f"IQR {spread[name]:.0%}  {note}")

    rows = [
        row(label, f"proton_{op}", f"{found['proton_over_ssm'][op]:.2f}x ssm")
        for op, label in ALL_OPERATIONS.items()
    ]
    rows += [
        row("ssm GetParameter", "ssm_get_parameter"),
        row("sts GetCallerIdentity", "sts_get_caller_identity"),
    ]
    rows += [
        row(
            f"{label}: botocore floor",
            f"floor_{op}",
            f"Proton {found['proton_over_floor'][op]:.2f}x",
        )
        for op, label in ALL_OPERATIONS.items()
    ]
    rows.append(row("ssm GetParameter: botocore floor", "floor_ssm_get_parameter"))
    above = found["above_floor_proton_over_ssm"]
    rows += [
        (f"{label}: above floor, Proton / ssm", f"{above[op]:.2f}x", "informational")
        for op, label in ALL_OPERATIONS.items()
    ]
    return rows


def _floor_rows(results: dict[str, Any]) -> list[Row]:
    per_call = results["in_process"]["per_call_us"]
    spread = results["in_process"]["spread"]
    rows: list[Row] = []
    for op in FLOOR_OPERATIONS:
        ratio = results["ratios"]["proton_over_floor"][op]
        status = "PASS" if ratio <= FLOOR_TARGET else "MISS"
        proton, floor = per_call[f"proton_{op}"], per_call[f"floor_{op}"]
        rows.append(
            (
                ALL_OPERATIONS[op],
                f"{ratio:.2f}x",
                f"Proton {proton:,.0f} us (IQR {spread[f'proton_{op}']:.0%}), floor "
                f"{floor:,.0f} us (IQR {spread[f'floor_{op}']:.0%}); <= {FLOOR_TARGET}x: {status}",
            )
        )
    return rows


def _scaling_rows(results: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for n, figures in results["in_process"]["scaling"].items():
        rows += [
            (f"N={int(n):,}: list all (paginator)", f"{figures['list_all_ms']:,.1f} ms", ""),
            (f"N={int(n):,}: list, per item", f"{figures['list_per_item_us']:,.1f} us", ""),
            (f"N={int(n):,}: Get", f"{figures['get_us']:,.0f} us", ""),
            (f"N={int(n):,}: Create", f"{figures['create_us']:,.0f} us", "informational"),
        ]
    ratio = results["ratios"]["create_large_over_small"]
    return [*rows, ("Create, largest N / smallest N", f"{ratio:.2f}x", "informational")]


def _service_scaling_rows(results: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for n, figures in results["in_process"]["service_scaling"].items():
        rows += [
            (f"N={int(n):,}: list all (paginator)", f"{figures['list_all_ms']:,.1f} ms", ""),
            (f"N={int(n):,}: list, per item", f"{figures['list_per_item_us']:,.1f} us", ""),
        ]
    ratio = results["ratios"]["instances_list_per_item_large_over_small"]
    return [*rows, ("per item, largest N / smallest N", f"{ratio:.2f}x", "target <= 1.2x")]


def _provisioning_rows(results: dict[str, Any]) -> list[Row]:
    provisioning = results["in_process"]["provisioning"]
    per_call, spread = provisioning["per_call_us"], provisioning["spread"]
    ratio = results["ratios"]["provisioned_environment_over_create_stack"]
    return [
        (
            "CreateEnvironment + GetEnvironment (SUCCEEDED)",
            f"{per_call['proton_environment_deployed']:,.0f} us",
            f"IQR {spread['proton_environment_deployed']:.0%}  {ratio:.2f}x CloudFormation",
        ),
        (
            "create_stack + describe_stacks (CREATE_COMPLETE)",
            f"{per_call['cloudformation_create_stack']:,.0f} us",
            f"IQR {spread['cloudformation_create_stack']:.0%}",
        ),
    ]


def _render_rows(results: dict[str, Any]) -> list[Row]:
    render = results["render"]
    per_call, rps, spread = render["per_call_us"], render["renders_per_second"], render["spread"]
    ratio = per_call["render_bundle"] / per_call["bare_jinja2"]
    return [
        (
            "render_bundle (spec, schema, namespace, Jinja)",
            f"{rps['render_bundle']:,.0f} /s",
            f"{per_call['render_bundle']:,.0f} us, IQR {spread['render_bundle']:.0%}  "
            f"{ratio:.2f}x bare Jinja2",
        ),
        (
            "bare Jinja2, same text, compiled once",
            f"{rps['bare_jinja2']:,.0f} /s",
            f"{per_call['bare_jinja2']:,.0f} us, IQR {spread['bare_jinja2']:.0%}",
        ),
    ]


def _isolation_rows(results: dict[str, Any]) -> list[Row]:
    isolation = results["isolation"]
    rows: list[Row] = []
    calls = isolation["function_calls_per_request"]
    for name, without in isolation["per_call_us"]["without"].items():
        by_pair = isolation["slowdown_by_pair"][name]
        rows += [
            (f"{name}, without moto_proton", f"{without:,.0f} us", ""),
            (
                f"{name}, with moto_proton",
                f"{isolation['per_call_us']['with'][name]:,.0f} us",
                f"pairs: {min(by_pair):+.1%} .. {max(by_pair):+.1%}",
            ),
            (
                f"{name}, Python calls per request",
                f"{calls['with'][name] - calls['without'][name]:+,.1f}",
                f"{calls['without'][name]:,.1f} without, {calls['with'][name]:,.1f} with",
            ),
        ]
    imports = isolation["import_ms"]
    return [
        *rows,
        ("import moto", f"{imports['moto_ms']:,.1f} ms", ""),
        ("import moto_proton, beyond import moto", f"{imports['moto_proton_ms']:,.1f} ms", ""),
    ]


def _target_lines(results: dict[str, Any]) -> list[str]:
    lines = ["\nTargets (informational, never asserted)"]
    for target in results["targets"]:
        sign = "<=" if target["at_most"] else ">="
        percent = "slowed" in target["name"]
        value = f"{target['value']:+.1%}" if percent else f"{target['value']:.3f}x"
        limit = f"{target['limit']:.0%}" if percent else f"{target['limit']:.1f}x"
        line = f"  {target['name']:<58} {value:>9}  {sign} {limit:<5} {target['status']}"
        if target["stretch"] is not None:
            line += f"  (stretch {sign} {target['stretch']:.1f}x: {target['stretch_status']})"
        lines.append(line)
    return lines


def table(results: dict[str, Any]) -> str:
    quick = " (--quick: a smoke test, the figures mean nothing)" if results["quick"] else ""
    memory = results["in_process"]["memory"]
    server: list[Row] = [
        (
            f"{name}, {threads} thread(s)",
            f"{rps:,.0f} req/s",
            f"IQR {results['server_spread'][name][threads]:.0%}",
        )
        for name, by_threads in results["server_rps"].items()
        for threads, rps in by_threads.items()
    ]
    lines = [
        f"moto_proton benchmark{quick}",
        "  " + ", ".join(f"{key} {value}" for key, value in results["machine"].items()),
        *_section("In-process, per call (median of batches)", _per_call_rows(results)),
        *_section("In-process, Proton / botocore's floor per operation", _floor_rows(results)),
        *_section("Scaling (N connections in one account and Region)", _scaling_rows(results)),
        *_section(
            "Scaling: ListServiceInstances (N instances, 20 per service, one Region)",
            _service_scaling_rows(results),
        ),
        *_section(
            "Provisioning: one SQS queue stack, through Proton / through CloudFormation",
            _provisioning_rows(results),
        ),
        *_section(
            f"Offline rendering: the load-balanced Fargate service sample's instance "
            f"({results['render']['bytes']:,} bytes rendered)",
            _render_rows(results),
        ),
        *_section("Server mode (moto-proton-server subprocess)", server),
        *_section("Cost to the rest of moto (fresh interpreters)", _isolation_rows(results)),
        *_section(
            "Memory (tracemalloc)",
            [
                (
                    f"per connection at N={memory['connections']:,}",
                    f"{memory['bytes_per_connection']:,.0f} B",
                    "",
                )
            ],
        ),
        *_target_lines(results),
    ]
    return "\n".join(lines)
