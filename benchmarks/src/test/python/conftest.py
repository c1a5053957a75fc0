"""Tests of the `mycelium bench` driver and report (benchmarks/src/main/python/mycelium_bench)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKOUT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
sys.path.insert(0, os.path.join(CHECKOUT, "benchmarks", "src", "main", "python"))


def pytest_configure(config):
    config.addinivalue_line("markers", "smoke: runs `mycelium bench --smoke` (needs benchmarks/target/benchmarks.jar; "
                                      "Maven runs it in the integration-test phase)")
