"""MessageBus.from_topology against FakeNodes: unix and tcp routes, shared connections, errors, context manager."""

from __future__ import annotations

from pathlib import Path

import pytest
from sdk_fixtures import DIGEST, OTHER_DIGEST, WAIT, CounterUpdate, FakeNode, TextMessage

from mycelium import (ConfigurationError, ConnectFailed, HandshakeRejected, MessageBus, NotConnected, Route,
                      ShmTransport)
from mycelium.wire import Goodbye, GoodbyeReason


def test_unix_routes_to_the_target_node_and_subscribes_on_the_own_node(tmp_path: Path) -> None:
    (tmp_path / "topology.toml").write_text(f"""
socket_dir = "{tmp_path}"
[[nodes]]
name = "py-node"
services = ["worker"]
endpoint.kind = "unix"
[[nodes]]
name = "java-node"
services = ["strategy", "executor"]
""", encoding="utf-8")
    with FakeNode(str(tmp_path / "py-node.sock"), name="py-node") as own, \
            FakeNode(str(tmp_path / "java-node.sock"), name="java-node") as target:
        with MessageBus.from_topology(tmp_path / "topology.toml", service_name="worker",
                                      schema_digest=DIGEST) as bus:
            assert bus.route_to("strategy") == Route("java-node", "unix", path=str(tmp_path / "java-node.sock"))
            bus.publisher_to("strategy", CounterUpdate).publish(CounterUpdate(1, 2, 3))
            bus.publisher_to("executor", TextMessage).publish(TextMessage("w", "x", 1))
            session = target.next_session()
            assert session.hello is not None and session.hello.name == "worker"
            assert session.next_frame().type_id == 1002
            assert session.next_frame().type_id == 1001
            assert len(target.sessions) == 1  # one connection per node, shared by publishers

            subscriber = bus.subscriber(CounterUpdate)
            own_session = own.next_session()
            own_session.wait_interest(1002)
            own_session.send_frame(1002, CounterUpdate(7).to_bytes())
            assert subscriber.recv(WAIT) == CounterUpdate(7)
            bus.publisher_to("worker", CounterUpdate)
            assert len(own.sessions) == 1  # the own node's connection is shared too
        assert own_session.closed.wait(WAIT) and session.closed.wait(WAIT)
        with pytest.raises(NotConnected, match="message bus of service 'worker' is closed"):
            bus.publisher_to("strategy", CounterUpdate)


def test_tcp_route_to_a_node_on_another_host(tmp_path: Path) -> None:
    with FakeNode(None, name="remote") as target:
        (tmp_path / "topology.toml").write_text(f"""
[[nodes]]
name = "py-node"
services = ["worker"]
host = "10.1.1.1"
port = 9000
endpoint = {{ kind = "unix", path = "{tmp_path / 'own.sock'}" }}
[[nodes]]
name = "remote"
services = ["strategy"]
host = "127.0.0.1"
port = {target.port}
""", encoding="utf-8")
        with MessageBus.from_topology(str(tmp_path / "topology.toml"), service_name="worker",
                                      schema_digest=DIGEST.hex()) as bus:
            assert bus.route_to("strategy") == Route("remote", "tcp", host="127.0.0.1", port=target.port)
            publisher = bus.publisher_to("strategy", CounterUpdate)
            publisher.publish(CounterUpdate(5))
            assert CounterUpdate.from_bytes(target.next_session().next_frame().payload) == CounterUpdate(5)


def test_connection_errors_name_the_node_and_topology(tmp_path: Path) -> None:
    path = tmp_path / "topology.toml"
    path.write_text(f'socket_dir = "{tmp_path}"\n[[nodes]]\nname = "a"\nservices = ["me"]\n'
                    f'[[nodes]]\nname = "b"\nservices = ["you"]\n', encoding="utf-8")
    bus = MessageBus.from_topology(path, service_name="me", schema_digest=DIGEST)
    with pytest.raises(ConnectFailed, match="socket file does not exist") as caught:
        bus.publisher_to("you", CounterUpdate)
    assert any(f"to node 'b' (unix {tmp_path / 'b.sock'}) as given by {path}" in note
               for note in getattr(caught.value, "__notes__", []))
    with FakeNode(str(tmp_path / "b.sock"), digest=OTHER_DIGEST):
        with pytest.raises(HandshakeRejected, match="DIGEST_MISMATCH"):
            bus.publisher_to("you", CounterUpdate)
    with pytest.raises(ConfigurationError, match="service 'nobody' is not placed on any node"):
        bus.publisher_to("nobody", CounterUpdate)
    bus.close()


def test_unknown_own_service_is_a_configuration_error(tmp_path: Path) -> None:
    path = tmp_path / "topology.toml"
    path.write_text('[[nodes]]\nname = "a"\nservices = ["me"]\n', encoding="utf-8")
    with pytest.raises(ConfigurationError, match=r"service 'ghost' is not placed on any node \(known services: me\)"):
        MessageBus.from_topology(path, service_name="ghost", schema_digest=DIGEST)


def test_shm_route_attaches_shared_memory_to_a_same_host_node(tmp_path: Path) -> None:
    (tmp_path / "topology.toml").write_text(f"""
socket_dir = "{tmp_path}"
[[nodes]]
name = "py-node"
services = ["worker"]
endpoint = {{ kind = "shm", path = "{tmp_path / 'py-node.shm'}" }}
[[nodes]]
name = "java-node"
services = ["strategy"]
endpoint = {{ kind = "shm", path = "{tmp_path / 'java-node.shm'}" }}
""", encoding="utf-8")
    with FakeNode(str(tmp_path / "py-node.shm"), name="py-node", shm=True) as own, \
            FakeNode(str(tmp_path / "java-node.shm"), name="java-node", shm=True) as target:
        with MessageBus.from_topology(tmp_path / "topology.toml", service_name="worker",
                                      schema_digest=DIGEST) as bus:
            assert bus.route_to("strategy") == Route("java-node", "shm", path=str(tmp_path / "java-node.shm"))
            assert isinstance(bus.transport_to("strategy"), ShmTransport)
            bus.publisher_to("strategy", CounterUpdate).publish(CounterUpdate(1, 2, 3))
            session = target.next_session()
            assert session.shm is not None and session.hello is not None and session.hello.name == "worker"
            assert session.next_frame() == (1002, CounterUpdate(1, 2, 3).to_bytes())
            subscriber = bus.subscriber(CounterUpdate)
            own_session = own.next_session()
            own_session.wait_interest(1002)
            own_session.send_frame(1002, CounterUpdate(7).to_bytes())
            assert subscriber.recv(WAIT) == CounterUpdate(7)
        goodbye = session.next_control_of(Goodbye)
        assert isinstance(goodbye, Goodbye) and goodbye.reason is GoodbyeReason.NORMAL
