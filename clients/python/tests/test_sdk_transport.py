"""UnixTransport / TcpTransport against FakeNode over real sockets: handshakes, publish/recv both ways, errors."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest
from sdk_fixtures import DIGEST, OTHER_DIGEST, WAIT, Blob, CounterUpdate, FakeNode, TextMessage, wait_until

from mycelium import (ConnectFailed, ConnectionLost, HandshakeFailed, HandshakeRejected, LinkError, NotConnected,
                      RecvTimeout, SchemaError, TcpTransport, Transport, UnixTransport, wire)


@pytest.fixture(params=["unix", "tcp"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def node(kind: str, tmp_path: Path) -> Iterator[FakeNode]:
    with FakeNode(str(tmp_path / "node.sock") if kind == "unix" else None) as server:
        yield server


def client_of(node: FakeNode, digest: bytes = DIGEST, **options: object) -> Transport:
    if node.path is not None:
        return UnixTransport(node.path, digest, **options)
    return TcpTransport(node.host, node.port, digest, **options)


def test_publish_reaches_the_server(node: FakeNode) -> None:
    with client_of(node, client_name="py-test") as transport:
        session = node.next_session()
        assert session.hello is not None and session.hello.name == "py-test"
        assert transport.server_name == "fake-node"
        assert transport.publisher(CounterUpdate).publish(CounterUpdate(42, 100, 5)) is True
        frame = session.next_frame()
    assert frame == wire.Frame(1002, bytes.fromhex("2a000000000000006400000005000000"))


def test_subscriber_sends_subscribe_and_receives_the_servers_frames(node: FakeNode) -> None:
    with client_of(node) as transport:
        session = node.next_session()
        subscriber = transport.subscriber(TextMessage)
        assert session.next_control() == wire.Subscribe((1001,))
        session.send_frame(1001, TextMessage("alice", "Hello, World!", 1234567890).to_bytes())
        assert subscriber.recv(WAIT) == TextMessage("alice", "Hello, World!", 1234567890)
        assert subscriber.stats().received == 1


def test_published_messages_come_back_through_an_echoing_server_in_order(node: FakeNode) -> None:
    with client_of(node) as transport:
        node.next_session()
        subscriber = transport.subscriber(CounterUpdate)
        publisher = transport.publisher(CounterUpdate)
        wait_until(lambda: 1002 in node.sessions[0].interest, what="SUBSCRIBE 1002")
        for index in range(200):
            publisher.publish(CounterUpdate(index, -index, 1))
        received = [subscriber.recv(WAIT) for _ in range(200)]
    assert received == [CounterUpdate(index, -index, 1) for index in range(200)]
    assert transport.stats().frames_sent == 200


def test_publish_is_thread_safe(node: FakeNode) -> None:
    with client_of(node) as transport:
        session = node.next_session()
        publisher = transport.publisher(CounterUpdate)

        def publish_from(thread: int) -> None:
            for index in range(250):
                publisher.publish(CounterUpdate(thread, index, 0))

        threads = [threading.Thread(target=publish_from, args=(t,)) for t in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT)
        frames = [CounterUpdate.from_bytes(session.next_frame().payload) for _ in range(1000)]
    for publisher_index in range(4):
        assert [m.value for m in frames if m.counter_id == publisher_index] == list(range(250))


def test_digest_mismatch_raises_handshake_rejected_showing_both_digests(node: FakeNode) -> None:
    transport = client_of(node, OTHER_DIGEST)
    with pytest.raises(HandshakeRejected) as caught:
        transport.connect()
    message = str(caught.value)
    assert "DIGEST_MISMATCH" in message
    assert OTHER_DIGEST.hex() in message and DIGEST.hex() in message
    rejected: HandshakeRejected = caught.value
    assert rejected.reason is wire.RejectReason.DIGEST_MISMATCH
    assert rejected.reject is not None and rejected.reject.server_digest == DIGEST
    assert isinstance(rejected, ConnectionError) and isinstance(rejected, LinkError)
    assert not transport.connected


def test_legacy_server_closing_on_hello_is_reported_as_a_legacy_server(tmp_path: Path) -> None:
    with FakeNode(str(tmp_path / "old.sock"), mode="original") as server:
        with pytest.raises(HandshakeFailed, match=r"closed during handshake \(a legacy server\?") as caught:
            UnixTransport(server.path or "", DIGEST).connect()
    assert isinstance(caught.value, ConnectionError)
    assert "legacy=True" in str(caught.value)


@pytest.mark.parametrize("reply, field", [
    (b"\x05\x00hello", "length"),
    (bytes.fromhex("1300") + b"XXXX" + bytes.fromhex("01000200000007006761746577617900"), "magic"),
    (bytes.fromhex("13004d59433101000900000007006761746577617900"), "kind"),
])
def test_malformed_reply_raises_handshake_failed_naming_the_field(tmp_path: Path, reply: bytes, field: str) -> None:
    with FakeNode(str(tmp_path / "bad.sock"), mode="raw", raw_reply=reply) as server:
        with pytest.raises(HandshakeFailed) as caught:
            UnixTransport(server.path or "", DIGEST).connect()
    assert caught.value.field == field
    assert not isinstance(caught.value, HandshakeRejected)
    assert "unix socket" in str(caught.value)


def test_silent_server_times_out_the_handshake(tmp_path: Path) -> None:
    with FakeNode(str(tmp_path / "silent.sock"), mode="silent") as server:
        with pytest.raises(HandshakeFailed, match="no complete handshake reply within 0.2 s"):
            UnixTransport(server.path or "", DIGEST, connect_timeout=0.2).connect()
        server.sessions[0].kill()


def test_legacy_option_speaks_the_original_handshake(tmp_path: Path) -> None:
    with FakeNode(str(tmp_path / "old.sock"), mode="original") as server:
        with UnixTransport(server.path or "", DIGEST, legacy=True) as transport:
            session = server.next_session()
            assert session.kind == "legacy"
            subscriber = transport.subscriber(CounterUpdate)
            transport.publisher(CounterUpdate).publish(CounterUpdate(1, -1, -2))
            assert session.next_frame().payload == bytes.fromhex("0100000000000000fffffffffeffffff")
            assert subscriber.recv(WAIT) == CounterUpdate(1, -1, -2)
            assert transport.server_name is None
            with pytest.raises(LinkError, match="legacy handshake has no control frames"):
                transport.ping()


def test_legacy_digest_mismatch_ends_the_connection_with_a_hint(tmp_path: Path) -> None:
    with FakeNode(str(tmp_path / "old.sock"), mode="original") as server:
        transport = UnixTransport(server.path or "", OTHER_DIGEST, legacy=True).connect()
        wait_until(lambda: not transport.connected, what="the legacy server to close")
        with pytest.raises(ConnectionLost, match="legacy server closes without a word when the schema digests"):
            transport.subscriber(CounterUpdate)
        transport.close()


def test_missing_socket_file_raises_connect_failed(tmp_path: Path) -> None:
    with pytest.raises(ConnectFailed, match="socket file does not exist") as caught:
        UnixTransport(tmp_path / "nobody.sock", DIGEST).connect()
    assert isinstance(caught.value, ConnectionError)


def test_refused_tcp_port_raises_connect_failed() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    with pytest.raises(ConnectFailed, match=f"cannot connect to tcp 127.0.0.1:{port}: connection refused"):
        TcpTransport("127.0.0.1", port, DIGEST).connect()


def test_server_killed_mid_stream_ends_recv_with_connection_lost(node: FakeNode) -> None:
    transport = client_of(node).connect()
    session = node.next_session()
    subscriber = transport.subscriber(CounterUpdate)
    session.wait_interest(1002)
    session.send_frame(1002, CounterUpdate(7, 7, 7).to_bytes())
    session.send(wire.encode_frame(1002, CounterUpdate(8, 8, 8).to_bytes())[:10])  # half a frame
    session.kill()
    assert subscriber.recv(WAIT) == CounterUpdate(7, 7, 7)  # what arrived whole is still delivered
    with pytest.raises(ConnectionLost, match="in the middle of a frame") as caught:
        subscriber.recv(WAIT)
    assert not caught.value.clean
    with pytest.raises(ConnectionLost):
        list(subscriber)
    with pytest.raises(ConnectionLost, match=r"in the middle of a frame.*call connect\(\) again to reconnect"):
        transport.publisher(CounterUpdate)
    assert not transport.connected
    transport.close()


def test_goodbye_normal_ends_iteration_quietly_and_names_the_reason(node: FakeNode) -> None:
    with client_of(node) as transport:
        session = node.next_session()
        subscriber = transport.subscriber(CounterUpdate)
        session.wait_interest(1002)
        session.send_frame(1002, CounterUpdate(1, 2, 3).to_bytes())
        session.send_control(wire.Goodbye(wire.GoodbyeReason.NORMAL, "node stopping"))
        assert list(subscriber) == [CounterUpdate(1, 2, 3)]
        with pytest.raises(ConnectionLost, match="GOODBYE NORMAL: node stopping") as caught:
            subscriber.recv(WAIT)
        assert caught.value.clean and caught.value.goodbye == wire.Goodbye(1, "node stopping")


def test_goodbye_schema_changed_makes_iteration_raise(node: FakeNode) -> None:
    with client_of(node) as transport:
        session = node.next_session()
        subscriber = transport.subscriber(CounterUpdate)
        session.send_control(wire.Goodbye(wire.GoodbyeReason.SCHEMA_CHANGED, "contracts redeployed"))
        with pytest.raises(ConnectionLost, match="GOODBYE SCHEMA_CHANGED: contracts redeployed"):
            for _ in subscriber:
                pass


def test_oversized_frame_header_ends_the_connection_with_goodbye(node: FakeNode) -> None:
    with client_of(node, max_payload_length=1024) as transport:
        session = node.next_session()
        subscriber = transport.subscriber(CounterUpdate)
        session.wait_interest(1002)
        session.send(wire.encode_frame(1002, b"")[:2] + (4096).to_bytes(4, "little"))
        with pytest.raises(ConnectionLost, match="announces a payload of 4096 bytes but this link accepts at most"):
            subscriber.recv(WAIT)
        goodbye = session.next_control_of(wire.Goodbye)
        assert isinstance(goodbye, wire.Goodbye) and goodbye.reason is wire.GoodbyeReason.FRAME_TOO_LARGE


def test_malformed_control_frame_ends_the_connection_with_protocol_error(node: FakeNode) -> None:
    with client_of(node) as transport:
        session = node.next_session()
        subscriber = transport.subscriber(CounterUpdate)
        session.wait_interest(1002)
        session.send_frame(wire.PING, b"\x01\x02")
        with pytest.raises(ConnectionLost, match="malformed control frame: PING payload is 2 bytes"):
            subscriber.recv(WAIT)
        goodbye = session.next_control_of(wire.Goodbye)
        assert isinstance(goodbye, wire.Goodbye) and goodbye.reason is wire.GoodbyeReason.PROTOCOL_ERROR


def test_ping_from_the_server_is_answered_with_pong(node: FakeNode) -> None:
    with client_of(node) as transport:
        session = node.next_session()
        session.send_control(wire.Ping(0x0123456789ABCDEF))
        assert session.next_control() == wire.Pong(0x0123456789ABCDEF)
        wait_until(lambda: transport.stats().pings_answered == 1, what="pings_answered == 1")


def test_ping_measures_a_round_trip(node: FakeNode) -> None:
    with client_of(node) as transport:
        node.next_session()
        assert 0 <= transport.ping(WAIT) < WAIT


def test_close_says_goodbye_and_unsubscribe_is_sent_when_the_last_subscriber_closes(node: FakeNode) -> None:
    transport = client_of(node).connect()
    session = node.next_session()
    first = transport.subscriber(CounterUpdate)
    second = transport.subscriber(CounterUpdate)
    assert session.next_control() == wire.Subscribe((1002,))
    first.close()
    second.close()
    assert session.next_control() == wire.Unsubscribe((1002,))
    with pytest.raises(NotConnected, match="subscriber for CounterUpdate \\(type 1002\\) was closed"):
        first.recv(0)
    transport.close()
    goodbye = session.next_control()
    assert goodbye == wire.Goodbye(wire.GoodbyeReason.NORMAL, "client closing")
    assert session.closed.wait(WAIT)
    transport.close()  # idempotent


def test_close_wakes_a_blocked_recv_and_ends_iteration(node: FakeNode) -> None:
    transport = client_of(node).connect()
    subscriber = transport.subscriber(CounterUpdate)
    results: list[object] = []
    thread = threading.Thread(target=lambda: results.append(list(subscriber)))
    thread.start()
    transport.close()
    thread.join(WAIT)
    assert results == [[]]
    with pytest.raises(NotConnected, match="closed by this process"):
        transport.publisher(CounterUpdate).publish(CounterUpdate())


def test_recv_times_out_with_recv_timeout(node: FakeNode) -> None:
    with client_of(node) as transport:
        subscriber = transport.subscriber(CounterUpdate)
        with pytest.raises(RecvTimeout, match=r"no CounterUpdate \(type 1002\) from .* within 0.05 s") as caught:
            subscriber.recv(timeout=0.05)
        assert isinstance(caught.value, TimeoutError)
        with pytest.raises(RecvTimeout):
            subscriber.recv_nowait()


def test_server_interest_filters_publishes(node: FakeNode) -> None:
    with client_of(node) as transport:
        session = node.next_session()
        publisher = transport.publisher(CounterUpdate)
        session.send_control(wire.Subscribe((1001,)))
        wait_until(lambda: transport.stats().peer_interest == frozenset({1001}), what="server interest")
        assert publisher.publish(CounterUpdate()) is False
        assert transport.stats().frames_not_wanted == 1
        session.send_control(wire.Subscribe((1002,)))
        wait_until(lambda: transport.stats().peer_interest == frozenset({1001, 1002}), what="server interest")
        assert publisher.publish(CounterUpdate(5)) is True
        assert CounterUpdate.from_bytes(session.next_frame().payload).counter_id == 5


def test_publisher_checks_the_message_class(node: FakeNode) -> None:
    with client_of(node) as transport:
        with pytest.raises(TypeError, match=r"publisher for CounterUpdate \(type 1002\) got a TextMessage"):
            transport.publisher(CounterUpdate).publish(TextMessage())  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="pass the class itself"):
            transport.publisher(CounterUpdate())  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="lacks TYPE_ID, to_bytes, from_bytes"):
            transport.subscriber(object)  # type: ignore[arg-type, type-var]


def test_use_before_connect_raises_not_connected(tmp_path: Path) -> None:
    transport = UnixTransport(tmp_path / "x.sock", DIGEST)
    with pytest.raises(NotConnected, match="is not connected; call connect\\(\\) first"):
        transport.publisher(CounterUpdate)
    assert repr(transport) == f"UnixTransport(unix socket {tmp_path / 'x.sock'}, not connected)"


def test_bad_digest_and_options_are_rejected_at_construction() -> None:
    with pytest.raises(SchemaError, match="schema digest is 3 bytes but must be 32"):
        TcpTransport("127.0.0.1", 1, b"abc")
    with pytest.raises(SchemaError, match="has 5 characters but must have 64 hex"):
        TcpTransport("127.0.0.1", 1, "abcde")
    with pytest.raises(ValueError, match="TCP port 0 is outside 1..65535"):
        TcpTransport("127.0.0.1", 0, DIGEST)
    with pytest.raises(wire.HandshakeError, match="must be 1..255 bytes"):
        TcpTransport("127.0.0.1", 1, DIGEST, client_name="")
    assert TcpTransport("127.0.0.1", 1, DIGEST.hex()).schema_digest == DIGEST


def test_connect_twice_is_refused_but_reconnect_after_loss_works(node: FakeNode) -> None:
    transport = client_of(node).connect()
    with pytest.raises(LinkError, match="already connected"):
        transport.connect()
    node.next_session().kill()
    wait_until(lambda: not transport.connected, what="connection loss")
    transport.connect()
    assert transport.connected
    transport.close()


def test_server_crash_between_frames_is_reported_without_goodbye(node: FakeNode) -> None:
    with client_of(node) as transport:
        session = node.next_session()
        subscriber = transport.subscriber(CounterUpdate)
        session.wait_interest(1002)
        session.kill()
        with pytest.raises(ConnectionLost, match="closed the connection without a GOODBYE \\(it stopped or crashed\\)"):
            subscriber.recv(WAIT)


def test_publisher_context_manager_and_payload_limit(node: FakeNode) -> None:
    with client_of(node, max_payload_length=8) as transport:
        with transport.publisher(CounterUpdate) as publisher:
            with pytest.raises(ValueError, match="payload of 16 bytes for type 1002 is outside 0..8"):
                publisher.publish(CounterUpdate())
        with pytest.raises(NotConnected, match=r"publisher for CounterUpdate \(type 1002\) is closed"):
            publisher.publish(CounterUpdate())
        assert transport.connected


def test_close_does_not_hang_on_a_publisher_blocked_by_a_stalled_server(tmp_path: Path) -> None:
    with FakeNode(str(tmp_path / "stalled.sock"), read=False) as server:
        transport = UnixTransport(server.path or "", DIGEST).connect()
        publisher = transport.publisher(Blob)
        outcome: list[BaseException] = []

        def flood() -> None:
            try:
                while True:
                    publisher.publish(Blob())
            except LinkError as error:
                outcome.append(error)

        thread = threading.Thread(target=flood)
        thread.start()
        wait_until(lambda: transport.stats().frames_sent >= 1, what="a frame sent")
        started = time.monotonic()
        transport.close()
        thread.join(WAIT)
        assert time.monotonic() - started < 3.0
        assert not thread.is_alive()
        assert len(outcome) == 1 and isinstance(outcome[0], NotConnected)
        server.sessions[0].kill()
