"""topology.toml parsing, validation messages and the client routing rule (no sockets)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mycelium import ConfigurationError, Route, load_topology
from mycelium.topology import Topology, is_this_host, parse_ip_port


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "topology.toml"
    path.write_text(text, encoding="utf-8")
    return path


def routes(topology: Topology, source: str) -> dict[str, Route]:
    node = topology.node(source)
    return {target.name: topology.route(node, target) for target in topology.nodes}


def test_defaults_and_unix_routing_on_one_host(tmp_path: Path) -> None:
    topology = load_topology(write(tmp_path, """
[[nodes]]
name = "a"
services = ["one"]
[[nodes]]
name = "b"
services = ["two"]
endpoint = { kind = "unix", path = "/run/b.sock" }
"""))
    assert topology.socket_dir == "/tmp/mycelium"
    assert routes(topology, "a") == {"a": Route("a", "unix", path="/tmp/mycelium/a.sock"),
                                     "b": Route("b", "unix", path="/run/b.sock")}
    assert topology.node_of("two").name == "b"


def test_other_hosts_are_reached_over_tcp(tmp_path: Path) -> None:
    topology = load_topology(write(tmp_path, """
socket_dir = "/var/run/myc"
[[nodes]]
name = "adapters"
services = ["polygon-adapter"]
host = "10.0.1.10"
port = 9000
[[nodes]]
name = "strategy"
services = ["s"]
host = "10.0.2.20"
port = 9001
[[nodes]]
name = "peer"
services = ["p"]
host = "10.0.1.10"
port = 9002
"""))
    assert routes(topology, "adapters") == {
        "adapters": Route("adapters", "unix", path="/var/run/myc/adapters.sock"),
        "strategy": Route("strategy", "tcp", host="10.0.2.20", port=9001),
        "peer": Route("peer", "unix", path="/var/run/myc/peer.sock"),
    }


def test_same_host_spellings_are_equal() -> None:
    assert all(is_this_host(h) for h in (None, "localhost", "LOCALHOST", "127.0.0.1", "::1"))
    assert not any(is_this_host(h) for h in ("10.0.0.1", "example.org", "0.0.0.0", "127.0.0.2"))


def test_same_host_node_with_declared_tcp_endpoint_is_dialled_on_loopback(tmp_path: Path) -> None:
    topology = load_topology(write(tmp_path, """
[[nodes]]
name = "ml-node"
services = ["python-ml-model"]
endpoint.kind = "tcp"
endpoint.addr = "0.0.0.0:9091"
[[nodes]]
name = "v6"
services = ["x"]
endpoint = { kind = "tcp", addr = "[::]:9095" }
[[nodes]]
name = "ported"
services = ["y"]
host = "localhost"
port = 9096
"""))
    assert routes(topology, "ml-node") == {
        "ml-node": Route("ml-node", "tcp", host="127.0.0.1", port=9091),
        "v6": Route("v6", "tcp", host="::1", port=9095),
        "ported": Route("ported", "unix", path="/tmp/mycelium/ported.sock"),
    }


def test_shm_endpoint_on_this_host_is_reached_over_shared_memory(tmp_path: Path) -> None:
    topology = load_topology(write(tmp_path, """
[[nodes]]
name = "a"
services = ["one"]
[[nodes]]
name = "fast"
services = ["two"]
endpoint = { kind = "shm" }
[[nodes]]
name = "placed"
services = ["three"]
endpoint = { kind = "shm", path = "/dev/shm/custom/placed.shm" }
[[nodes]]
name = "far"
services = ["four"]
host = "10.0.0.9"
port = 9000
endpoint = { kind = "shm" }
"""))
    assert routes(topology, "a") == {
        "a": Route("a", "unix", path="/tmp/mycelium/a.sock"),
        "fast": Route("fast", "shm", path="/dev/shm/mycelium/fast.shm"),
        "placed": Route("placed", "shm", path="/dev/shm/custom/placed.shm"),
        "far": Route("far", "tcp", host="10.0.0.9", port=9000),  # shared memory never crosses hosts
    }
    assert Route("fast", "shm", path="/dev/shm/mycelium/fast.shm").describe() == "shm /dev/shm/mycelium/fast.shm"


def test_aeron_endpoint_keys_are_accepted_and_routing_to_an_aeron_node_is_refused_with_a_fix(tmp_path: Path) -> None:
    topology = load_topology(write(tmp_path, """
[[nodes]]
name = "feed"
services = ["one"]
host = "127.0.0.1"
port = 40123
endpoint = { kind = "aeron" }
[[nodes]]
name = "sink"
services = ["two"]
host = "127.0.0.2"
port = 40124
endpoint = { kind = "aeron", channel = "aeron:udp?endpoint=127.0.0.2:40124|term-length=65536", fanout = "mdc" }
[[nodes]]
name = "plain"
services = ["three"]
"""))
    assert topology.node("sink").endpoint.channel == "aeron:udp?endpoint=127.0.0.2:40124|term-length=65536"
    assert topology.node("feed").endpoint.channel is None
    with pytest.raises(ConfigurationError, match=r"node 'sink' declares endpoint.kind = \"aeron\".*over Aeron, "
                                                 r"which this Python client cannot speak. Fix"):
        topology.route(topology.node("plain"), topology.node("sink"))
    with pytest.raises(ConfigurationError, match=r"node 'feed' declares endpoint.kind = \"aeron\""):
        topology.route(topology.node("feed"), topology.node("plain"))


def test_bad_aeron_endpoints_are_reported_with_a_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as error:
        load_topology(write(tmp_path, """
[[nodes]]
name = "a"
services = []
endpoint = { kind = "aeron" }
[[nodes]]
name = "b"
services = []
endpoint = { kind = "aeron", channel = "aeron:ipc" }
[[nodes]]
name = "c"
services = []
endpoint = { kind = "aeron", channel = "aeron:udp?endpoint=127.0.0.1:70000", addr = "127.0.0.1:1" }
[[nodes]]
name = "d"
services = []
port = 1
endpoint = { kind = "aeron", fanout = "multicast" }
"""))
    text = str(error.value)
    assert "node 'd' has endpoint.fanout 'multicast'. Fix: write \"mdc\"" in text
    assert "node 'a' has an aeron endpoint without channel or port" in text
    assert "node 'b' has bad endpoint.channel 'aeron:ipc'" in text
    assert "node 'c' has bad endpoint.channel 'aeron:udp?endpoint=127.0.0.1:70000'" in text
    assert "node 'c' has endpoint.addr, which a aeron endpoint does not take" in text


def test_remote_node_without_tcp_address_is_refused(tmp_path: Path) -> None:
    topology = load_topology(write(tmp_path, """
[[nodes]]
name = "far"
services = ["one"]
host = "10.0.0.9"
port = 9000
[[nodes]]
name = "local-only"
services = ["two"]
endpoint = { kind = "unix" }
"""))
    with pytest.raises(ConfigurationError, match="node 'local-only' is on another host than node 'far' but has no TCP"):
        topology.route(topology.node("far"), topology.node("local-only"))


def test_every_validation_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, """
servics = 1
[[nodes]]
name = "a"
services = ["shared", "shared"]
[[nodes]]
name = "a"
services = ["other"]
[[nodes]]
name = "gw"
services = ["shared"]
host = "10.0.0.5"
[[nodes]]
name = "b"
services = []
endpoint = { kind = "udp" }
[[nodes]]
name = "c"
services = []
endpoint = { kind = "tcp", addr = "localhost:9000" }
[[nodes]]
name = "d"
services = []
port = 70000
endpoint = { kind = "unix", path = "relative.sock", addr = "1.2.3.4:5" }
""")
    with pytest.raises(ConfigurationError) as caught:
        load_topology(path)
    lines = str(caught.value).splitlines()
    expected = [
        "unknown key 'servics'",
        "service 'shared' is placed twice on node 'a'",
        "node 'a' is defined twice",
        "service 'shared' is placed on node 'gw' and on node 'a'",
        "node 'gw' has remote host '10.0.0.5' but no port. Fix: add port = <1-65535>",
        "node 'b' has unknown endpoint.kind 'udp'. Fix: use one of \"unix\", \"tcp\", \"shm\"",
        "node 'c' has bad endpoint.addr 'localhost:9000'",
        "node 'd' has port 70000",
        "node 'd' has endpoint.addr, which a unix endpoint does not take",
        "node 'd' has endpoint.path 'relative.sock'. Fix: use an absolute path",
    ]
    assert len(lines) == len(expected)
    for fragment in expected:
        assert any(line.startswith(f"{path}: ") and fragment in line for line in lines), fragment


def test_legacy_format_and_syntax_errors_and_missing_files_are_explained(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"legacy \[deployment\]/\[\[bundles\]\] format is not supported"):
        load_topology(write(tmp_path, '[deployment]\nmode = "monolith"\n'))
    with pytest.raises(ConfigurationError, match="invalid TOML"):
        load_topology(write(tmp_path, "[[nodes]\n"))
    with pytest.raises(ConfigurationError, match="cannot read topology file .*nope.toml"):
        load_topology(tmp_path / "nope.toml")


def test_unknown_service_and_node_list_what_is_known(tmp_path: Path) -> None:
    topology = load_topology(write(tmp_path, '[[nodes]]\nname = "a"\nservices = ["x", "w"]\n'))
    with pytest.raises(ConfigurationError, match=r"service 'q' is not placed on any node \(known services: w, x\)"):
        topology.node_of("q")
    with pytest.raises(ConfigurationError, match=r"node 'z' not found \(known: a\)"):
        topology.node("z")


def test_ip_port_literals() -> None:
    assert parse_ip_port("127.0.0.1:9091") == ("127.0.0.1", 9091)
    assert parse_ip_port("[::1]:9000") == ("::1", 9000)
    for bad in ("localhost:1", "1.2.3.4", "::1:9000", "1.2.3.4:99999"):
        with pytest.raises(ValueError):
            parse_ip_port(bad)


RECORD_FEED = """
[[nodes]]
name = "feed"
services = ["a"]
host = "127.0.0.1"
port = 40123
endpoint = { kind = "aeron" }
"""


def test_record_is_accepted_as_list_or_table_like_the_java_parser(tmp_path: Path) -> None:
    from mycelium.topology import Recording
    listed = load_topology(write(tmp_path, RECORD_FEED + 'record = ["MarketData", "Trade"]\n'))
    assert listed.node("feed").record == Recording(("MarketData", "Trade"), "")
    table = load_topology(write(tmp_path, RECORD_FEED + 'record.types = ["MarketData"]\n'
                                'record.retention = "24h, 2GiB"\n'))
    assert table.node("feed").record == Recording(("MarketData",), "24h, 2GiB")


@pytest.mark.parametrize("record, message", [
    ("record = []", "record must list the recorded types"),
    ('record = ["A", "A"]', "records type 'A' twice"),
    ('record = { types = ["A"], retention = "forever" }', "has record.retention 'forever'"),
    ('record = { types = ["A"], keep = 3 }', "record has unknown key 'keep'"),
])
def test_bad_records_are_refused_naming_the_node(tmp_path: Path, record: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match="node 'feed' " + message.replace("(", r"\(")):
        load_topology(write(tmp_path, RECORD_FEED + record + "\n"))


def test_record_without_an_aeron_endpoint_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="node 'feed' records types but does not declare an Aeron endpoint"):
        load_topology(write(tmp_path, '[[nodes]]\nname = "feed"\nservices = []\nrecord = ["A"]\n'))
