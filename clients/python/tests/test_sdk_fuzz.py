"""Fuzz tests of the SDK's readers (docs/fuzzing.md): mutated frames, control frames, handshakes and replies, seeded
from docs/wire-vectors.json, against mycelium.wire and a live connection's reader thread (connection.py).

Invariants: only the documented errors escape (FrameError, ControlFrameError, HandshakeError and its subclasses,
MyceliumError from a connection); decoders answer as a simple reference reading of the bytes does, however the bytes
are split; what decodes re-encodes to the same bytes; a decoder holds no more than the bytes it was given; a
connection fed bad bytes ends with a reason and leaves no thread behind.

Examples per test: ``MYCELIUM_FUZZ_EXAMPLES`` (default 150; scripts/fuzz.sh raises it), a tenth of that for the live
tests.
"""

from __future__ import annotations

import json
import os
import struct
import tempfile
import threading
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sdk_fixtures import DIGEST, FakeNode, wait_until

from mycelium import UnixTransport, wire
from mycelium.errors import MyceliumError
from mycelium.wire.handshake import MAX_HANDSHAKE_LENGTH_PREFIX, MIN_V1_LENGTH_PREFIX

_EXAMPLES = int(os.environ.get("MYCELIUM_FUZZ_EXAMPLES", "150"))
_FAST = settings(max_examples=_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_LIVE = settings(max_examples=max(10, _EXAMPLES // 10), deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

_VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[3] / "docs" / "wire-vectors.json").read_text(encoding="utf-8"))


def _hex(items: list[dict[str, Any]], key: str) -> list[bytes]:
    return [bytes.fromhex(item[key]) for item in items]


_FRAMES = (_hex(_VECTORS["frames"], "frame") + _hex(_VECTORS["frame_errors"], "bytes")
           + _hex(_VECTORS["control"], "frame")
           + [wire.encode_frame(item["type_id"], bytes.fromhex(item["payload"]))
              for item in _VECTORS["control_invalid"]])
_CONTROLS = ([(struct.unpack_from("<H", frame)[0], frame[6:]) for frame in _hex(_VECTORS["control"], "frame")]
             + [(item["type_id"], bytes.fromhex(item["payload"])) for item in _VECTORS["control_invalid"]])
_HANDSHAKES = (_hex(_VECTORS["handshake"]["legacy"], "bytes") + _hex(_VECTORS["handshake"]["hello"], "bytes")
               + _hex(_VECTORS["handshake_invalid_hello"], "bytes")
               + _hex(_VECTORS["handshake_invalid_prefix"], "bytes"))
_REPLIES = (_hex(_VECTORS["handshake"]["accept"], "bytes") + _hex(_VECTORS["handshake"]["reject"], "bytes")
            + _hex(_VECTORS["handshake_invalid_reply"], "bytes"))

# The mutations of test-support's ByteMutator (Java), so both sides are fuzzed alike.
_BOUNDARIES = [0, 1, 2, 6, 7, 8, 9, 31, 32, 33, 0x7F, 0x80, 0xFF, 0x100, 999, 1000, 1024, 1025, 2048, 2049, 4096,
               0x7FFF, 0x8000, 0xFFFF, 0x10000, 64 * 1024 + 1, 16 * 1024 * 1024, 16 * 1024 * 1024 + 1, 0x7FFFFFBF,
               0x7FFFFFFF, 0x80000000, 0xFFFFFFFF]
_OPS = ["flip", "set", "u16", "u32", "insert", "delete", "truncate", "duplicate"]
_MUTATIONS = st.lists(st.tuples(st.sampled_from(_OPS), st.integers(0, 0xFFFF), st.integers(0, 2**31 - 1)),
                      min_size=1, max_size=8)
_READS = st.lists(st.one_of(st.integers(1, 8), st.integers(1, 128), st.just(1 << 30)), min_size=1, max_size=8)


def _mutate(seed: bytes, mutations: list[tuple[str, int, int]]) -> bytes:
    data = bytearray(seed)
    for op, position, value in mutations:
        if not data:
            if op == "insert":
                data[0:0] = bytes([value & 0xFF]) * (1 + value % 16)
            continue
        at = position % len(data)
        if op == "flip":
            data[at] ^= 1 << (value % 8)
        elif op == "set":
            data[at] = value & 0xFF
        elif op in ("u16", "u32"):
            width = 2 if op == "u16" else 4
            encoded = _BOUNDARIES[value % len(_BOUNDARIES)].to_bytes(8, "little")[:width]
            end = min(len(data), at + width)
            data[at:end] = encoded[:end - at]
        elif op == "insert":
            data[at:at] = bytes([value & 0xFF]) * (1 + value % 16)
        elif op == "delete":
            del data[at:at + 1 + value % 16]
        elif op == "truncate":
            del data[at:]
        else:
            count = min(1 + value % 64, len(data) - at)
            data[at + count:at + count] = data[at:at + count]
    return bytes(data)


def _mutated(seeds: list[bytes]) -> st.SearchStrategy[bytes]:
    return st.one_of(st.builds(_mutate, st.sampled_from(seeds), _MUTATIONS), st.binary(max_size=200))


def _chunks(data: bytes, reads: list[int]) -> list[bytes]:
    chunks = []
    offset = 0
    index = 0
    while offset < len(data):
        size = reads[index % len(reads)]
        chunks.append(data[offset:offset + size])
        offset += size
        index += 1
    return chunks


def _oracle_frames(data: bytes, maximum: int) -> tuple[list[wire.Frame], int | None, int]:
    """Frames of ``data`` read the plain way; the announced length of an oversize header; the leftover bytes."""
    frames = []
    offset = 0
    while len(data) - offset >= 6:
        type_id, length = struct.unpack_from("<HI", data, offset)
        if length > maximum:
            return frames, length, 0
        if offset + 6 + length > len(data):
            break
        frames.append(wire.Frame(type_id, data[offset + 6:offset + 6 + length]))
        offset += 6 + length
    return frames, None, len(data) - offset


@_FAST
@given(stream=st.builds(lambda frames, mutations: _mutate(b"".join(frames), mutations),
                        st.lists(st.sampled_from(_FRAMES), min_size=1, max_size=6), _MUTATIONS),
       reads=_READS, maximum=st.sampled_from([0, 16, 64, 1024, wire.DEFAULT_MAX_PAYLOAD_LENGTH]))
def test_frame_decoder_reads_as_the_oracle_when_frames_are_mutated(stream: bytes, reads: list[int],
                                                                   maximum: int) -> None:
    expected, oversize, leftover = _oracle_frames(stream, maximum)
    decoder = wire.FrameDecoder(maximum)
    got: list[wire.Frame] = []
    received = 0
    failure = None
    for chunk in _chunks(stream, reads):
        received += len(chunk)
        try:
            got += decoder.feed(chunk)
        except wire.FrameError as error:
            failure = error
            break
        assert decoder.buffered_bytes <= received, "a decoder holds no more than the bytes it was given"
        for frame in got:
            if wire.is_known_control_type(frame.type_id):
                _decode_control_checked(frame.type_id, frame.payload)
    if oversize is not None:
        assert failure is not None and failure.kind == "PAYLOAD_TOO_LARGE" and failure.announced_length == oversize
        assert got == expected[:len(got)], "frames before the bad header are the oracle's"
        return
    assert failure is None and got == expected
    if leftover == 0:
        decoder.end_of_stream()
    else:
        try:
            decoder.end_of_stream()
            raise AssertionError("a stream ending inside a frame must be TRUNCATED")
        except wire.FrameError as error:
            assert error.kind == "TRUNCATED" and str(error)


def _decode_control_checked(type_id: int, payload: bytes) -> None:
    try:
        frame = wire.decode_control(type_id, payload)
    except wire.ControlFrameError as error:
        assert error.type_id == type_id and error.field and str(error)
        assert (error.field == "type_id") == (not wire.is_known_control_type(type_id))
        return
    assert frame.type_id == type_id
    assert wire.encode_control(frame)[6:] == payload, "a decoded control frame is canonical"


@_FAST
@given(control=st.one_of(
    st.builds(lambda seed, mutations: (seed[0], _mutate(seed[1], mutations)), st.sampled_from(_CONTROLS), _MUTATIONS),
    st.tuples(st.integers(0, 0xFFFF), st.binary(max_size=80))))
def test_control_decoder_is_canonical_or_names_the_field_when_payload_is_mutated(control: tuple[int, bytes]) -> None:
    _decode_control_checked(*control)


def _announced(data: bytes, accept_legacy: bool) -> int | None:
    """The message length the prefix announces; None before two bytes; -1 for a refused prefix."""
    if len(data) < 2:
        return None
    prefix = struct.unpack_from("<H", data)[0]
    if accept_legacy and prefix == 32:
        return 34
    if prefix < MIN_V1_LENGTH_PREFIX or prefix > MAX_HANDSHAKE_LENGTH_PREFIX:
        return -1
    return 2 + prefix


@_FAST
@given(data=_mutated(_HANDSHAKES), reads=_READS)
def test_handshake_reader_reads_as_the_codec_when_handshake_is_mutated(data: bytes, reads: list[int]) -> None:
    reader = wire.HandshakeReader()
    consumed = 0
    for chunk in _chunks(data, reads):
        used = reader.feed(chunk)
        assert 0 <= used <= len(chunk)
        consumed += used
        if reader.status is not wire.HandshakeStatus.NEED_MORE:
            assert reader.feed(chunk[used:]) == 0, "a final status consumes nothing more"
            break
    length = _announced(data, True)
    if length == -1:
        assert reader.status is wire.HandshakeStatus.MALFORMED and consumed == 2
        assert reader.failure is not None and reader.failure.field == "length"
        return
    if length is None or len(data) < length:
        assert reader.status is wire.HandshakeStatus.NEED_MORE and consumed == len(data)
        return
    assert consumed == length, "the reader takes exactly the handshake, leaving later frames alone"
    message = data[:length]
    if length == 34 and message[:2] == b"\x20\x00":
        assert reader.status is wire.HandshakeStatus.LEGACY and reader.legacy_digest == message[2:]
        return
    try:
        hello = wire.decode_hello(message)
    except wire.HandshakeError as error:
        assert reader.status is wire.HandshakeStatus.MALFORMED and reader.failure is not None
        assert reader.failure.field == error.field and error.field and str(error)
        return
    assert reader.status is wire.HandshakeStatus.V1 and reader.hello == hello
    assert wire.encode_handshake(hello) == message, "an accepted HELLO is canonical"


@_FAST
@given(data=st.one_of(_mutated(_REPLIES), _mutated(_HANDSHAKES)))
def test_handshake_decoders_raise_only_handshake_errors_when_bytes_are_mutated(data: bytes) -> None:
    for decode in (wire.decode_legacy_handshake, wire.decode_hello, wire.decode_reply):
        try:
            decoded = decode(data)
        except wire.HandshakeError as error:
            assert error.field and error.reject_reason is not None and str(error)
            continue
        if not isinstance(decoded, bytes):
            assert wire.encode_handshake(decoded) == data, "a decoded handshake message is canonical"


@_FAST
@given(data=_mutated(_REPLIES), reads=_READS)
def test_read_reply_returns_accept_or_raises_handshake_error_when_reply_is_mutated(data: bytes,
                                                                                  reads: list[int]) -> None:
    chunks = _chunks(data, reads)

    def read_exactly(count: int) -> bytes:
        out = bytearray()
        while len(out) < count and chunks:
            take = chunks[0][:count - len(out)]
            out += take
            chunks[0] = chunks[0][len(take):]
            if not chunks[0]:
                chunks.pop(0)
        return bytes(out)

    try:
        accept = wire.read_reply(read_exactly, "fuzz")
    except wire.HandshakeError as error:
        assert error.field and str(error)
        return
    assert wire.encode_handshake(accept) == data[:len(wire.encode_handshake(accept))]


def _fake_node_threads() -> int:
    return sum(1 for thread in threading.enumerate() if not thread.name.startswith("fake-node"))


@_LIVE
@given(frames=st.builds(lambda frames, mutations: _mutate(b"".join(frames), mutations),
                        st.lists(st.sampled_from(_FRAMES), min_size=1, max_size=6), _MUTATIONS))
def test_connection_ends_with_a_reason_when_server_sends_mutated_frames(frames: bytes) -> None:
    errors: list[BaseException] = []
    previous_hook = threading.excepthook
    threading.excepthook = lambda args: errors.append(args.exc_value or RuntimeError(str(args)))
    threads = _fake_node_threads()
    try:
        with tempfile.TemporaryDirectory() as folder, FakeNode(str(Path(folder) / "n.sock"), echo=False) as node:
            transport = UnixTransport(node.path or "", DIGEST)
            with transport:
                session = node.next_session()
                try:
                    session.send(frames)
                except OSError:
                    pass  # the client may already have closed on a bad header
                session.kill()
                connection = transport.connection
                assert connection.wait_ended(5.0), "the connection ends when the server closes"
                end = connection.end_error
                assert isinstance(end, MyceliumError) and str(end), "it ends with a reason"
        wait_until(lambda: _fake_node_threads() <= threads, what="the reader thread ended")
    finally:
        threading.excepthook = previous_hook
    assert not errors, f"the reader thread raised {errors!r}"


@_LIVE
@given(reply=_mutated(_REPLIES))
def test_connect_raises_handshake_error_or_connects_when_server_reply_is_mutated(reply: bytes) -> None:
    threads = _fake_node_threads()
    with tempfile.TemporaryDirectory() as folder, FakeNode(str(Path(folder) / "n.sock"), mode="raw",
                                                           raw_reply=reply) as node:
        transport = UnixTransport(node.path or "", DIGEST, connect_timeout=5.0)
        try:
            transport.connect()
        except wire.HandshakeError as error:
            assert error.field and str(error)
        else:
            transport.close()
    wait_until(lambda: _fake_node_threads() <= threads, what="no thread left")
