"""Parses a Prometheus text exposition with the official Python client's parser and prints what it understood.

usage: parse_metrics.py FILE
Prints one line per family ("family NAME TYPE") and one per sample ("sample NAME LABELS VALUE", LABELS as
k=v pairs joined by ',' in name order); exits non-zero with the parser's error when the text does not parse.
"""
import sys

from prometheus_client.parser import text_string_to_metric_families

with open(sys.argv[1], encoding="utf-8") as f:
    text = f.read()
for family in text_string_to_metric_families(text):
    print(f"family {family.name} {family.type}")
    for sample in family.samples:
        labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
        print(f"sample {sample.name} {{{labels}}} {sample.value!r}")
