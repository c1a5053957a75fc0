"""`mycelium bench [--quick|--full|--smoke] [--only SUITE,...] [--out DIR]`: see docs/benchmarks.md."""
import argparse
import datetime
import os
import shutil
import subprocess
import sys

from . import contract, machine, report, suites as suitelib

JVM_OPTIONS = ["-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"]
DEFAULT_MAX_WAIT = {"quick": 5.0, "full": 120.0, "smoke": 0.0}
DEFAULT_RETRIES = {"quick": 0, "full": 2, "smoke": 0}
PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class UsageError(Exception):
    """Bad arguments: the message says which and what is allowed."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def parse_args(argv):
    p = _Parser(prog="mycelium bench", description="Runs the benchmark suites side by side with their floors and "
                "peers; writes results.md (ratios), results.json and plots. See docs/benchmarks.md.")
    profile = p.add_mutually_exclusive_group()
    profile.add_argument("--quick", dest="profile", action="store_const", const="quick",
                         help="short runs, the whole suite in <= 5 min on 2 vCPUs (default)")
    profile.add_argument("--full", dest="profile", action="store_const", const="full",
                         help="full sizes; contaminated runs are retried")
    profile.add_argument("--smoke", dest="profile", action="store_const", const="smoke",
                         help="seconds: checks the suites run; figures are not measurements")
    p.add_argument("--only", metavar="SUITE,...", help="run only these suites (see --list)")
    p.add_argument("--out", metavar="DIR", help="where results go (new or empty); default "
                   "benchmarks/target/bench/<UTC time>")
    p.add_argument("--max-wait", metavar="SECONDS", type=float,
                   help="longest wait for an idle machine before each run (default 5 quick, 120 full, 0 smoke)")
    p.add_argument("--retries", metavar="N", type=int, help="extra runs of a contaminated run (default 0 quick, 2 full)")
    p.add_argument("--no-plots", action="store_true", help="no PNGs (no venv, no matplotlib)")
    p.add_argument("--list", action="store_true", help="list the registered suites and exit")
    p.add_argument("--checkout", default=os.environ.get("MYCELIUM_SOURCE"), help=argparse.SUPPRESS)
    p.add_argument("--java", default=None, help=argparse.SUPPRESS)
    p.add_argument("--jar", default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.profile = args.profile or "quick"
    if args.max_wait is not None and args.max_wait < 0:
        raise UsageError(f"--max-wait must be 0 or more seconds, not {args.max_wait:g}")
    if args.retries is not None and not 0 <= args.retries <= 10:
        raise UsageError(f"--retries must be 0..10, not {args.retries}")
    if args.only is not None:
        args.only = [s.strip() for s in args.only.split(",")]
        if not all(args.only):
            raise UsageError(f"--only takes suite names separated by commas, not '{','.join(args.only)}'")
    args.max_wait = DEFAULT_MAX_WAIT[args.profile] if args.max_wait is None else args.max_wait
    args.retries = DEFAULT_RETRIES[args.profile] if args.retries is None else args.retries
    if args.checkout is None:
        args.checkout = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(PACKAGE_ROOT))))
    if args.java is None:
        home = os.environ.get("JAVA_HOME")
        args.java = os.path.join(home, "bin", "java") if home and os.path.exists(
            os.path.join(home, "bin", "java")) else (shutil.which("java") or "java")
    return args


def select(all_suites, only):
    if only is None:
        return all_suites
    names = {s.name: s for s in all_suites}
    unknown = [n for n in only if n not in names]
    if unknown:
        raise UsageError(f"unknown suite{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} for --only; "
                         f"registered: {', '.join(names)}")
    return [s for s in all_suites if s.name in only]


def say(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def ensure_jar(checkout, jar, explicit):
    """Builds benchmarks.jar when it is missing or older than the benchmarks' sources."""
    if explicit:
        if not os.path.isfile(jar):
            raise RuntimeError(f"--jar {jar}: no such file")
        return
    newest = 0.0
    for top in (os.path.join(checkout, "benchmarks", "src", "main", "java"), os.path.join(checkout, "benchmarks",
                                                                                          "pom.xml")):
        if os.path.isfile(top):
            newest = max(newest, os.path.getmtime(top))
        for base, _, files in os.walk(top):
            for f in files:
                newest = max(newest, os.path.getmtime(os.path.join(base, f)))
    if os.path.isfile(jar) and os.path.getmtime(jar) >= newest:
        return
    why = "missing" if not os.path.isfile(jar) else "older than benchmarks/src"
    command = ["mvn", "-B", "-q", "-Dstyle.color=never", "-pl", "benchmarks", "-am", "package", "-DskipTests"]
    say(f"{jar} is {why}: building it ({' '.join(command)})")
    if shutil.which("mvn") is None:
        raise RuntimeError(f"{jar} is {why} and Maven (mvn) is not on PATH: build it with {' '.join(command)}")
    if subprocess.run(command, cwd=checkout).returncode != 0 or not os.path.isfile(jar):
        raise RuntimeError(f"building {jar} failed (see Maven's output above)")


def ensure_venv(checkout):
    """The Python of benchmarks/target/bench-venv with matplotlib, made with pip the first time."""
    venv = os.path.join(checkout, "benchmarks", "target", "bench-venv")
    python = os.path.join(venv, "bin", "python")
    if os.path.exists(python) and subprocess.run([python, "-c", "import matplotlib"],
                                                 capture_output=True).returncode == 0:
        return python
    say(f"installing matplotlib into {venv} (once)")
    # With the system's site-packages (a numpy there is not installed again) and, where the system's pip can install
    # into the venv, without a pip of its own: copying pip and numpy into a new venv took longer than the rest.
    shutil.rmtree(venv, ignore_errors=True)
    made = subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv],
                          capture_output=True, text=True, timeout=900)
    own_pip = made.returncode != 0 or subprocess.run([python, "-m", "pip", "--version"],
                                                     capture_output=True).returncode != 0
    commands = [[sys.executable, "-m", "venv", "--clear", "--system-site-packages", venv]] if own_pip else []
    # --retries 0: where the default index is unreachable (offline, a local mirror configured as an extra index)
    # pip would retry it with back-off for every package: 93 s instead of 10 s
    commands.append([python, "-m", "pip", "install", "--disable-pip-version-check", "--retries", "0", "-q",
                     "matplotlib"])
    for command in commands:
        done = subprocess.run(command, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed (exit {done.returncode}): "
                               f"{(done.stderr or done.stdout).strip()[-800:]}")
    return python


def make_plots(checkout, out_dir):
    python = ensure_venv(checkout)
    env = dict(os.environ, PYTHONPATH=PACKAGE_ROOT, PYTHONDONTWRITEBYTECODE="1", MPLBACKEND="Agg",
               MPLCONFIGDIR=os.path.join(out_dir, ".matplotlib"))
    done = subprocess.run([python, "-m", "mycelium_bench.plots", os.path.join(out_dir, "results.json"),
                           os.path.join(out_dir, "plots")], capture_output=True, text=True, env=env, timeout=600)
    shutil.rmtree(os.path.join(out_dir, ".matplotlib"), ignore_errors=True)
    if done.returncode != 0:
        raise RuntimeError(f"plotting failed (exit {done.returncode}): {done.stderr.strip()[-1500:]}")
    return [os.path.relpath(p, out_dir) for p in done.stdout.split()]


class Collector:
    """The RESULT/CURVE lines of one process run, and the contract violations among them."""

    def __init__(self, run_index):
        self.run_index = run_index
        self.records = []
        self.errors = []

    def __call__(self, line):
        try:
            parsed = contract.parse_line(line)
        except contract.ContractError as e:
            self.errors.append(str(e))
            return
        if parsed:
            kind, obj = parsed
            obj["run"] = self.run_index
            self.records.append((kind, obj))


def _line_text(line_ns):
    """The probe's readings around a run, for the progress line."""
    if not line_ns:
        return ""
    return "cache line " + " -> ".join("?" if v is None else f"{v:.0f}" for v in line_ns) + " ns, "


def run_suite(suite, args, values, out_dir, runs, problems, probe=None):
    """Runs one suite's setup and measured steps, probing the machine state (a machine.LineProbe) around each
    measured run; returns (status, reason, records)."""
    missing = [tool for tool in suite.needs if shutil.which(tool) is None]
    if missing:
        return "skipped", f"needs {', '.join(missing)} on PATH", []
    steps = suite.steps(args.profile)
    if steps is None:
        return "skipped", f"no [{args.profile}] steps in {os.path.relpath(suite.path, args.checkout)}", []
    env = dict(os.environ, BENCH_PROFILE=args.profile, BENCH_JAR=values["jar"], BENCH_WORK=values["work"],
               BENCH_SUITE=suite.name, BENCH_JAVA=values["java"])
    records = []
    failed = []
    setup = suite.setup_steps()
    rounds = suite.rounds(args.profile)
    once = suite.once(args.profile)
    total = len(setup) + len(steps) + len(once)
    # Rounds run the whole step list again, so a floor and the path compared with it are measured close together
    # each time, and the report takes medians (one hiccup or machine-state switch does not decide a ratio).
    planned = ([(n, step, False, None) for n, step in enumerate(setup)]
               + [(len(setup) + i, step, True, r if rounds > 1 else None) for r in range(rounds)
                  for i, step in enumerate(steps)]
               + [(len(setup) + len(steps) + i, step, True, None) for i, step in enumerate(once)])
    for n, step, measured, round_index in planned:
        argv = suitelib.expand(step, values)
        attempts = []
        in_round = "" if round_index is None else f" round {round_index + 1}/{rounds}"
        for attempt in range(1 + (args.retries if measured else 0)):
            index = len(runs)
            log_name = (f"logs/{suite.name}-{n}{'' if round_index is None else f'-round{round_index + 1}'}"
                        f"{'' if attempt == 0 else f'-retry{attempt}'}.log")
            say(f"{suite.name} {'setup' if not measured else 'run'} {n + 1}/{total}{in_round}"
                f"{'' if attempt == 0 else f' (retry {attempt}: the last run was contaminated)'}: {' '.join(argv)}")
            collector = Collector(index)
            line_before = probe.measure() if measured and probe else None
            with open(os.path.join(out_dir, log_name), "w", encoding="utf-8") as log:
                run = machine.run_measured(argv, env, log, collector, suite.timeout, args.max_wait, measured)
            line_after = probe.measure() if measured and probe else None
            record = dict(run.as_json(), suite=suite.name, step=n, template=step, log=log_name, measured=measured,
                          kept=True)
            if round_index is not None:
                record["round"] = round_index
            if line_before is not None or line_after is not None:
                record["line_ns"] = [line_before, line_after]
            if collector.errors:
                record["error"] = "; ".join(collector.errors[:3]) + (
                    f" (and {len(collector.errors) - 3} more)" if len(collector.errors) > 3 else "")
            runs.append(record)
            say(f"  {run.wall_s:.1f} s, exit {run.exit}, waited {run.waited_s:.1f} s for idle"
                f"{'' if run.idle_before in (True, None) else ' (machine still busy: ran anyway)'}, "
                f"other processes {run.other_cores:.2f} cores{' -> CONTAMINATED' if run.contaminated else ''}, "
                f"{_line_text(record.get('line_ns'))}"
                f"{sum(1 for k, _ in collector.records if k == 'RESULT')} results")
            attempts.append((record, collector))
            if not run.contaminated or run.exit != 0:
                break
        best_record, best = min(attempts, key=lambda a: (a[0]["exit"] != 0, a[0]["other_cpu_cores"]))
        for record, _ in attempts:
            record["kept"] = record is best_record
        if best_record["exit"] != 0 or best_record.get("error"):
            failed.append(f"step {n + 1}{in_round} ({best_record['log']}: exit {best_record['exit']}"
                          f"{', ' + best_record['error'] if best_record.get('error') else ''})")
        if measured and best_record["exit"] == 0 and not best.records and not best.errors:
            failed.append(f"step {n + 1}{in_round} printed no RESULT lines ({best_record['log']})")
        for kind, obj in best.records:
            obj["contaminated"] = best_record["contaminated"]
            obj["profile"] = args.profile
            obj["step"] = n
            if round_index is not None:
                obj["round"] = round_index
            records.append((kind, obj))
        if not measured and best_record["exit"] != 0:
            break
    if failed:
        problems.extend(f"{suite.name}: {f}" for f in failed)
        return "failed", "; ".join(failed), records
    return "ran", "", records


def main(argv):
    try:
        args = parse_args(argv)
        checkout = os.path.abspath(args.checkout)
        all_suites = suitelib.load(os.path.join(checkout, "benchmarks", "suites"))
        if args.list:
            for s in all_suites:
                profiles = [p for p in suitelib.PROFILES if s.steps(p) is not None]
                print(f"{s.name:<12} {s.title}  [{', '.join(profiles)}]")
            return 0
        chosen = select(all_suites, args.only)
    except (UsageError, suitelib.SuiteError) as e:
        print(f"mycelium bench: {e}", file=sys.stderr)
        print("usage: mycelium bench [--quick|--full|--smoke] [--only SUITE,...] [--out DIR] [--max-wait S] "
              "[--retries N] [--no-plots] [--list]", file=sys.stderr)
        return 2
    started = datetime.datetime.now(datetime.timezone.utc)
    out_dir = os.path.abspath(args.out or os.path.join(checkout, "benchmarks", "target", "bench",
                                                       started.strftime("%Y%m%d-%H%M%S")))
    if os.path.exists(out_dir) and (not os.path.isdir(out_dir) or os.listdir(out_dir)):
        print(f"mycelium bench: --out {out_dir} exists and is not an empty folder; choose a new one",
              file=sys.stderr)
        return 2
    os.makedirs(os.path.join(out_dir, "logs"), exist_ok=True)
    os.makedirs(os.path.join(out_dir, "work"), exist_ok=True)
    jar = os.path.abspath(args.jar or os.path.join(checkout, "benchmarks", "target", "benchmarks.jar"))
    try:
        if any("{jar}" in step for s in chosen
               for step in (s.steps(args.profile) or []) + s.once(args.profile) + s.setup_steps()):
            ensure_jar(checkout, jar, args.jar is not None)
    except RuntimeError as e:
        print(f"mycelium bench: {e}", file=sys.stderr)
        return 1
    values = {"java": args.java, "jvm": JVM_OPTIONS, "jar": jar, "bench": os.path.join(checkout, "benchmarks"),
              "src": os.path.join(checkout, "benchmarks", "src", "main"), "work": os.path.join(out_dir, "work"),
              "python": sys.executable, "cc": os.environ.get("CC", "gcc"), "profile": args.profile}
    say(f"{args.profile} profile, suites {', '.join(s.name for s in chosen)}; results in {out_dir}")
    info = machine.describe(args.java, checkout)
    probe = machine.LineProbe.build(values["cc"], os.path.join(values["src"], "c", "cacheline_pingpong.c"),
                                    values["work"])
    if probe.binary is None:
        say(f"no cache-line probe around the runs ({probe.reason}): machine state not recorded")
    runs, problems, records, suite_rows = [], [], [], []
    for suite in chosen:
        status, reason, suite_records = run_suite(suite, args, values, out_dir, runs, problems, probe)
        suite_rows.append({"name": suite.name, "title": suite.title, "status": status, "reason": reason})
        if status == "skipped":
            say(f"{suite.name} skipped: {reason}")
        records.extend(suite_records)
    finished = datetime.datetime.now(datetime.timezone.utc)
    data = report.assemble(records, all_suites, chosen, info, runs, suite_rows, problems, args.profile,
                           started.strftime("%Y-%m-%d %H:%M:%S"), finished.strftime("%Y-%m-%d %H:%M:%S"),
                           "mycelium bench " + " ".join(argv))
    ran = {row["name"] for row in suite_rows if row["status"] == "ran"}
    for ratio in data["ratios"]:
        involved = {ratio["subject"].split(":", 1)[0], ratio["base"].split(":", 1)[0]}
        if "missing" in ratio and args.profile != "smoke" and involved <= ran:
            problems.append(f"{ratio['suite']}: ratio '{ratio['label']}' has no result {', '.join(ratio['missing'])}"
                            f" although its suites ran: check the names in benchmarks/suites/{ratio['suite']}.suite")
    report.write(data, out_dir)
    if not args.no_plots and (data["results"] or data["curves"]):
        try:
            data["plots"] = make_plots(checkout, out_dir)
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
            problems.append(f"plots: {e}")
            say(f"no plots: {e}")
        report.write(data, out_dir)
    shutil.rmtree(os.path.join(out_dir, "work"), ignore_errors=True)
    text = report.markdown(data)
    print(text[text.index("## Ratios"):text.index("## Figures")].rstrip())
    print()
    minutes = (datetime.datetime.now(datetime.timezone.utc) - started).total_seconds() / 60
    say(f"done in {minutes:.1f} min: {os.path.join(out_dir, 'results.md')} (and results.json, plots/, logs/)")
    if problems:
        say(f"{len(problems)} problem(s):")
        for p in problems:
            say(f"  {p}")
        return 1
    return 0
