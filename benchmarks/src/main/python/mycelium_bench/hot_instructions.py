"""Where one JIT-compiled Java method spends its CPU samples, instruction by instruction, without hsdis.

JFR and a method-level `perf` profile name a method; inside it, a stall lands on whichever instruction waits, and
JFR's line attribution put a store-buffer drain on the wrong line (docs/benchmarks.md, "Where a batched link's time
goes"). This tool pins samples to machine instructions with what this machine has: HotSpot's `PrintAssembly`, which
without the hsdis plug-in prints each compiled method's code as raw bytes (with the Java scopes of its calls and
safepoints), `perf record -e cpu-clock` (a software clock: there are no hardware counters in this VM) and `objdump`
(binutils, which gcc brings) to decode the bytes.

    python3 -m mycelium_bench.hot_instructions run --out DIR 'pkg.Class::method' -- -cp JAR Main args...
    python3 -m mycelium_bench.hot_instructions report DIR [--top N]

`run` starts `java` with the given arguments under `perf record`, the named method's compiled code printed into the
VM's own log, DIR/vm.log (apart from the program's output, DIR/java.log, which would otherwise cut into its lines),
then reports. A sample's instruction pointer is where the clock interrupt returned to: the instruction after the one
that was stalling, so the report shows both (the "before" column is the likely culprit, e.g. a `lock cmpxchg` that
waited for earlier stores to drain). The Java scope is the nearest call or safepoint annotation at or before the
instruction: C2 annotates only those, so it says roughly where, not which line.
"""
import argparse
import bisect
import collections
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile

_SECTION = re.compile(r"^Compiled method \((c1|c2)\)\s+\d+\s+(\d+)\s.*?(\S+::\S+) \(\d+ bytes\)")
_MAIN_CODE = re.compile(r"^\s*main code\s+\[0x([0-9a-f]+),0x([0-9a-f]+)\]")
_HEX = re.compile(r"^\s*0x([0-9a-f]+):\s+((?:(?:[0-9a-f]{2})+\s*\|?\s*)+)$")
_NOTE = re.compile(r"^\s*0x([0-9a-f]+):\s+;")
_SCOPE = re.compile(r"^\s*; - (\S+@-?\d+(?: \(line \d+\))?)")
_OBJDUMP = re.compile(r"^\s*([0-9a-f]+):\t[0-9a-f ]+\t(.+)$")


class Section:
    """One compiled version of the method: its code's bytes (from its main code's start on) and its Java scopes."""

    def __init__(self, compiler, compile_id, method):
        self.compiler = compiler
        self.compile_id = compile_id
        self.method = method
        self.start = None
        self.end = None
        self.code = bytearray()
        self.code_start = None
        self.scopes = []  # (address, innermost Java scope), in address order

    def label(self):
        return f"{self.method} ({self.compiler}, compile id {self.compile_id}, {self.end - self.start} bytes)"

    def contains(self, ip):
        return self.start <= ip < self.end

    def scope_at(self, ip):
        found = ""
        for address, scope in self.scopes:
            if address > ip:
                break
            found = scope
        return found


def parse_assembly(lines):
    """Sections of PrintAssembly output (any other output between them is ignored); raises ValueError when a
    section's code is not where its header says or its bytes leave a gap."""
    sections = []
    current = None
    note_at = None
    for number, line in enumerate(lines, 1):
        # The VM's log is XML: its text is escaped ("&apos;", "&lt;init&gt;"); its tags match nothing below.
        line = html.unescape(line.rstrip("\n"))
        header = _SECTION.match(line)
        if header:
            current = Section(header.group(1), int(header.group(2)), header.group(3))
            sections.append(current)
            note_at = None
            continue
        if current is None:
            continue
        main = _MAIN_CODE.match(line)
        if main:
            current.start, current.end = int(main.group(1), 16), int(main.group(2), 16)
            continue
        note = _NOTE.match(line)
        if note:
            note_at = int(note.group(1), 16)
            continue
        scope = _SCOPE.match(line)
        if scope and note_at is not None:
            if not current.scopes or current.scopes[-1][0] != note_at:
                current.scopes.append((note_at, scope.group(1)))
            continue
        code = _HEX.match(line)
        if code:
            address = int(code.group(1), 16)
            if current.code_start is None:
                current.code_start = address
            elif address != current.code_start + len(current.code):
                raise ValueError(f"line {number}: code at 0x{address:x} leaves a gap after "
                                 f"0x{current.code_start + len(current.code):x} in {current.method}")
            for token in code.group(2).replace("|", " ").split():
                current.code.extend(bytes.fromhex(token))
    for section in sections:
        if section.start is None or section.code_start != section.start:
            raise ValueError(f"{section.method} (compile id {section.compile_id}): no code bytes at its main code's "
                             f"start (was the output cut, or printed with hsdis?)")
    return sections


def parse_samples(lines):
    """(tid, ip) pairs from `perf script -F tid,ip` output."""
    samples = []
    for line in lines:
        fields = line.split()
        if len(fields) >= 2:
            try:
                samples.append((int(fields[0]), int(fields[1], 16)))
            except ValueError:
                continue
    return samples


def disassemble(section, objdump="objdump"):
    """Address -> instruction text of the section's code, decoded by objdump."""
    with tempfile.NamedTemporaryFile(suffix=".bin") as raw:
        raw.write(section.code)
        raw.flush()
        out = subprocess.run([objdump, "-D", "-b", "binary", "-m", "i386:x86-64", "-M", "intel",
                              f"--adjust-vma=0x{section.start:x}", raw.name],
                             check=True, capture_output=True, text=True).stdout
    instructions = {}
    for line in out.splitlines():
        decoded = _OBJDUMP.match(line)
        if decoded:
            instructions[int(decoded.group(1), 16)] = " ".join(decoded.group(2).split())
    return instructions


def report(sections, samples, top=12, objdump="objdump"):
    """The hottest instructions of each compiled version that has samples, for the thread with most of them."""
    inside = collections.Counter()
    by_thread = collections.Counter()
    for tid, ip in samples:
        for index, section in enumerate(sections):
            if section.contains(ip):
                inside[(index, tid, ip)] += 1
                by_thread[tid] += 1
                break
    if not by_thread:
        names = sorted({s.method for s in sections}) or ["(no method printed)"]
        return f"no sample fell inside the compiled code of {', '.join(names)}\n"
    tid, thread_samples = by_thread.most_common(1)[0]
    out = [f"thread {tid}: {thread_samples} samples inside the method"
           + (f" (other threads: {', '.join(f'{t}: {n}' for t, n in by_thread.most_common()[1:])})"
              if len(by_thread) > 1 else "")]
    for index, section in enumerate(sections):
        hot = collections.Counter({ip: n for (i, t, ip), n in inside.items() if i == index and t == tid})
        total = sum(hot.values())
        if total == 0:
            continue
        instructions = disassemble(section, objdump)
        addresses = sorted(instructions)
        out.append("")
        out.append(f"{section.label()}: {total} samples")
        out.append("| samples | share | offset | instruction before | sampled instruction | nearest Java scope |")
        out.append("|---|---|---|---|---|---|")
        for ip, n in hot.most_common(top):
            at = instructions.get(ip, "(not an instruction start)")
            earlier = bisect.bisect_left(addresses, ip)
            before = instructions[addresses[earlier - 1]] if earlier else ""
            out.append(f"| {n} | {100.0 * n / total:.1f}% | +0x{ip - section.start:x} | `{before}` | `{at}` | "
                       f"{section.scope_at(ip)} |")
    return "\n".join(out) + "\n"


def _report_dir(directory, top):
    log = os.path.join(directory, "vm.log")
    data = os.path.join(directory, "perf.data")
    for path in (log, data):
        if not os.path.exists(path):
            raise SystemExit(f"hot_instructions: {path} is missing (made by `run`)")
    with open(log, encoding="utf-8", errors="replace") as f:
        sections = parse_assembly(f)
    if not sections:
        raise SystemExit(f"hot_instructions: {log} holds no compiled method (was the method name right, as "
                         f"pkg.Class::method, and did it get compiled?)")
    script = subprocess.run(["perf", "script", "-i", data, "-F", "tid,ip"], check=True, capture_output=True,
                            text=True).stdout
    sys.stdout.write(report(sections, parse_samples(script.splitlines()), top))


def main(argv):
    parser = argparse.ArgumentParser(prog="hot_instructions", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="profile a java command and report")
    run.add_argument("--out", required=True, help="directory for vm.log, java.log and perf.data")
    run.add_argument("--top", type=int, default=12)
    run.add_argument("--frequency", type=int, default=4000, help="samples per second and CPU (perf -F)")
    run.add_argument("method", help="pkg.Class::method, as -XX:CompileCommand takes it")
    run.add_argument("java_args", nargs=argparse.REMAINDER, help="-- then the arguments of java")
    again = commands.add_parser("report", help="report a directory made by run")
    again.add_argument("directory")
    again.add_argument("--top", type=int, default=12)
    args = parser.parse_args(argv)
    for tool in ("perf", "objdump"):
        if shutil.which(tool) is None:
            raise SystemExit(f"hot_instructions: `{tool}` is not on PATH (perf: linux-perf; objdump: binutils)")
    if args.command == "report":
        _report_dir(args.directory, args.top)
        return 0
    java_args = args.java_args[1:] if args.java_args[:1] == ["--"] else args.java_args
    if not java_args:
        raise SystemExit("hot_instructions: no java arguments after --")
    os.makedirs(args.out, exist_ok=True)
    command = ["perf", "record", "-e", "cpu-clock", "-F", str(args.frequency), "-o",
               os.path.join(args.out, "perf.data"), "--", os.environ.get("JAVA", "java"),
               "-XX:+UnlockDiagnosticVMOptions", "-XX:+LogVMOutput", "-XX:-DisplayVMOutput",
               f"-XX:LogFile={os.path.join(args.out, 'vm.log')}", f"-XX:CompileCommand=print,{args.method}"] + java_args
    with open(os.path.join(args.out, "java.log"), "w", encoding="utf-8") as log:
        status = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT).returncode
    if status != 0:
        raise SystemExit(f"hot_instructions: the profiled command exited with {status}; see "
                         f"{os.path.join(args.out, 'java.log')}")
    _report_dir(args.out, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
