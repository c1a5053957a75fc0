"""The seed's FFI_DEPLOYMENT_GUIDE.md "Migration Path" socket snippet, run as written against a FakeNode.

Only the server side is ours: the snippet's undefined names come from the generated package it assumes
(``SCHEMA_DIGEST`` and a message class ``Message``), and the node listens at the snippet's own path.
The guide's topology examples are parsed and routed too.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Iterator

import pytest
from sdk_fixtures import DIGEST, WAIT, CounterUpdate, FakeNode

from mycelium import ConfigurationError, MessageBus, Route, Subscriber, load_topology

MIGRATION_BEFORE = '''\
# Before: Out-of-process socket
from mycelium import UnixTransport, Publisher, Subscriber

transport = UnixTransport("/tmp/mycelium/worker.sock", SCHEMA_DIGEST)
transport.connect()
pub = transport.publisher(Message)
sub = transport.subscriber(Message)
'''
SNIPPET_PATH = "/tmp/mycelium/worker.sock"
_SEED = [Path(__file__).resolve().parents[3] / ".." / "shared" / "seed" / "FFI_DEPLOYMENT_GUIDE.md",
         Path("/work/shared/seed/FFI_DEPLOYMENT_GUIDE.md")]


def _seed_text() -> str | None:
    for path in _SEED:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def test_snippet_is_verbatim_from_the_guide() -> None:
    text = _seed_text()
    if text is None:
        pytest.skip("the seed FFI_DEPLOYMENT_GUIDE.md is not beside this checkout")
    else:
        assert MIGRATION_BEFORE in text


@pytest.fixture
def worker_node() -> Iterator[FakeNode]:
    if os.path.exists(SNIPPET_PATH):
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(SNIPPET_PATH)
            pytest.skip(f"another process listens at {SNIPPET_PATH}")
        except OSError:
            os.unlink(SNIPPET_PATH)  # a stale socket file nobody listens on
        finally:
            probe.close()
    with FakeNode(SNIPPET_PATH, name="worker") as node:
        yield node


def test_migration_path_socket_snippet_runs_as_written(worker_node: FakeNode) -> None:
    namespace: dict[str, object] = {"SCHEMA_DIGEST": DIGEST, "Message": CounterUpdate}
    exec(compile(MIGRATION_BEFORE, "FFI_DEPLOYMENT_GUIDE.md", "exec"), namespace)
    transport = namespace["transport"]
    pub = namespace["pub"]
    sub = namespace["sub"]
    try:
        assert isinstance(sub, Subscriber)
        session = worker_node.next_session()
        session.wait_interest(CounterUpdate.TYPE_ID)
        pub.publish(CounterUpdate(1, 2, 3))  # type: ignore[attr-defined]
        assert session.next_frame().payload == CounterUpdate(1, 2, 3).to_bytes()
        assert sub.recv(timeout=WAIT) == CounterUpdate(1, 2, 3)  # echoed back by the node
    finally:
        transport.close()  # type: ignore[attr-defined]


MODE_2 = '''
[[nodes]]
name = "ml-node"
services = ["python-ml-model"]  # FFI service
endpoint.kind = "tcp"
endpoint.addr = "0.0.0.0:9091"

[[nodes]]
name = "strategy-node"
services = ["rust-strategy"]
host = "10.0.2.20"
port = 9092
'''

MIXED = '''
socket_dir = "/tmp/mycelium"

# FFI service with Unix endpoint for other local processes
[[nodes]]
name = "ml-node"
services = ["python-ml-model"]
endpoint.kind = "unix"

# Remote Rust service
[[nodes]]
name = "strategy-node"
services = ["rust-strategy"]
host = "10.0.2.20"
port = 9092

# Another FFI service
[[nodes]]
name = "alerts-node"
services = ["python-alerter"]
endpoint.kind = "tcp"
endpoint.addr = "0.0.0.0:9093"
'''

ENDPOINT_TYPES = '''
[[nodes]]
name = "python-worker"
services = ["ml-model"]

# Option 1: FFI (in-process, no endpoint needed)
# - Just include in services list
# - No endpoint configuration required

# Option 2: Expose via Unix socket (for other processes)
endpoint.kind = "unix"  # Creates /tmp/mycelium/python-worker.sock

# Option 3: Expose via TCP (for remote access)
endpoint.kind = "tcp"
endpoint.addr = "0.0.0.0:9091"
'''


def _bus(tmp_path: Path, text: str, service: str) -> MessageBus:
    path = tmp_path / "topology.toml"
    path.write_text(text, encoding="utf-8")
    return MessageBus.from_topology(path, service_name=service, schema_digest=DIGEST)


def test_guide_topologies_route_without_connecting(tmp_path: Path) -> None:
    seed = _seed_text()
    if seed is not None:
        assert MODE_2.strip() in seed and MIXED.strip() in seed
    bus = _bus(tmp_path, MODE_2, "python-ml-model")
    assert bus.route_to("rust-strategy") == Route("strategy-node", "tcp", host="10.0.2.20", port=9092)
    assert bus.route_to("python-ml-model") == Route("ml-node", "tcp", host="127.0.0.1", port=9091)
    bus = _bus(tmp_path, MIXED, "python-alerter")
    assert bus.route_to("python-ml-model") == Route("ml-node", "unix", path="/tmp/mycelium/ml-node.sock")
    assert bus.route_to("rust-strategy") == Route("strategy-node", "tcp", host="10.0.2.20", port=9092)
    assert bus.route_to("python-alerter") == Route("alerts-node", "tcp", host="127.0.0.1", port=9093)


def test_guide_endpoint_types_block_is_invalid_toml(tmp_path: Path) -> None:
    path = tmp_path / "topology.toml"
    path.write_text(ENDPOINT_TYPES, encoding="utf-8")
    with pytest.raises(ConfigurationError, match="invalid TOML"):
        load_topology(path)
