"""Hypothesis: whatever mix of frames the server sends, split however, the client delivers exactly its types."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sdk_fixtures import DIGEST, WAIT, CounterUpdate, FakeNode, wait_until

from mycelium import UnixTransport, wire

_ITEM = st.one_of(
    st.tuples(st.just("counter"), st.integers(0, 2**64 - 1), st.integers(-2**31, 2**31 - 1)),
    st.tuples(st.just("unknown"), st.integers(1003, 65535), st.binary(max_size=64)),
    st.tuples(st.just("ping"), st.integers(0, 2**64 - 1), st.just(0)),
    st.tuples(st.just("future-control"), st.integers(6, 999), st.binary(max_size=16)),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(_ITEM, max_size=40), cuts=st.lists(st.integers(1, 64), max_size=30))
def test_any_frame_mix_and_split_delivers_exactly_the_subscribed_type(
        items: list[tuple[str, int, object]], cuts: list[int]) -> None:
    stream = bytearray()
    expected: list[CounterUpdate] = []
    pings: list[int] = []
    unknown = future = 0
    for kind, number, extra in items:
        if kind == "counter":
            message = CounterUpdate(number, int(extra), 0)  # type: ignore[call-overload]
            expected.append(message)
            stream += wire.encode_frame(1002, message.to_bytes())
        elif kind == "unknown":
            unknown += 1
            stream += wire.encode_frame(number, bytes(extra))  # type: ignore[call-overload]
        elif kind == "ping":
            pings.append(number)
            stream += wire.encode_control(wire.Ping(number))
        else:
            future += 1
            stream += wire.encode_frame(number, bytes(extra))  # type: ignore[call-overload]
    with tempfile.TemporaryDirectory() as folder, FakeNode(str(Path(folder) / "n.sock"), echo=False) as node:
        with UnixTransport(node.path or "", DIGEST) as transport:
            session = node.next_session()
            subscriber = transport.subscriber(CounterUpdate)
            session.wait_interest(1002)
            offset = 0
            for cut in cuts + [len(stream)]:
                if offset >= len(stream):
                    break
                session.send(bytes(stream[offset:offset + cut]))
                offset += cut
            assert [subscriber.recv(WAIT) for _ in expected] == expected
            for nonce in pings:
                assert session.next_control_of(wire.Pong) == wire.Pong(nonce)
            wait_until(lambda: transport.stats().unknown_type_frames == unknown
                       and transport.stats().unknown_control_frames == future, what="counters")
            assert transport.connected
