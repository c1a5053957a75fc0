"""The C latency floor `src/main/c/socket_pingpong.c` built and run as the transport suite runs it: its `epoll` mode
(C waiting as the link's reader must, on a non-blocking socket) prints results under its own name, and arguments it
cannot honour are refused with the usage. Short runs: the figures are not checked, only the lines."""
import os
import shutil
import subprocess

import pytest

from conftest import CHECKOUT
from mycelium_bench import contract

SOURCE = os.path.join(CHECKOUT, "benchmarks", "src", "main", "c", "socket_pingpong.c")

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")


@pytest.fixture(scope="module")
def floor(tmp_path_factory):
    binary = tmp_path_factory.mktemp("floor") / "socket_pingpong"
    subprocess.run(["gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", str(binary), SOURCE], check=True, timeout=60)
    return str(binary)


def results(floor, *args):
    done = subprocess.run([floor, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return [line for line in map(contract.parse_line, done.stdout.splitlines()) if line is not None]


@pytest.mark.parametrize("kind", ["uds", "tcp"])
def test_should_name_the_floor_that_waits_in_epoll_apart_from_the_blocking_one(floor, kind):
    waiting = results(floor, kind, "lat", "500", "0", "epoll")
    blocking = results(floor, kind, "lat", "500", "0")

    assert {obj["name"] for _, obj in waiting} == {f"c-{kind}-lat-64-spin0-epoll"}
    assert {obj["name"] for _, obj in blocking} == {f"c-{kind}-lat-64-spin0"}
    assert {obj["metric"] for kind_, obj in waiting if kind_ == "RESULT"} == {"p50_ns", "p99_ns", "p999_ns"}
    assert any(kind_ == "CURVE" for kind_, _ in waiting)
    assert {obj["params"]["wait"] for _, obj in waiting} == {"epoll"}
    assert {obj["params"]["wait"] for _, obj in blocking} == {"read"}


def test_should_wait_in_epoll_after_a_spin_as_well(floor):
    assert {obj["name"] for _, obj in results(floor, "uds", "lat", "200", "20", "epoll")} == {
        "c-uds-lat-64-spin20-epoll"}


@pytest.mark.parametrize("args", [
    ["uds", "batch", "1000", "0", "epoll"],  # a bandwidth run never waits for an answer
    ["uds", "lat", "1000", "0", "poll"],
    ["uds", "lat", "1000", "0", "epoll", "more"],
    ["uds"],
])
def test_should_refuse_arguments_it_cannot_honour_with_the_usage(floor, args):
    done = subprocess.run([floor, *args], capture_output=True, text=True, timeout=60)

    assert done.returncode == 2
    assert "usage:" in done.stderr and "epoll with lat only" in done.stderr
