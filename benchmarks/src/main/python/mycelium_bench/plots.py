"""PNG plots of a results.json with matplotlib (run by the venv's Python, not the driver's).

Per suite: `latency-<suite>.png`, the latency percentile curves of each path (HdrHistogram style: the x axis
stretches the tail, 90 %, 99 %, 99.9 % ...), ours solid, floors dashed, peers dotted; `throughput-<suite>.png`, msg/s bars
of each path beside its floors and peers; `nsop-<suite>.png`, ns/op bars (JMH suites).

Usage: python -m mycelium_bench.plots RESULTS_JSON PLOTS_DIR  (prints the path of each PNG it wrote)
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)

COLOURS = {"subject": "#1f77b4", "floor": "#7f7f7f", "peer": "#d62728"}
STYLES = {"subject": "-", "floor": "--", "peer": ":"}
TAIL_CAP = 99.999


def _x(percentile):
    return 1.0 / (1.0 - min(percentile, TAIL_CAP) / 100.0)


def latency(suite, curves, path, title):
    fig, ax = plt.subplots(figsize=(11, 5.5), dpi=90)
    for c in curves:
        xs = [_x(p) for p, _ in c["points"]]
        ys = [max(v, 1) for _, v in c["points"]]
        ax.plot(xs, ys, STYLES.get(c["role"], "-"),
                label=f"{c['name']} ({c['role']})" if c["role"] != "subject" else c["name"], linewidth=1.4)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ticks = [0, 50, 90, 99, 99.9, 99.99, 99.999]
    ax.set_xticks([_x(t) for t in ticks])
    ax.set_xticklabels([f"{t:g}%" for t in ticks])
    ax.minorticks_off()
    ax.set_xlabel("percentile")
    ax.set_ylabel("one-way latency (ns, log)")
    ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def bars(results, metric, path, title, xlabel):
    results = sorted(results, key=lambda r: (r["name"]))
    fig, ax = plt.subplots(figsize=(10, 1.0 + 0.32 * len(results)), dpi=90)
    names = [r["name"] + (" †" if r.get("contaminated") else "") for r in results]
    values = [r["value"] for r in results]
    ax.barh(range(len(results)), values, color=[COLOURS.get(r["role"], COLOURS["subject"]) for r in results])
    for i, v in enumerate(values):
        ax.annotate(_short(v), (v, i), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7)
    ax.set_yticks(range(len(results)))
    ax.set_yticklabels(names, fontsize=7)
    ax.invert_yaxis()
    if values and max(values) / max(min(v for v in values if v > 0) if any(v > 0 for v in values) else 1, 1e-9) > 50:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    handles = [plt.Rectangle((0, 0), 1, 1, color=COLOURS[k]) for k in COLOURS]
    ax.legend(handles, list(COLOURS), fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.margins(x=0.12)
    ax.grid(True, axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def _short(value):
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= scale:
            return f"{value / scale:.3g} {suffix}"
    return f"{value:.3g}"


def plot_all(data, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    written = []
    profile = data.get("profile", "")
    for suite in data["suites"]:
        name = suite["name"]
        curves = [c for c in data["curves"] if c["suite"] == name]
        if curves:
            path = os.path.join(out_dir, f"latency-{name}.png")
            latency(name, curves, path, f"{name}: latency percentiles ({profile})")
            written.append(path)
        for metric, prefix, label in (("msgs_per_s", "throughput", "messages per second"),
                                      ("ns_per_op", "nsop", "ns per operation")):
            rows = [r for r in data["results"] if r["suite"] == name and r["metric"] == metric]
            if rows:
                path = os.path.join(out_dir, f"{prefix}-{name}.png")
                bars(rows, metric, path, f"{name}: {label} ({profile}; grey floor, red peer)", label)
                written.append(path)
    return written


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as f:
        data = json.load(f)
    for path in plot_all(data, argv[1]):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
