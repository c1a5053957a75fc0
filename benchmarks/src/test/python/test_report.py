"""The report generator on a fixed RESULT input: the expected results.md and results.json, and the PNG plots."""
import json
import os
import re

import pytest

from conftest import CHECKOUT, HERE
from mycelium_bench import cli, contract, report, suites

FIXTURES = os.path.join(HERE, "fixtures")
EXPECTED = os.path.join(FIXTURES, "expected")
MACHINE = {"cpu_model": "Test CPU", "cores": 2, "kernel": "Linux 6.18", "java": "openjdk 17.0.15",
           "python": "CPython 3.11.7", "git_revision": "0123456789ab", "load_at_start": [0.5, 0.4, 0.3],
           "clk_tck": 100}


def _run(suite, step, template, contaminated, line_ns):
    return {"suite": suite, "step": step, "template": template, "command": template, "exit": 0, "wall_s": 1.5,
            "line_ns": line_ns,
            "own_cpu_s": 2.0, "other_cpu_cores": 0.4 if contaminated else 0.01, "contaminated": contaminated,
            "idle_before": True, "waited_for_idle_s": 0.5, "busy_cores_before": 0.02, "load_before": [0.5, 0.4, 0.3],
            "load_after": [0.6, 0.4, 0.3], "timed_out": False, "error": None, "log": f"logs/{suite}-{step}.log",
            "measured": True, "kept": True}


def fixed_data():
    """Parses fixtures/results.txt (runs separated by '# run N' comments) into a results.json document."""
    registered = suites.load(os.path.join(FIXTURES, "suites"))
    # The bus run saw the fast machine state (62-64 ns a cache line), the links runs the slow one (215-230 ns).
    runs = [_run("bus", 0, "{java} -cp {jar} io.mycelium.benchmarks.JmhSuite bus Demo", False, [62.0, 64.0]),
            _run("links", 0, "{java} {jvm} -cp {jar} example.Harness 1000", True, [215.0, 230.0]),
            _run("links", 1, "{java} {jvm} -cp {jar} example.Harness 1000", False, [221.0, None])]
    records = []
    run = 0
    with open(os.path.join(FIXTURES, "results.txt"), encoding="utf-8") as f:
        for line in f:
            marker = re.match(r"# run (\d+)", line)
            if marker:
                run = int(marker.group(1))
            parsed = contract.parse_line(line)
            if parsed:
                parsed[1]["run"] = run
                parsed[1]["contaminated"] = runs[run]["contaminated"]
                records.append(parsed)
    rows = [{"name": s.name, "title": s.title, "status": "ran", "reason": ""} for s in registered]
    return report.assemble(records, registered, registered, MACHINE, runs, rows, [], "quick",
                           "2026-12-05 04:00:00", "2026-12-05 04:03:30", "mycelium bench --quick")


def _check(name, actual):
    path = os.path.join(EXPECTED, name)
    if os.environ.get("BENCH_UPDATE_EXPECTED"):
        with open(path, "w", encoding="utf-8") as f:
            f.write(actual)
    with open(path, encoding="utf-8") as f:
        assert actual == f.read(), f"{name} differs from {path} (BENCH_UPDATE_EXPECTED=1 rewrites it)"


def test_should_write_expected_markdown_and_json_when_given_fixed_results(tmp_path):
    data = fixed_data()
    report.write(data, str(tmp_path))
    _check("results.md", (tmp_path / "results.md").read_text(encoding="utf-8"))
    _check("results.json", (tmp_path / "results.json").read_text(encoding="utf-8"))


def test_should_compute_each_ratio_against_its_floor_and_peer_when_both_were_measured():
    ratios = {r["label"]: r for r in fixed_data()["ratios"]}
    assert ratios["batch / C floor"]["ratio"] == pytest.approx(3.97e6 / 63.3e6)
    assert ratios["p50 / C floor"]["ratio"] == pytest.approx(3040 / 2850)
    assert ratios["p50 / C floor"]["contaminated"] is True  # the C run was contaminated
    assert ratios["p50 / peer"]["contaminated"] is False
    assert ratios["batch / in-process bus"]["ratio"] == pytest.approx(3.97e6 / 18.7e6)  # across suites
    assert ratios["inline / direct call"]["ratio"] == pytest.approx(10.25 / 2.05)
    assert ratios["missing one"]["missing"] == ["links:ours-tls"]


def test_should_mark_a_ratio_whose_path_and_base_saw_different_machine_states():
    data = fixed_data()
    ratios = {r["label"]: r for r in data["ratios"]}
    assert ratios["batch / in-process bus"]["mixed_state"] == [62.0, 221.0]  # the bus run was in the fast state
    assert "mixed_state" not in ratios["batch / C floor"]  # 215-230 ns: one state
    assert "mixed_state" not in ratios["inline / direct call"]
    text = report.markdown(data)
    assert "| 0.212× ‡ |" in text
    assert "‡ Path and base were measured in different machine states: one cache line between two CPUs cost from 62 " \
           "to 221 ns (batch / in-process bus)" in text
    assert "One cache line between two CPUs cost 62 to 230 ns over the run" in text
    assert "| 221 → ? |" in text


def test_should_take_roles_from_the_line_then_the_registration_then_subject():
    roles = {(r["name"], r["metric"]): r["role"] for r in fixed_data()["results"]}
    assert roles[("c-lat", "p50_ns")] == "floor"      # [roles] c-* = floor
    assert roles[("direct", "ns_per_op")] == "floor"  # [roles] direct* = floor, JMH lines carry no role
    assert roles[("peer-lat", "p50_ns")] == "peer"    # the line's own
    assert roles[("inline", "ns_per_op")] == "subject"


def test_should_report_a_duplicate_name_when_two_runs_print_the_same_path():
    registered = suites.load(os.path.join(FIXTURES, "suites"))
    line = 'RESULT {"suite":"bus","name":"inline","metric":"ns_per_op","value":1,"unit":"ns/op","params":{}}'
    records = [contract.parse_line(line), contract.parse_line(line)]
    for i, (_, obj) in enumerate(records):
        obj["run"] = i
    problems = []
    report.assemble(records, registered, registered, MACHINE, [], [], problems, "quick", "", "", "")
    assert len(problems) == 1 and "two results named inline ns_per_op (runs 0 and 1)" in problems[0]


def test_should_mark_contaminated_figures_and_missing_ratios_in_the_markdown():
    text = report.markdown(fixed_data())
    assert "| links | p50 / C floor | p50_ns | ours-lat | 3,040 ns | c-lat | 2,850 ns | 1.07× † |" in text
    assert "missing: links:ours-tls" in text
    assert "| c-batch | floor |" in text and "63.30 M †" in text
    assert "frames_per_write=35.5 frames" in text


def test_should_draw_latency_curves_and_throughput_bars_as_png_when_matplotlib_is_installed(tmp_path):
    data = fixed_data()
    report.write(data, str(tmp_path))
    plots = cli.make_plots(CHECKOUT, str(tmp_path))
    assert sorted(plots) == ["plots/latency-links.png", "plots/nsop-bus.png", "plots/throughput-bus.png",
                             "plots/throughput-links.png"]
    for plot in plots:
        content = (tmp_path / plot).read_bytes()
        assert content[:8] == b"\x89PNG\r\n\x1a\n", plot
        assert len(content) > 10_000, f"{plot} is only {len(content)} bytes"
    data["plots"] = plots
    text = report.markdown(data)
    assert "![latency-links](plots/latency-links.png) ![throughput-links](plots/throughput-links.png)" in text


def test_should_rewrite_the_markdown_from_the_json_when_run_as_a_module(tmp_path):
    data = fixed_data()
    report.write(data, str(tmp_path))
    (tmp_path / "results.md").unlink()
    assert report.main([str(tmp_path / "results.json")]) == 0
    assert (tmp_path / "results.md").read_text(encoding="utf-8") == report.markdown(json.loads(
        (tmp_path / "results.json").read_text(encoding="utf-8")))


def test_should_keep_the_curve_of_the_median_round_and_every_rounds_value_when_a_step_ran_in_rounds():
    registered = suites.load(os.path.join(FIXTURES, "suites"))
    records = []
    for round_index, (p50, run) in enumerate([(300, 4), (900, 5), (500, 6)]):
        for kind, obj in (("RESULT", {"suite": "links", "name": "ours-lat", "metric": "p50_ns", "value": p50,
                                      "unit": "ns", "params": {}}),
                          ("CURVE", {"suite": "links", "name": "ours-lat", "percentiles": [50, 99],
                                     "values": [p50, 2 * p50], "unit": "ns", "params": {}})):
            obj.update(run=run, step=0, round=round_index, contaminated=round_index == 1)
            records.append((kind, obj))
    data = report.assemble(records, registered, registered, MACHINE, [], [], [], "quick", "", "", "")
    [result] = [r for r in data["results"] if r["name"] == "ours-lat"]
    assert (result["value"], result["rounds"], result["round_runs"]) == (500, [300, 900, 500], [4, 5, 6])
    assert result["contaminated"] is False  # only the round the median ignores was disturbed
    assert [c["values"] for c in data["curves"]] == [[500, 1000]]
    assert data["problems"] == []
