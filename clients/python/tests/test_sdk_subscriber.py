"""Subscriber queues and the reader's dispatch: overflow (drop oldest), unknown types, decode errors, fan-out."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterator

import pytest
from sdk_fixtures import DIGEST, WAIT, CounterUpdate, FakeNode, Session, TextMessage, wait_until

from mycelium import RecvTimeout, UnixTransport, wire
from mycelium.dropqueue import DropOldestQueue
from mycelium.errors import NotConnected


@pytest.fixture
def link(tmp_path: Path) -> Iterator[tuple[UnixTransport, Session]]:
    with FakeNode(str(tmp_path / "node.sock"), echo=False) as node:
        with UnixTransport(node.path or "", DIGEST) as transport:
            yield transport, node.next_session()


def test_full_queue_drops_the_oldest_and_counts_it(link: tuple[UnixTransport, Session]) -> None:
    transport, session = link
    subscriber = transport.subscriber(CounterUpdate, capacity=4)
    session.wait_interest(1002)
    for index in range(10):
        session.send_frame(1002, CounterUpdate(index).to_bytes())
    wait_until(lambda: transport.stats().frames_received == 10, what="10 frames read")
    assert [subscriber.recv(WAIT).counter_id for _ in range(4)] == [6, 7, 8, 9]
    stats = subscriber.stats()
    assert (stats.dropped, stats.received, stats.pending, stats.capacity, stats.high_water_mark) == (6, 4, 0, 4, 4)


def test_unknown_type_is_skipped_and_counted_and_the_reader_survives(link: tuple[UnixTransport, Session],
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    transport, session = link
    subscriber = transport.subscriber(CounterUpdate)
    session.wait_interest(1002)
    session.send_frame(4242, b"\xde\xad\xbe\xef")
    session.send_frame(4242, b"")
    session.send_frame(777, b"future control frame")  # core range, unknown to this client
    session.send_frame(1002, CounterUpdate(1).to_bytes())
    assert subscriber.recv(WAIT) == CounterUpdate(1)
    stats = transport.stats()
    assert (stats.unknown_type_frames, stats.unknown_control_frames, stats.frames_received) == (2, 1, 3)
    assert sum("skipping frames of type 4242" in r.getMessage() for r in caplog.records) == 1  # warned once


def test_payload_of_the_wrong_size_is_skipped_counted_and_logged(link: tuple[UnixTransport, Session],
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    transport, session = link
    subscriber = transport.subscriber(CounterUpdate)
    session.wait_interest(1002)
    session.send_frame(1002, b"\x01\x02\x03")
    session.send_frame(1002, CounterUpdate(2).to_bytes())
    assert subscriber.recv(WAIT) == CounterUpdate(2)
    assert subscriber.stats().decode_errors == 1
    assert any("payload of 3 bytes, expected exactly 16" in r.getMessage() for r in caplog.records)


def test_every_subscriber_of_a_type_gets_every_message(link: tuple[UnixTransport, Session]) -> None:
    transport, session = link
    first = transport.subscriber(TextMessage)
    second = transport.subscriber(TextMessage)
    counters = transport.subscriber(CounterUpdate)
    session.wait_interest(1001)
    session.wait_interest(1002)
    session.send_frame(1001, TextMessage("a", "b", 3).to_bytes())
    session.send_frame(1002, CounterUpdate(9).to_bytes())
    assert first.recv(WAIT) == second.recv(WAIT) == TextMessage("a", "b", 3)
    assert counters.recv(WAIT) == CounterUpdate(9)
    with pytest.raises(RecvTimeout):
        first.recv_nowait()


def test_decoded_messages_are_not_shared_between_subscribers(link: tuple[UnixTransport, Session]) -> None:
    transport, session = link
    first = transport.subscriber(CounterUpdate)
    second = transport.subscriber(CounterUpdate)
    session.wait_interest(1002)
    session.send_frame(1002, CounterUpdate(5).to_bytes())
    one, two = first.recv(WAIT), second.recv(WAIT)
    one.counter_id = 99
    assert two.counter_id == 5


def test_closed_subscriber_gets_nothing_more_and_others_keep_receiving(link: tuple[UnixTransport, Session]) -> None:
    transport, session = link
    with transport.subscriber(CounterUpdate) as closed:
        pass
    open_one = transport.subscriber(CounterUpdate)
    session.send_frame(1002, CounterUpdate(3).to_bytes())
    assert open_one.recv(WAIT) == CounterUpdate(3)
    with pytest.raises(NotConnected):
        closed.recv(0)
    assert list(closed) == []


def test_recv_from_several_threads_hands_each_message_to_one_caller(link: tuple[UnixTransport, Session]) -> None:
    transport, session = link
    subscriber = transport.subscriber(CounterUpdate)
    session.wait_interest(1002)
    got: list[int] = []
    lock = threading.Lock()

    def take() -> None:
        for _ in range(50):
            message = subscriber.recv(WAIT)
            with lock:
                got.append(message.counter_id)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for index in range(200):
        session.send_frame(1002, CounterUpdate(index).to_bytes())
    for thread in threads:
        thread.join(WAIT)
    assert sorted(got) == list(range(200))


def test_drop_oldest_queue_contract() -> None:
    queue: DropOldestQueue[int] = DropOldestQueue(2)
    assert queue.put(1) and queue.put(2)
    assert queue.put(3) is False
    assert (queue.get(0), queue.dropped, len(queue)) == (2, 1, 1)
    queue.close(NotConnected("gone"))
    assert queue.put(4) is False
    assert queue.get(0) == 3  # drained before the close error
    with pytest.raises(NotConnected, match="gone"):
        queue.get(None)
    with pytest.raises(ValueError, match="capacity 0 is outside 1..16777216"):
        DropOldestQueue(0)
    with pytest.raises(ValueError, match="timeout -1 must be None or >= 0"):
        DropOldestQueue[int](1).get(-1)


def test_unknown_control_type_from_the_server_is_not_fatal(link: tuple[UnixTransport, Session]) -> None:
    transport, session = link
    session.send_frame(6, b"")
    session.send_control(wire.Ping(1))
    assert session.next_control_of(wire.Pong) == wire.Pong(1)
    assert transport.stats().unknown_control_frames == 1
    assert transport.connected
