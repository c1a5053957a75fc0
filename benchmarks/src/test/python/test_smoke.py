"""`mycelium bench --smoke --only bus` through the launcher, against the built benchmarks.jar: seconds, not a
timed test (its figures are not checked, only that the suite ran and was reported)."""
import json
import os
import subprocess

import pytest

from conftest import CHECKOUT

LAUNCHER = os.path.join(CHECKOUT, "assembly", "src", "main", "dist", "bin", "mycelium")
JAR = os.path.join(CHECKOUT, "benchmarks", "target", "benchmarks.jar")


@pytest.mark.smoke
def test_should_run_the_bus_suite_and_write_table_json_and_plots_when_asked_for_a_smoke_run(tmp_path):
    assert os.path.isfile(JAR), f"{JAR} is missing: run through Maven (mvn -pl benchmarks -am verify)"
    out = tmp_path / "bench"
    done = subprocess.run(["bash", LAUNCHER, "bench", "--smoke", "--only", "bus", "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in data["suites"]] == ["bus"] and data["suites"][0]["status"] == "ran"
    names = {(r["name"], r["metric"]) for r in data["results"]}
    assert ("busPublishInline/subscribers=1", "ns_per_op") in names
    assert ("queued-latency-hot", "p50_ns") in names
    assert {c["name"] for c in data["curves"]} >= {"queued-latency-hot", "queued-latency-parked"}
    assert data["machine"]["cores"] and data["machine"]["java"] and data["machine"]["git_revision"]
    assert all(r["load_before"] and "contaminated" in r for r in data["runs"])
    ratio = next(r for r in data["ratios"] if r["label"] == "inline publish -> 1 subscriber / direct call")
    assert ratio["ratio"] > 0
    text = (out / "results.md").read_text(encoding="utf-8")
    assert "| bus | inline publish -> 1 subscriber / direct call | ns_per_op | busPublishInline/subscribers=1 |" in text
    assert "Smoke profile" in text
    assert (out / "plots" / "latency-bus.png").read_bytes()[:4] == b"\x89PNG"
    assert "## Ratios" in done.stdout
