"""The machine: its description, waiting until it is idle, and running one process with a contamination check.

Method of the team's notes/perf-limits.md: wait until the whole machine has been idle for a while, run the
benchmark as a child, then compare the system-wide busy time (/proc/stat) with the CPU time of the child and its
descendants (getrusage): what remains was used by other processes during the run.
"""
import os
import platform
import re
import resource
import signal
import subprocess
import sys
import threading
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
IDLE_WINDOW_S = 0.5
IDLE_THRESHOLD_CORES = 0.10
CONTAMINATION_CORES = 0.10
#: Round trips per round of the cache-line probe (5 rounds: about 50 ms at 200 ns a line).
LINE_PROBE_TRIPS = 20000


def cpu_jiffies():
    """(busy, total) jiffies of all CPUs from /proc/stat; busy excludes idle and iowait (steal counts as busy:
    time the hypervisor gave to someone else)."""
    with open("/proc/stat", encoding="ascii") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    total = sum(fields[:8])
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return total - idle, total


def loadavg():
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            return [float(v) for v in f.read().split()[:3]]
    except OSError:
        return list(os.getloadavg())


def wait_idle(max_wait_s, clock=time.monotonic, sleep=time.sleep, sample=cpu_jiffies):
    """Waits until the machine used less than IDLE_THRESHOLD_CORES over the last IDLE_WINDOW_S, at most max_wait_s.

    Returns (idle, waited_s, busy_cores of the last window)."""
    start = clock()
    busy_cores = None
    while True:
        b0, t0 = sample()
        w0 = clock()
        sleep(IDLE_WINDOW_S)
        b1, t1 = sample()
        elapsed = clock() - w0
        busy_cores = (b1 - b0) / CLK_TCK / max(elapsed, 1e-3)
        if busy_cores < IDLE_THRESHOLD_CORES:
            return True, clock() - start, busy_cores
        if clock() - start >= max_wait_s:
            return False, clock() - start, busy_cores


class Run:
    """One measured process run: what ran, how long, its load and how much else ran beside it."""

    def __init__(self, argv):
        self.argv = argv
        self.exit = None
        self.wall_s = 0.0
        self.own_cpu_s = 0.0
        self.other_cores = 0.0
        self.contaminated = False
        self.idle_before = None
        self.waited_s = 0.0
        self.busy_before = None
        self.load_before = None
        self.load_after = None
        self.timed_out = False
        self.error = None

    def as_json(self):
        return {"command": " ".join(self.argv), "exit": self.exit, "wall_s": round(self.wall_s, 3),
                "own_cpu_s": round(self.own_cpu_s, 3), "other_cpu_cores": round(self.other_cores, 3),
                "contaminated": self.contaminated, "idle_before": self.idle_before,
                "waited_for_idle_s": round(self.waited_s, 2),
                "busy_cores_before": None if self.busy_before is None else round(self.busy_before, 3),
                "load_before": self.load_before, "load_after": self.load_after, "timed_out": self.timed_out,
                "error": self.error}


def run_measured(argv, env, log, on_line, timeout_s, max_wait_s, measured=True):
    """Runs argv after waiting for an idle machine (when measured), writing its output to `log` and passing each
    line to on_line; returns a Run."""
    run = Run(argv)
    if measured:
        run.idle_before, run.waited_s, run.busy_before = wait_idle(max_wait_s)
    run.load_before = loadavg()
    self0 = resource.getrusage(resource.RUSAGE_SELF)
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy0, _ = cpu_jiffies()
    start = time.monotonic()
    try:
        process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   start_new_session=True, text=True, errors="replace", bufsize=1)
    except OSError as e:
        run.error = f"cannot start {argv[0]}: {e.strerror}"
        run.exit = 127
        log.write(run.error + "\n")
        return run
    fired = threading.Event()

    def kill():
        fired.set()
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout_s, kill)
    timer.daemon = True
    timer.start()
    try:
        for line in process.stdout:
            log.write(line)
            on_line(line)
        process.wait()
    finally:
        timer.cancel()
        process.stdout.close()
    run.timed_out = fired.is_set()
    run.wall_s = time.monotonic() - start
    busy1, _ = cpu_jiffies()
    self1 = resource.getrusage(resource.RUSAGE_SELF)
    children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    run.exit = process.returncode
    run.load_after = loadavg()
    own = ((children1.ru_utime - children0.ru_utime) + (children1.ru_stime - children0.ru_stime)
           + (self1.ru_utime - self0.ru_utime) + (self1.ru_stime - self0.ru_stime))
    run.own_cpu_s = own
    # jiffies tick at 1/CLK_TCK: allow a tick per CPU of rounding before calling it contamination
    other = (busy1 - busy0) / CLK_TCK - own
    run.other_cores = max(0.0, other) / max(run.wall_s, 1e-3)
    run.contaminated = measured and run.other_cores > CONTAMINATION_CORES and \
        other > (os.cpu_count() or 1) / CLK_TCK
    if run.timed_out:
        run.error = f"killed after {timeout_s:.0f} s (the suite's timeout)"
        log.write(run.error + "\n")
    return run


def _first_line(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        text = (out.stdout + out.stderr).strip().splitlines()
        return text
    except (OSError, subprocess.TimeoutExpired) as e:
        return [f"unknown ({e})"]


def cpu_model():
    """The CPU's model name from /proc/cpuinfo, or "unknown CPU"."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def describe(java, checkout):
    """The machine and software a run measured on."""
    cpu = cpu_model()
    java_lines = _first_line([java, "-version"])
    revision = "unknown (not a git checkout)"
    git = _first_line(["git", "-C", checkout, "rev-parse", "--short=12", "HEAD"])
    if git and len(git) == 1 and all(c in "0123456789abcdef" for c in git[0]):
        revision = git[0]
        dirty = _first_line(["git", "-C", checkout, "status", "--porcelain", "--untracked-files=no"])
        if dirty:
            revision += "-dirty"
    return {
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "kernel": f"{platform.system()} {platform.release()}",
        "java": " / ".join(line.strip() for line in java_lines[:3]),
        "python": f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})",
        "git_revision": revision,
        "load_at_start": loadavg(),
        "clk_tck": CLK_TCK,
    }


class LineProbe:
    """What one cache line costs to cross between two CPUs (``src/main/c/cacheline_pingpong.c``), measured before and
    after every measured run: the machine state the run saw. On a virtual machine it changes with where the host runs
    the vCPUs (about 50-80 ns or 200-240 ns on the 2-vCPU machine the targets were set on), and every cross-thread
    figure with it (docs/benchmarks.md). Built once per bench run; without a C compiler, the source or two CPUs it
    measures nothing (None)."""

    def __init__(self, binary, reason=""):
        self.binary = binary
        self.reason = reason

    @staticmethod
    def build(cc, source, work):
        """Compiles the probe into work; a probe that measures nothing (with the reason) when that fails."""
        target = os.path.join(work, "cacheline_probe")
        try:
            out = subprocess.run([cc, "-O2", "-pthread", "-o", target, source], capture_output=True, text=True,
                                 timeout=120)
        except (OSError, subprocess.TimeoutExpired) as e:
            return LineProbe(None, f"{cc} failed: {e}")
        if out.returncode != 0:
            return LineProbe(None, f"{cc} {source}: exit {out.returncode}: {out.stderr.strip()[:200]}")
        return LineProbe(target)

    def measure(self):
        """The one-way cost of a cache line between the first two CPUs in ns, or None (not measurable here)."""
        if self.binary is None:
            return None
        try:
            out = subprocess.run([self.binary, str(LINE_PROBE_TRIPS), "probe"], capture_output=True, text=True,
                                 timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            return None
        found = re.search(r"c-cacheline-one-way ns=([0-9.]+)", out.stdout)
        return float(found.group(1)) if found else None
