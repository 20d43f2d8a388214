"""The benchmark harness runs end to end (tiny N, no timing checked), so it cannot rot."""

import math

import bench


def test_quick_benchmark_runs_every_section():
    results = bench.run(quick=True)
    per_call = results["in_process"]["per_call_us"]
    for name in (
        "proton_create",
        "proton_get",
        "proton_list10",
        "proton_create_service",
        "proton_get_service",
        "proton_list_instances10",
        "ssm_get_parameter",
        "floor_get",
        "floor_list_instances10",
        "proton_list_templates10",
        "floor_list_templates10",
    ):
        assert math.isfinite(per_call[name]) and per_call[name] > 0, name
    for figures in results["in_process"]["service_scaling"].values():
        assert figures["list_per_item_us"] > 0
    assert set(results["server_rps"]) == {"proton_get", "ssm_get_parameter"}
    assert all(rps > 0 for rps in results["server_rps"]["proton_get"].values())
    provisioned = results["in_process"]["provisioning"]["per_call_us"]
    assert set(provisioned) == {"proton_environment_deployed", "cloudformation_create_stack"}
    assert all(math.isfinite(us) and us > 0 for us in provisioned.values())
    assert results["in_process"]["memory"]["bytes_per_connection"] > 0
    rendered = results["render"]["renders_per_second"]
    assert set(rendered) == {"render_bundle", "bare_jinja2"}
    assert all(math.isfinite(rps) and rps > 0 for rps in rendered.values())
    assert results["isolation"]["import_ms"]["moto_proton_ms"] >= 0
    assert len(results["targets"]) == 18
    assert {t["status"] for t in results["targets"]} <= {"PASS", "MISS"}
