"""`mycelium bench` argument handling, suite registrations, the result contract and the idle/contamination check."""
import io
import json
import os
import re
import subprocess
import sys

import pytest

from conftest import CHECKOUT
from mycelium_bench import cli, contract, machine, suites

LAUNCHER = os.path.join(CHECKOUT, "assembly", "src", "main", "dist", "bin", "mycelium")


def test_should_default_to_the_quick_profile_and_its_waits_when_no_option_is_given():
    args = cli.parse_args([])
    assert (args.profile, args.max_wait, args.retries, args.only) == ("quick", 5.0, 0, None)
    full = cli.parse_args(["--full"])
    assert (full.profile, full.max_wait, full.retries) == ("full", 120.0, 2)
    assert cli.parse_args(["--smoke"]).max_wait == 0.0


def test_should_split_only_into_suite_names_when_given_a_comma_list():
    assert cli.parse_args(["--only", "transport, bus"]).only == ["transport", "bus"]


@pytest.mark.parametrize("argv, message", [
    (["--quick", "--full"], "not allowed with argument --quick"),
    (["--only", "bus,"], "--only takes suite names separated by commas"),
    (["--max-wait", "-1"], "--max-wait must be 0 or more seconds"),
    (["--retries", "11"], "--retries must be 0..10"),
    (["--retries", "two"], "invalid int value"),
    (["--fast"], "unrecognized arguments: --fast"),
])
def test_should_refuse_with_a_clear_message_when_arguments_are_bad(argv, message):
    with pytest.raises(cli.UsageError, match=message.replace("(", r"\(").replace(".", r"\.")):
        cli.parse_args(argv)


def test_should_name_the_registered_suites_when_only_names_an_unknown_one(capsys):
    assert cli.main(["--only", "bus,nosuch"]) == 2
    err = capsys.readouterr().err
    assert "unknown suite nosuch for --only; registered: bus, codec, python, transport" in err


def test_should_refuse_an_output_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "old.txt").write_text("x")
    assert cli.main(["--only", "bus", "--out", str(tmp_path)]) == 2
    assert "exists and is not an empty folder" in capsys.readouterr().err


def test_should_list_every_registered_suite_with_its_profiles(capsys):
    assert cli.main(["--list"]) == 0
    out = capsys.readouterr().out
    for name in ("bus", "codec", "python", "transport"):
        assert f"\n{name} " in "\n" + out
    assert "[quick, full, smoke]" in out


def test_should_run_the_launchers_bench_command_from_the_checkout_it_lives_in():
    done = subprocess.run(["bash", LAUNCHER, "bench", "--list"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "transport" in done.stdout


def test_should_say_where_the_benchmarks_are_when_the_launcher_finds_no_checkout(tmp_path):
    env = dict(os.environ, MYCELIUM_SOURCE=str(tmp_path))
    done = subprocess.run(["bash", LAUNCHER, "bench"], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 2
    assert f"no source checkout found at MYCELIUM_SOURCE={tmp_path}" in done.stderr


def _suite(tmp_path, text, name="demo"):
    path = tmp_path / f"{name}.suite"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("text, message", [
    ("[quick]\nsteps =\n    {jav} -version\n", "unknown placeholder {jav}"),
    ("[quik]\nsteps = x\n", "unknown section [quik]"),
    ("[suite]\ntitel = x\n", "unknown key 'titel' in [suite]"),
    ("[roles]\nc-* = baseline\n", "a role is subject, floor or peer"),
    ("[ratios]\nbad = a / b\n", "write LABEL = SUBJECT / BASE METRIC"),
    ("[suite]\norder = first\n", "order and timeout must be numbers"),
    ("[quick]\nsteps =\n    echo 'unclosed\n", "cannot split"),
    ("[quick]\nrounds = 0\nsteps = x\n", "rounds = 0: a whole number from 1 to 9"),
    ("[quick]\nrounds = three\nsteps = x\n", "rounds = three: a whole number from 1 to 9"),
    ("[setup]\nrounds = 2\nsteps = x\n", "unknown key 'rounds' in [setup] (only 'steps')"),
    ("[quick]\nonce = x\n", "[quick] has 'once' but no 'steps'"),
])
def test_should_name_the_file_and_the_mistake_when_a_registration_is_bad(tmp_path, text, message):
    with pytest.raises(suites.SuiteError, match=r".*demo\.suite: .*" + message.replace("[", r"\[").replace(
            "]", r"\]").replace("{", r"\{").replace("}", r"\}").replace("(", r"\(").replace(")", r"\)")):
        suites.Suite(_suite(tmp_path, text))


def test_should_fall_back_from_full_to_quick_and_skip_a_missing_smoke_profile(tmp_path):
    suite = suites.Suite(_suite(tmp_path, "[quick]\nsteps =\n    {java} {jvm} -cp {jar} X 1\n"))
    assert suite.steps("full") == ["{java} {jvm} -cp {jar} X 1"]
    assert suite.steps("smoke") is None
    argv = suites.expand(suite.steps("quick")[0], {"java": "/j", "jvm": ["-Xmx1g", "-Xms1g"], "jar": "/b.jar"})
    assert argv == ["/j", "-Xmx1g", "-Xms1g", "-cp", "/b.jar", "X", "1"]


@pytest.mark.parametrize("line, message", [
    ('RESULT {"suite":"s","name":"n","metric":"p50_ns","value":1,"unit":"ns",}', "not JSON"),
    ('RESULT {"suite":"s","metric":"p50_ns","value":1,"unit":"ns","params":{}}', "missing key 'name'"),
    ('RESULT {"suite":"s","name":"n","metric":"p50_ns","value":"1","unit":"ns","params":{}}',
     "value must be a finite number"),
    ('RESULT {"suite":"s","name":"n","metric":"p50_ns","value":NaN,"unit":"ns","params":{}}',
     "value must be a finite number"),
    ('RESULT {"suite":"s","name":"n","metric":"P50","value":1,"unit":"ns","params":{}}', "metric must be snake_case"),
    ('RESULT {"suite":"s","name":"n","role":"boss","metric":"p50_ns","value":1,"unit":"ns"}', "role must be one of"),
    ('RESULT {"suite":"s","name":"n","metric":"p50_ns","value":1,"unit":"ns","params":[]}', "key 'params' must be"),
    ('CURVE {"suite":"s","name":"n","points":[[50,1],[10,2]]}', "points must be"),
    ('CURVE {"suite":"s","name":"n","points":[]}', "a curve needs points"),
])
def test_should_reject_a_result_line_that_breaks_the_contract(line, message):
    with pytest.raises(contract.ContractError, match=message):
        contract.parse_line(line)


def test_should_ignore_lines_that_are_not_results():
    assert contract.parse_line("Benchmark  Mode  Cnt  Score") is None
    assert contract.parse_line("RESULTS are below") is None


def test_should_give_up_waiting_for_idle_after_the_bound_when_the_machine_stays_busy():
    now = [0.0]
    busy = [0]

    def sleep(seconds):
        now[0] += seconds

    def sample():
        busy[0] += machine.CLK_TCK  # one core busy all the time
        return busy[0], 0

    idle, waited, cores = machine.wait_idle(2.0, clock=lambda: now[0], sleep=sleep, sample=sample)
    assert not idle and 2.0 <= waited < 3.0 and cores > 1


def test_should_mark_a_run_contaminated_when_another_process_burns_a_core_during_it(tmp_path):
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        log = io.StringIO()
        lines = []
        run = machine.run_measured([sys.executable, "-c", "import time; time.sleep(1.0); print('RESULT x')"],
                                   dict(os.environ), log, lines.append, timeout_s=30, max_wait_s=0.0)
    finally:
        spinner.kill()
        spinner.wait()
    assert run.exit == 0 and lines == ["RESULT x\n"]
    assert run.idle_before is False
    assert run.contaminated and run.other_cores > 0.5


def test_should_kill_a_run_that_outlives_the_suites_timeout(tmp_path):
    run = machine.run_measured([sys.executable, "-c", "import time; time.sleep(30)"], dict(os.environ), io.StringIO(),
                               lambda line: None, timeout_s=1, max_wait_s=0.0, measured=False)
    assert run.timed_out and run.exit != 0 and "killed after 1 s" in run.error


def _checkout(tmp_path, suite_text):
    (tmp_path / "benchmarks" / "suites").mkdir(parents=True)
    (tmp_path / "benchmarks" / "suites" / "demo.suite").write_text(suite_text)
    return tmp_path


PRINT = "{python} -c \"print('RESULT {\\\"suite\\\":\\\"demo\\\",\\\"name\\\":\\\"%s\\\",\\\"metric\\\":\\\"msgs_per_s\\\",\\\"value\\\":%s,\\\"unit\\\":\\\"msg/s\\\",\\\"params\\\":{}}')\""


def test_should_run_each_step_and_compute_the_ratio_when_a_suite_prints_results(tmp_path, capsys):
    checkout = _checkout(tmp_path, "[quick]\nsteps =\n    " + PRINT % ("ours", 5) + "\n    " + PRINT % ("c", 10)
                         + "\n[roles]\nc = floor\n[ratios]\nours / c = ours / c msgs_per_s\n")
    out = tmp_path / "out"
    assert cli.main(["--checkout", str(checkout), "--max-wait", "0", "--no-plots", "--out", str(out)]) == 0
    data = json.loads((out / "results.json").read_text())
    assert [r["ratio"] for r in data["ratios"]] == [0.5]
    assert [(r["name"], r["role"]) for r in data["results"]] == [("ours", "subject"), ("c", "floor")]
    assert len(data["runs"]) == 2 and all(r["exit"] == 0 and r["load_before"] for r in data["runs"])
    # (a † follows when other processes disturbed the run)
    assert "| demo | ours / c | msgs_per_s | ours | 5 msg/s | c | 10 msg/s | 0.5×" in capsys.readouterr().out
    assert (out / "logs" / "demo-0.log").read_text().startswith("RESULT ")


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="the probe needs two CPUs")
def test_should_probe_the_cache_line_cost_before_and_after_each_measured_run(tmp_path, capsys):
    checkout = _checkout(tmp_path, "[quick]\nsteps =\n    " + PRINT % ("ours", 5) + "\n")
    source = tmp_path / "benchmarks" / "src" / "main" / "c"
    source.mkdir(parents=True)
    with open(os.path.join(CHECKOUT, "benchmarks", "src", "main", "c", "cacheline_pingpong.c"), encoding="utf-8") as f:
        (source / "cacheline_pingpong.c").write_text(f.read())
    out = tmp_path / "out"
    assert cli.main(["--checkout", str(checkout), "--max-wait", "0", "--no-plots", "--out", str(out)]) == 0
    [run] = json.loads((out / "results.json").read_text())["runs"]
    assert len(run["line_ns"]) == 2 and all(0 < v < 1e6 for v in run["line_ns"]), run["line_ns"]
    assert "cache line " in capsys.readouterr().err
    assert "One cache line between two CPUs cost" in (out / "results.md").read_text()


def test_should_measure_nothing_and_say_why_when_the_probe_does_not_build(tmp_path):
    probe = machine.LineProbe.build("gcc", str(tmp_path / "missing.c"), str(tmp_path))
    assert probe.binary is None and "missing.c" in probe.reason
    assert probe.measure() is None
    assert machine.LineProbe.build("no-such-cc", str(tmp_path / "missing.c"), str(tmp_path)).measure() is None


def test_should_fail_naming_the_line_when_a_step_breaks_the_contract(tmp_path, capsys):
    checkout = _checkout(tmp_path, "[quick]\nsteps =\n    {python} -c \"print('RESULT {oops')\"\n")
    out = tmp_path / "out"
    assert cli.main(["--checkout", str(checkout), "--max-wait", "0", "--no-plots", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "demo: step 1 (logs/demo-0.log: exit 0, not JSON" in err and "RESULT {oops" in err
    assert "**failed**" in (out / "results.md").read_text()


def test_should_report_a_ratio_whose_result_never_came_when_its_suite_ran(tmp_path, capsys):
    checkout = _checkout(tmp_path, "[quick]\nsteps =\n    " + PRINT % ("ours", 5)
                         + "\n[ratios]\nours / c = ours / c msgs_per_s\n")
    assert cli.main(["--checkout", str(checkout), "--max-wait", "0", "--no-plots", "--out",
                     str(tmp_path / "out")]) == 1
    assert "ratio 'ours / c' has no result demo:c although its suites ran" in capsys.readouterr().err


def test_should_fail_a_step_that_prints_no_results_and_one_that_exits_non_zero(tmp_path, capsys):
    checkout = _checkout(tmp_path, "[quick]\nsteps =\n    {python} -c \"print('hello')\"\n"
                         "    {python} -c \"import sys; sys.exit(3)\"\n")
    assert cli.main(["--checkout", str(checkout), "--max-wait", "0", "--no-plots", "--out",
                     str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "step 1 printed no RESULT lines (logs/demo-0.log)" in err
    assert "step 2 (logs/demo-1.log: exit 3)" in err


def test_should_skip_a_suite_with_its_reason_when_a_needed_tool_is_missing(tmp_path, capsys):
    checkout = _checkout(tmp_path, "[suite]\nneeds = no-such-tool-here\n[quick]\nsteps =\n    " + PRINT % ("x", 1)
                         + "\n")
    out = tmp_path / "out"
    assert cli.main(["--checkout", str(checkout), "--max-wait", "0", "--no-plots", "--out", str(out)]) == 0
    assert "Skipped: needs no-such-tool-here on PATH" in (out / "results.md").read_text()


def test_should_run_the_steps_in_rounds_and_report_medians_when_a_profile_asks_for_rounds(tmp_path, capsys):
    # round.py NAME V1,V2,V3 prints NAME's value for the round it is in: a file counts the runs of the first step
    script = tmp_path / "round.py"
    script.write_text(
        "import json, sys\n"
        "name, values, first = sys.argv[1], sys.argv[2].split(','), sys.argv[3] == 'first'\n"
        f"counter = {str(tmp_path / 'rounds.txt')!r}\n"
        "if first:\n"
        "    open(counter, 'a').write('x')\n"
        "value = int(values[len(open(counter).read()) - 1])\n"
        "print('RESULT ' + json.dumps({'suite': 'demo', 'name': name, 'metric': 'msgs_per_s', 'value': value,"
        " 'unit': 'msg/s', 'params': {}}))\n")
    checkout = _checkout(tmp_path, f"[quick]\nrounds = 3\nsteps =\n    {{python}} {script} ours 5,9,6 first\n"
                         f"    {{python}} {script} c 10,30,10 then\n"
                         f"once =\n    {{python}} {script} peer 7,7,7 then\n"
                         "[roles]\nc = floor\n[ratios]\nours / c = ours / c msgs_per_s\n"
                         "ours / peer = ours / peer msgs_per_s\n")
    out = tmp_path / "out"
    assert cli.main(["--checkout", str(checkout), "--max-wait", "0", "--no-plots", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "demo run 1/3 round 2/3:" in err and "demo run 3/3: " in err
    data = json.loads((out / "results.json").read_text())
    assert [(r["step"], r.get("round")) for r in data["runs"]] == [(0, 0), (1, 0), (0, 1), (1, 1), (0, 2), (1, 2),
                                                                     (2, None)]
    results = {r["name"]: r for r in data["results"]}
    assert (results["ours"]["value"], results["ours"]["rounds"]) == (6, [5, 9, 6])
    assert (results["c"]["value"], results["c"]["rounds"]) == (10, [10, 30, 10])
    assert data["problems"] == []
    ratio, against_peer = data["ratios"]
    assert ratio["round_ratios"] == [0.5, 0.3, 0.6] and ratio["ratio"] == 0.5  # the rounds' median, not 6 / 10
    assert "round_ratios" not in against_peer and against_peer["ratio"] == 6 / 7  # a median against a one-off
    assert (out / "logs" / "demo-1-round3.log").read_text().startswith("RESULT ")
    text = (out / "results.md").read_text()
    # A † follows the ratio when another process used the CPU during a round (a loaded CI machine does): the
    # machine's doing, not the report's, so the cell is matched with or without it.
    assert re.search(r"\| 0\.5×( †)? \(rounds: 0\.5, 0\.3, 0\.6\) \|", text) and "Medians of 3 rounds" in text
    assert "round 3" in text.split("## Runs")[1]
