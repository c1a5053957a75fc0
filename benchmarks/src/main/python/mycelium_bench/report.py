"""Turns collected RESULT/CURVE records into results.json and results.md (standard library only).

`python3 -m mycelium_bench.report RESULTS_JSON` rewrites results.md beside it from the JSON.
"""
import json
import os
import sys

LATENCY = ("p50_ns", "p99_ns", "p999_ns", "mean_ns")
COLUMNS = (("p50_ns", "p50"), ("p99_ns", "p99"), ("p999_ns", "p99.9"), ("mean_ns", "mean"),
           ("msgs_per_s", "msg/s"), ("ns_per_op", "ns/op"), ("bytes_per_op", "B/op"))
DAGGER = " †"
DOUBLE_DAGGER = " ‡"
#: Cache-line readings (machine.LineProbe) further apart than this factor around the two runs of a ratio mean its path
#: and base were measured in different machine states.
STATE_CHANGE = 1.5


def resolve_roles(records, suites):
    """Gives each record its role: the line's own, else its suite registration's [roles] pattern, else subject."""
    by_name = {s.name: s for s in suites}
    for r in records:
        if not r.pop("explicit_role", False):
            suite = by_name.get(r["suite"])
            role = suite.role_of(r["name"]) if suite else None
            r["role"] = role or r.get("role", "subject")


def _lookup(results):
    table = {}
    for r in results:
        table[(f"{r['suite']}:{r['name']}", r["metric"])] = r
    return table


def median(values):
    """The middle value (the mean of the two middle ones for an even count)."""
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _from_rounds(group):
    """Whether a group of same-named results is one step's rounds (one result per round), not a naming mistake."""
    return (len(group) > 1 and all("round" in r for r in group) and len({r.get("step") for r in group}) == 1
            and len({r["round"] for r in group}) == len(group))


def merge_rounds(results, curves):
    """One result per suite, name and metric: a step run in rounds gives its median, with every round's value
    (`rounds`, in round order) and run (`round_runs`); its curve is the one of the round whose p50 is the median's.
    Other duplicates stay as they are (assemble reports them)."""
    groups = {}
    for r in results:
        groups.setdefault((r["suite"], r["name"], r["metric"]), []).append(r)
    merged = []
    curve_run = {}
    for (suite, name, metric), group in groups.items():
        if not _from_rounds(group):
            merged.extend(group)
            continue
        in_order = sorted(group, key=lambda r: r["round"])
        # the lower middle for an even count: a value that was measured, for the curve and the run it points at
        middle = sorted(group, key=lambda r: r["value"])[(len(group) - 1) // 2]
        one = {k: v for k, v in middle.items() if k != "round"}
        one.update(value=median([r["value"] for r in group]), rounds=[r["value"] for r in in_order],
                   round_runs=[r.get("run") for r in in_order],
                   contaminated=bool(middle.get("contaminated"))
                   or 2 * sum(1 for r in group if r.get("contaminated")) > len(group))
        merged.append(one)
        if metric == "p50_ns" or (suite, name) not in curve_run:
            curve_run[(suite, name)] = middle.get("run")
    kept_curves = []
    by_name = {}
    for c in curves:
        by_name.setdefault((c["suite"], c["name"]), []).append(c)
    for key, group in by_name.items():
        if len(group) > 1 and all("round" in c for c in group):
            chosen = [c for c in group if c.get("run") == curve_run.get(key)] or group[-1:]
            kept_curves.append({k: v for k, v in chosen[0].items() if k != "round"})
        else:
            kept_curves.extend(group)
    return merged, kept_curves


def _line_ns(runs, index):
    """The cache-line readings taken around run `index` (none when it was not probed)."""
    if index is None or not 0 <= index < len(runs):
        return []
    return [v for v in runs[index].get("line_ns") or [] if v is not None]


def compute_ratios(suites, results, runs=()):
    """Every registered ratio, with its values, or with `missing` naming what was not measured; `mixed_state`
    ([lowest, highest] cache-line ns) when the probe readings around its two runs differ by more than
    STATE_CHANGE."""
    table = _lookup(results)
    ratios = []
    for suite in suites:
        for ratio in suite.ratios:
            subject = table.get((ratio.subject, ratio.metric))
            base = table.get((ratio.base, ratio.metric))
            row = {"suite": suite.name, "label": ratio.label, "subject": ratio.subject, "base": ratio.base,
                   "metric": ratio.metric}
            missing = [n for n, r in ((ratio.subject, subject), (ratio.base, base)) if r is None]
            if missing:
                row["missing"] = missing
            elif base["value"] == 0:
                row["missing"] = [f"{ratio.base} is 0"]
            else:
                row.update(subject_value=subject["value"], base_value=base["value"], unit=subject["unit"],
                           ratio=subject["value"] / base["value"],
                           contaminated=bool(subject.get("contaminated") or base.get("contaminated")))
                paired = list(zip(subject.get("rounds") or [], base.get("rounds") or []))
                if len(paired) > 1 and len(paired) == len(subject["rounds"]) == len(base["rounds"]) \
                        and all(b != 0 for _, b in paired):
                    # Path and base measured side by side in each round: the median of those ratios, so a round in
                    # which the machine changed under one of them does not decide the row.
                    row["round_ratios"] = [a / b for a, b in paired]
                    row["ratio"] = median(row["round_ratios"])
                states = [v for index in (subject.get("round_runs") or [subject.get("run")])
                          + (base.get("round_runs") or [base.get("run")]) for v in _line_ns(runs, index)]
                if states and max(states) > STATE_CHANGE * min(states):
                    row["mixed_state"] = [min(states), max(states)]
            ratios.append(row)
    return ratios


def fmt_value(metric, value):
    if metric == "msgs_per_s":
        if value >= 1e6:
            return f"{value / 1e6:,.2f} M"
        if value >= 1e3:
            return f"{value / 1e3:,.1f} k"
        return f"{value:,.0f}"
    if metric == "bytes_per_op":
        return "0" if abs(value) < 0.05 else f"{value:,.1f}"
    if abs(value) < 100:
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def fmt_ratio(value):
    if value >= 100:
        return f"{value:,.0f}×"
    if value >= 0.01:
        return f"{value:.3g}×"
    return f"{value:.2g}×"


def _unit(metric, unit):
    return {"msgs_per_s": "msg/s", "ns_per_op": "ns/op", "bytes_per_op": "B/op"}.get(
        metric, "ns" if metric.endswith("_ns") else unit)


def markdown(data):
    m = data["machine"]
    runs = data["runs"]
    kept = [r for r in runs if r.get("kept", True) and r.get("measured", True)]
    dirty = [r for r in kept if r.get("contaminated")]
    out = [f"# mycelium bench: {data['profile']} profile", ""]
    out.append(f"Run {data['started']} to {data['finished']} UTC at revision `{m['git_revision']}`; "
               f"{m['cores']} cores ({m['cpu_model']}), {m['kernel']}; Java: {m['java']}; Python: {m['python']}.")
    load = m.get("load_at_start") or []
    lines = [v for r in kept for v in r.get("line_ns") or [] if v is not None]
    out.append(f"Load average (1/5/15 min) at start {'/'.join(f'{v:.2f}' for v in load)}. "
               + (f"One cache line between two CPUs cost {min(lines):,.0f} to {max(lines):,.0f} ns over the run "
                  "(probed before and after each run; see Runs). " if lines else "")
               + f"{len(kept)} measured process runs, {len(dirty)} contaminated"
               + (f" ({DAGGER.strip()}: other processes used more than 10 % of a core during the run; see Runs)"
                  if dirty else "") + ".")
    if data["profile"] == "smoke":
        out.append("")
        out.append("**Smoke profile: these figures check that the suites run; they are not measurements.**")
    if data.get("problems"):
        out.append("")
        out.append("**Problems:**")
        out.extend(f"- {p}" for p in data["problems"])
    out.append("")
    out.append("## Ratios")
    out.append("")
    out.append("Each row is a path against its floor or peer, measured in the same run. For latency and ns/op a "
               "ratio above 1× is slower than the base; for msg/s a ratio below 1× is slower."
               + (" A suite run in rounds shows medians: its values are the medians of the rounds, its ratio the "
                  "median of the rounds' own ratios (listed after it)." if any(r.get("round_ratios")
                                                                                  for r in data["ratios"]) else ""))
    out.append("")
    out.append("| suite | comparison | metric | path | value | base | base value | ratio |")
    out.append("|---|---|---|---|---:|---|---:|---:|")
    for r in data["ratios"]:
        subject = r["subject"].split(":", 1)[1] if r["subject"].startswith(r["suite"] + ":") else r["subject"]
        base = r["base"].split(":", 1)[1] if r["base"].startswith(r["suite"] + ":") else r["base"]
        if "missing" in r:
            out.append(f"| {r['suite']} | {r['label']} | {r['metric']} | {subject} | | {base} | | "
                       f"missing: {', '.join(r['missing'])} |")
        else:
            mark = (DAGGER if r.get("contaminated") else "") + (DOUBLE_DAGGER if r.get("mixed_state") else "")
            unit = _unit(r["metric"], r.get("unit", ""))
            each = (" (rounds: " + ", ".join(f"{v:.3g}" for v in r["round_ratios"]) + ")"
                    if r.get("round_ratios") else "")
            out.append(f"| {r['suite']} | {r['label']} | {r['metric']} | {subject} | "
                       f"{fmt_value(r['metric'], r['subject_value'])} {unit} | {base} | "
                       f"{fmt_value(r['metric'], r['base_value'])} {unit} | {fmt_ratio(r['ratio'])}{mark}{each} |")
    if not data["ratios"]:
        out.append("| | (no ratios registered for the suites that ran) | | | | | | |")
    mixed = [r for r in data["ratios"] if r.get("mixed_state")]
    if mixed:
        out.append("")
        out.append(f"{DOUBLE_DAGGER.strip()} Path and base were measured in different machine states: one cache line "
                   "between two CPUs cost from "
                   + "; ".join(f"{r['mixed_state'][0]:,.0f} to {r['mixed_state'][1]:,.0f} ns ({r['label']})"
                               for r in mixed)
                   + " across their runs. On a virtual machine that follows where the host runs the vCPUs; such a "
                   "ratio compares two machines (docs/benchmarks.md).")
    out.append("")
    out.append("## Figures")
    plots = data.get("plots", [])
    for suite in data["suites"]:
        out.append("")
        out.append(f"### {suite['name']}: {suite['title']}")
        out.append("")
        if suite["status"] != "ran":
            out.append(f"{suite['status'].capitalize()}: {suite.get('reason', '')}")
            if suite["status"] == "skipped":
                continue
            out.append("")
        rows = {}
        others = {}
        for r in data["results"]:
            if r["suite"] != suite["name"]:
                continue
            key = (r["name"], r["role"])
            rows.setdefault(key, {})[r["metric"]] = r
            if r["metric"] not in dict(COLUMNS):
                others.setdefault(key, []).append(r)
        if not rows:
            out.append("(no results)")
            continue
        used = [c for c in COLUMNS if any(c[0] in v for v in rows.values())]
        head = "| path | role | " + " | ".join(f"{label} ns" if metric.endswith("_ns") else label
                                              for metric, label in used)
        out.append(head + (" | other |" if others else " |"))
        out.append("|---|---|" + "---:|" * len(used) + ("---|" if others else ""))
        for (name, role), metrics in rows.items():
            cells = []
            for metric, _ in used:
                r = metrics.get(metric)
                cells.append("" if r is None else
                             fmt_value(metric, r["value"]) + (DAGGER if r.get("contaminated") else ""))
            line = f"| {name} | {role} | " + " | ".join(cells) + " |"
            if others:
                line += " " + ", ".join(f"{o['metric']}={fmt_value(o['metric'], o['value'])} {o['unit']}"
                                        for o in others.get((name, role), [])) + " |"
            out.append(line)
        counts = sorted({len(r["rounds"]) for r in data["results"] if r["suite"] == suite["name"] and r.get("rounds")})
        if counts:
            out.append("")
            out.append(f"Medians of {' or '.join(str(c) for c in counts)} rounds (each round ran the suite's steps "
                       "once, in order); results.json keeps every round's value (`rounds`).")
        mine = [p for p in plots if p.rsplit("/", 1)[-1].split("-", 1)[-1] == suite["name"] + ".png"]
        if mine:
            out.append("")
            out.append(" ".join(f"![{os.path.basename(p)[:-4]}]({p})" for p in mine))
    out.append("")
    out.append("## Runs")
    out.append("")
    out.append("| # | suite | command | wall s | waited for idle s | load before → after | other CPU (cores) "
               "| cache line ns before → after | status |")
    out.append("|---:|---|---|---:|---:|---|---:|---|---|")
    for i, r in enumerate(runs):
        status = []
        if not r.get("measured", True):
            status.append("setup")
        if r.get("round") is not None:
            status.append(f"round {r['round'] + 1}")
        if r.get("exit") not in (0, None) or r.get("error"):
            status.append(f"**failed** (exit {r.get('exit')}{': ' + r['error'] if r.get('error') else ''})")
        if r.get("contaminated"):
            status.append("contaminated" + DAGGER)
        if r.get("measured", True) and r.get("idle_before") is False:
            status.append("machine not idle before")
        if not r.get("kept", True):
            status.append("discarded (a cleaner retry kept)")
        before = "/".join(f"{v:.2f}" for v in (r.get("load_before") or [])[:1])
        after = "/".join(f"{v:.2f}" for v in (r.get("load_after") or [])[:1])
        command = r.get("template", r["command"])
        for prefix in ("{java} {jvm} -cp {jar} ", "{java} -cp {jar} "):
            command = command.replace(prefix, "")
        command = command.replace("io.mycelium.benchmarks.", "")
        line = " → ".join("?" if v is None else f"{v:,.0f}" for v in r.get("line_ns") or [])
        out.append(f"| {i} | {r['suite']} | `{command}` | {r.get('wall_s', 0):.1f} | "
                   f"{r.get('waited_for_idle_s', 0):.1f} | {before} → {after} | {r.get('other_cpu_cores', 0):.2f} | "
                   f"{line} | {', '.join(status) or 'ok'} |")
    return "\n".join(out) + "\n"


def assemble(records, all_suites, chosen, machine_info, runs, suite_rows, problems, profile, started, finished,
             command):
    """The results.json document of a run: records are (kind, obj) pairs from contract.parse_line, each obj with
    its `run` index (and `contaminated`); problems is extended with duplicate names."""
    results, curves = merge_rounds([obj for kind, obj in records if kind == "RESULT"],
                                   [obj for kind, obj in records if kind == "CURVE"])
    seen = {}
    for r in results:
        key = (r["suite"], r["name"], r["metric"])
        if key in seen:
            problems.append(f"{r['suite']}: two results named {r['name']} {r['metric']} (runs {seen[key]} and "
                            f"{r.get('run')}): a name must be unique per measured path; the later one is used")
        seen[key] = r.get("run")
    resolve_roles(results + curves, all_suites)
    return {"profile": profile, "started": started, "finished": finished, "command": command,
            "machine": machine_info, "suites": suite_rows, "runs": runs, "results": results, "curves": curves,
            "ratios": compute_ratios(chosen, results, runs), "problems": problems, "plots": []}


def write(data, out_dir):
    """Writes results.json and results.md into out_dir."""
    with open(os.path.join(out_dir, "results.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
    with open(os.path.join(out_dir, "results.md"), "w", encoding="utf-8") as f:
        f.write(markdown(data))


def main(argv):
    if len(argv) != 1:
        print("usage: python3 -m mycelium_bench.report RESULTS_JSON  (rewrites results.md beside it)",
              file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as f:
        data = json.load(f)
    with open(os.path.join(os.path.dirname(os.path.abspath(argv[0])), "results.md"), "w", encoding="utf-8") as f:
        f.write(markdown(data))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
