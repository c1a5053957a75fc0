"""Tests of mycelium.wire against the shared vectors in docs/wire-vectors.json (also read by the Java tests)."""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path
from typing import Any

import pytest

_ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(_ROOT / "clients" / "python"))

from mycelium import wire  # noqa: E402
from mycelium.errors import LinkError, MyceliumError, SchemaError  # noqa: E402

VECTORS: dict[str, Any] = json.loads((_ROOT / "docs" / "wire-vectors.json").read_text(encoding="utf-8"))


def _ids(cases: list[dict[str, Any]]) -> list[str]:
    return [case["name"] for case in cases]


# ---- frames ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", VECTORS["frames"], ids=_ids(VECTORS["frames"]))
def test_encode_frame_matches_vector(case: dict[str, Any]) -> None:
    assert wire.encode_frame(case["type_id"], bytes.fromhex(case["payload"])).hex() == case["frame"]


@pytest.mark.parametrize("case", VECTORS["frames"], ids=_ids(VECTORS["frames"]))
def test_decode_frame_byte_by_byte_matches_vector(case: dict[str, Any]) -> None:
    decoder = wire.FrameDecoder()
    data = bytes.fromhex(case["frame"])
    frames: list[wire.Frame] = []
    for index in range(len(data)):
        frames += decoder.feed(data[index:index + 1])
    assert frames == [wire.Frame(case["type_id"], bytes.fromhex(case["payload"]))]
    decoder.end_of_stream()


def test_frame_sha256_matches_original_mycelium() -> None:
    import hashlib
    for case in VECTORS["frames"]:
        if "frame_sha256" in case:
            assert hashlib.sha256(bytes.fromhex(case["frame"])).hexdigest() == case["frame_sha256"]


def test_decode_back_to_back_frames_in_one_read() -> None:
    stream = b"".join(bytes.fromhex(case["frame"]) for case in VECTORS["frames"])
    frames = wire.FrameDecoder().feed(stream)
    assert [(f.type_id, f.payload.hex()) for f in frames] == [(c["type_id"], c["payload"]) for c in VECTORS["frames"]]


def test_decode_keeps_partial_frame_across_reads() -> None:
    stream = b"".join(bytes.fromhex(case["frame"]) for case in VECTORS["frames"])
    decoder = wire.FrameDecoder()
    frames: list[wire.Frame] = []
    for start in range(0, len(stream), 7):
        frames += decoder.feed(stream[start:start + 7])
    assert len(frames) == len(VECTORS["frames"])
    assert decoder.buffered_bytes == 0


@pytest.mark.parametrize("case", VECTORS["frame_errors"], ids=_ids(VECTORS["frame_errors"]))
def test_frame_errors_match_vector(case: dict[str, Any]) -> None:
    decoder = wire.FrameDecoder(case["max_payload_length"])
    with pytest.raises(wire.FrameError) as raised:
        decoder.feed(bytes.fromhex(case["bytes"]))
        decoder.end_of_stream()
    assert raised.value.kind == case["error"]
    assert raised.value.type_id == case["type_id"]
    if case["error"] == "PAYLOAD_TOO_LARGE":
        assert raised.value.announced_length == case["announced_length"]
        assert str(case["announced_length"]) in str(raised.value)
        assert str(case["max_payload_length"]) in str(raised.value)
        assert f"frame type {case['type_id']}" in str(raised.value)


def test_failed_decoder_stays_failed_until_reset() -> None:
    decoder = wire.FrameDecoder(4)
    with pytest.raises(wire.FrameError):
        decoder.feed(struct.pack("<HI", 1001, 5))
    with pytest.raises(wire.FrameError):
        decoder.feed(wire.encode_frame(1001, b"ok"))
    decoder.reset()
    assert decoder.feed(wire.encode_frame(1001, b"ok")) == [wire.Frame(1001, b"ok")]


def test_frame_error_is_a_link_error() -> None:
    assert issubclass(wire.FrameError, LinkError)
    assert issubclass(LinkError, MyceliumError)


def test_encode_frame_rejects_bad_type_id_and_oversize_payload() -> None:
    with pytest.raises(ValueError, match="type id 65536"):
        wire.encode_frame(65536, b"")
    with pytest.raises(ValueError, match="type id -1"):
        wire.encode_frame(-1, b"")
    with pytest.raises(ValueError, match="payload of 5 bytes"):
        wire.encode_frame(1001, b"12345", max_payload_length=4)


def test_decoder_rejects_bad_maximum() -> None:
    with pytest.raises(ValueError, match="maximum payload length -1"):
        wire.FrameDecoder(-1)


def test_zero_max_payload_accepts_empty_frames_only() -> None:
    decoder = wire.FrameDecoder(0)
    assert decoder.feed(wire.encode_frame(1001, b"")) == [wire.Frame(1001, b"")]
    with pytest.raises(wire.FrameError, match="at most 0 bytes"):
        decoder.feed(wire.encode_frame(1001, b"x"))


# ---- digest ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", VECTORS["digests"], ids=_ids(VECTORS["digests"]))
def test_schema_digest_matches_vector(case: dict[str, Any], tmp_path: Path) -> None:
    data = bytes.fromhex(case["input_hex"])
    assert wire.schema_digest(data).hex() == case["digest"]
    contracts = tmp_path / "contracts.yaml"
    contracts.write_bytes(data)
    assert wire.schema_digest_of_file(contracts).hex() == case["digest"]
    assert wire.digest_from_hex(case["digest"].upper()) == bytes.fromhex(case["digest"])


@pytest.mark.parametrize("case", VECTORS["digest_hex_errors"], ids=_ids(VECTORS["digest_hex_errors"]))
def test_digest_from_hex_errors_match_vector(case: dict[str, Any]) -> None:
    with pytest.raises(SchemaError) as raised:
        wire.digest_from_hex(case["text"], "env MYCELIUM_SCHEMA_DIGEST")
    assert case["error_contains"] in str(raised.value)
    assert "env MYCELIUM_SCHEMA_DIGEST" in str(raised.value)


def test_digest_from_hex_rejects_missing_value() -> None:
    with pytest.raises(SchemaError, match="missing"):
        wire.digest_from_hex(None)


def test_schema_digest_of_missing_file_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(SchemaError, match="nope.yaml"):
        wire.schema_digest_of_file(missing)


def test_constant_time_equal() -> None:
    digest = wire.schema_digest(b"abc")
    assert wire.constant_time_equal(digest, bytes(digest))
    assert not wire.constant_time_equal(digest, wire.schema_digest(b"abd"))


# ---- handshake -------------------------------------------------------------------------------------------------

def test_legacy_handshake_matches_vector() -> None:
    for case in VECTORS["handshake"]["legacy"]:
        digest = bytes.fromhex(case["digest"])
        assert wire.encode_legacy_handshake(digest).hex() == case["bytes"]
        assert wire.decode_legacy_handshake(bytes.fromhex(case["bytes"])) == digest


def _hello(case: dict[str, Any]) -> wire.Hello:
    return wire.Hello(digest=bytes.fromhex(case["digest"]), name=case["peer_name"], version=case["version"],
                      flags=case["flags"])


def _reject(case: dict[str, Any]) -> wire.Reject:
    return wire.Reject(reason_code=case["reason"], server_digest=bytes.fromhex(case["server_digest"]),
                       client_digest=bytes.fromhex(case["client_digest"]), text=case["text"], version=case["version"])


@pytest.mark.parametrize("case", VECTORS["handshake"]["hello"], ids=_ids(VECTORS["handshake"]["hello"]))
def test_hello_matches_vector(case: dict[str, Any]) -> None:
    assert wire.encode_handshake(_hello(case)).hex() == case["bytes"]
    assert wire.decode_hello(bytes.fromhex(case["bytes"])) == _hello(case)
    assert struct.unpack_from("<H", bytes.fromhex(case["bytes"]))[0] != wire.LEGACY_LENGTH_PREFIX


def test_accept_matches_vector() -> None:
    for case in VECTORS["handshake"]["accept"]:
        accept = wire.Accept(name=case["peer_name"], version=case["version"], flags=case["flags"])
        assert wire.encode_handshake(accept).hex() == case["bytes"]
        assert wire.decode_reply(bytes.fromhex(case["bytes"])) == accept


@pytest.mark.parametrize("case", VECTORS["handshake"]["reject"], ids=_ids(VECTORS["handshake"]["reject"]))
def test_reject_matches_vector(case: dict[str, Any]) -> None:
    assert wire.encode_handshake(_reject(case)).hex() == case["bytes"]
    assert wire.decode_reply(bytes.fromhex(case["bytes"])) == _reject(case)


def test_digest_mismatch_reject_error_shows_both_digests() -> None:
    case = VECTORS["handshake"]["reject"][0]
    error = _reject(case).to_error("127.0.0.1:9000")
    assert error.reject_reason is wire.RejectReason.DIGEST_MISMATCH
    assert case["server_digest"] in str(error) and case["client_digest"] in str(error)
    assert "127.0.0.1:9000" in str(error)


@pytest.mark.parametrize("case", VECTORS["handshake_invalid_hello"], ids=_ids(VECTORS["handshake_invalid_hello"]))
def test_invalid_hello_names_the_field(case: dict[str, Any]) -> None:
    with pytest.raises(wire.HandshakeError) as raised:
        wire.decode_hello(bytes.fromhex(case["bytes"]))
    assert raised.value.field == case["field"]
    assert raised.value.reject_reason == case["reason"]


@pytest.mark.parametrize("case", VECTORS["handshake_invalid_hello"], ids=_ids(VECTORS["handshake_invalid_hello"]))
def test_reader_reports_invalid_hello_as_malformed(case: dict[str, Any]) -> None:
    reader = wire.HandshakeReader()
    data = bytes.fromhex(case["bytes"])
    assert reader.feed(data) == len(data)
    assert reader.status is wire.HandshakeStatus.MALFORMED
    assert reader.failure is not None and reader.failure.field == case["field"]


@pytest.mark.parametrize("case", VECTORS["handshake_invalid_prefix"], ids=_ids(VECTORS["handshake_invalid_prefix"]))
def test_reader_refuses_bad_prefix_after_two_bytes(case: dict[str, Any]) -> None:
    reader = wire.HandshakeReader()
    assert reader.feed(bytes.fromhex(case["bytes"]) + b"\0" * 100) == 2
    assert reader.status is wire.HandshakeStatus.MALFORMED
    assert reader.failure is not None and reader.failure.field == case["field"]


@pytest.mark.parametrize("case", VECTORS["handshake_invalid_reply"], ids=_ids(VECTORS["handshake_invalid_reply"]))
def test_invalid_reply_names_the_field(case: dict[str, Any]) -> None:
    with pytest.raises(wire.HandshakeError) as raised:
        wire.decode_reply(bytes.fromhex(case["bytes"]))
    assert raised.value.field == case["field"]


def test_reader_tells_legacy_from_v1_and_leaves_following_frames() -> None:
    legacy = bytes.fromhex(VECTORS["handshake"]["legacy"][0]["bytes"])
    frame = bytes.fromhex(VECTORS["frames"][0]["frame"])
    reader = wire.HandshakeReader()
    assert reader.feed(legacy[:1]) == 1
    assert reader.status is wire.HandshakeStatus.NEED_MORE
    assert reader.feed(legacy[1:] + frame) == len(legacy) - 1
    assert reader.status is wire.HandshakeStatus.LEGACY
    assert reader.legacy_digest == legacy[2:]
    assert reader.feed(frame) == 0

    hello = bytes.fromhex(VECTORS["handshake"]["hello"][0]["bytes"])
    reader = wire.HandshakeReader()
    consumed = sum(reader.feed(hello[i:i + 1]) for i in range(len(hello)))
    assert consumed == len(hello)
    assert reader.status is wire.HandshakeStatus.V1
    assert reader.hello is not None and reader.hello.name == "py-client"


def _reader_of(data: bytes) -> Any:
    stream = bytearray(data)

    def read_exactly(count: int) -> bytes:
        chunk = bytes(stream[:count])
        del stream[:count]
        return chunk
    return read_exactly


def test_read_reply_returns_accept_and_raises_reject() -> None:
    accept = bytes.fromhex(VECTORS["handshake"]["accept"][0]["bytes"])
    assert wire.read_reply(_reader_of(accept), "gw").name == "gateway"
    reject = bytes.fromhex(VECTORS["handshake"]["reject"][0]["bytes"])
    with pytest.raises(wire.HandshakeError, match="DIGEST_MISMATCH") as raised:
        wire.read_reply(_reader_of(reject), "gw")
    assert raised.value.reject is not None


def test_read_reply_explains_silent_legacy_server() -> None:
    with pytest.raises(wire.HandshakeError, match="legacy Mycelium server"):
        wire.read_reply(_reader_of(b""), "127.0.0.1:9000")
    with pytest.raises(wire.HandshakeError, match="closed the connection after 5 bytes"):
        wire.read_reply(_reader_of(bytes.fromhex(VECTORS["handshake"]["accept"][0]["bytes"])[:5]), "gw")


def test_hello_construction_validates_fields() -> None:
    digest = bytes(32)
    with pytest.raises(wire.HandshakeError, match="256 bytes") as raised:
        wire.Hello(digest=digest, name="n" * 256)
    assert raised.value.field == "name"
    with pytest.raises(wire.HandshakeError) as raised:
        wire.Hello(digest=digest, name="")
    assert raised.value.field == "name"
    with pytest.raises(wire.HandshakeError) as raised:
        wire.Hello(digest=b"short", name="x")
    assert raised.value.field == "digest"
    with pytest.raises(wire.HandshakeError) as raised:
        wire.Hello(digest=digest, name="x", version=0)
    assert raised.value.field == "version"
    with pytest.raises(wire.HandshakeError) as raised:
        wire.Hello(digest=digest, name="x", flags=0x10000)
    assert raised.value.field == "flags"
    with pytest.raises(wire.HandshakeError) as raised:
        wire.Reject(reason_code=1, server_digest=digest, text="x" * 1025)
    assert raised.value.field == "text"
    with pytest.raises(wire.HandshakeError) as raised:
        wire.Reject(reason_code=0, server_digest=digest)
    assert raised.value.field == "reason"


def test_unknown_reject_code_keeps_code_and_text() -> None:
    reject = wire.Reject(reason_code=99, server_digest=bytes(32), text="new reason")
    decoded = wire.decode_reply(wire.encode_handshake(reject))
    assert isinstance(decoded, wire.Reject) and decoded.reason is wire.RejectReason.UNKNOWN
    assert "reason code 99: new reason" in str(decoded.to_error("gw"))


# ---- control frames --------------------------------------------------------------------------------------------

def _control(case: dict[str, Any]) -> wire.ControlFrame:
    kind = case["kind"]
    if kind == "subscribe":
        return wire.Subscribe(tuple(case["type_ids"]))
    if kind == "unsubscribe":
        return wire.Unsubscribe(tuple(case["type_ids"]))
    if kind == "ping":
        return wire.Ping(int(case["nonce"], 16))
    if kind == "pong":
        return wire.Pong(int(case["nonce"], 16))
    return wire.Goodbye(case["reason"], case["text"])


@pytest.mark.parametrize("case", VECTORS["control"], ids=_ids(VECTORS["control"]))
def test_control_frame_matches_vector(case: dict[str, Any]) -> None:
    frame = _control(case)
    assert wire.encode_control(frame).hex() == case["frame"]
    [decoded] = wire.FrameDecoder().feed(bytes.fromhex(case["frame"]))
    assert wire.is_core_type_id(decoded.type_id)
    assert wire.decode_control(decoded.type_id, decoded.payload) == frame


@pytest.mark.parametrize("case", VECTORS["control_invalid"], ids=_ids(VECTORS["control_invalid"]))
def test_invalid_control_frame_names_the_field(case: dict[str, Any]) -> None:
    with pytest.raises(wire.ControlFrameError) as raised:
        wire.decode_control(case["type_id"], bytes.fromhex(case["payload"]))
    assert raised.value.field == case["field"]
    assert raised.value.type_id == case["type_id"]


def test_control_construction_validates_fields() -> None:
    with pytest.raises(wire.ControlFrameError) as raised:
        wire.Subscribe(tuple(range(1000, 1000 + 4097)))
    assert raised.value.field == "count"
    with pytest.raises(wire.ControlFrameError) as raised:
        wire.Unsubscribe((1000, 70000))
    assert raised.value.field == "type_ids[1]"
    with pytest.raises(wire.ControlFrameError) as raised:
        wire.Ping(-1)
    assert raised.value.field == "nonce"
    with pytest.raises(wire.ControlFrameError) as raised:
        wire.Goodbye(1, "x" * 1025)
    assert raised.value.field == "text"


def test_type_id_ranges() -> None:
    assert not wire.is_core_type_id(0) and wire.is_reserved_type_id(0)
    assert wire.is_core_type_id(1) and wire.is_core_type_id(999)
    assert not wire.is_core_type_id(1000) and not wire.is_reserved_type_id(1000)
    assert wire.is_known_control_type(5) and not wire.is_known_control_type(6)
    assert wire.Goodbye(42).reason is wire.GoodbyeReason.UNKNOWN


# ---- properties ------------------------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_frames = st.lists(st.tuples(st.integers(0, 0xFFFF), st.binary(max_size=300)), max_size=20)


@settings(max_examples=200, deadline=None)
@given(frames=_frames, read_sizes=st.lists(st.integers(1, 64), min_size=1, max_size=30))
def test_decode_returns_what_was_encoded_for_any_read_split(frames: list[tuple[int, bytes]],
                                                            read_sizes: list[int]) -> None:
    stream = b"".join(wire.encode_frame(type_id, payload) for type_id, payload in frames)
    decoder = wire.FrameDecoder(300)
    decoded: list[wire.Frame] = []
    offset, read = 0, 0
    while offset < len(stream):
        size = read_sizes[read % len(read_sizes)]
        decoded += decoder.feed(stream[offset:offset + size])
        offset += size
        read += 1
    decoder.end_of_stream()
    assert decoded == [wire.Frame(type_id, payload) for type_id, payload in frames]


@settings(max_examples=200, deadline=None)
@given(ids=st.lists(st.integers(1000, 0xFFFF), unique=True, max_size=200), nonce=st.integers(0, 2**64 - 1),
       reason=st.integers(1, 0xFFFF), text=st.text(max_size=200))
def test_control_frames_round_trip(ids: list[int], nonce: int, reason: int, text: str) -> None:
    text = text.encode("utf-8", errors="replace").decode("utf-8")
    for frame in (wire.Subscribe(tuple(ids)), wire.Unsubscribe(tuple(ids)), wire.Ping(nonce), wire.Pong(nonce),
                  wire.Goodbye(reason, text)):
        [decoded] = wire.FrameDecoder().feed(wire.encode_control(frame))
        assert wire.decode_control(decoded.type_id, decoded.payload) == frame


@settings(max_examples=200, deadline=None)
@given(name=st.text(st.characters(blacklist_categories=("Cc",)), min_size=1, max_size=80), seed=st.binary())
def test_hello_and_accept_round_trip(name: str, seed: bytes) -> None:
    encoded = name.encode("utf-8", errors="replace")
    if len(encoded) > wire.MAX_NAME_LENGTH or encoded.decode("utf-8") != name:
        return
    hello = wire.Hello(digest=wire.schema_digest(seed), name=name)
    assert wire.decode_hello(wire.encode_handshake(hello)) == hello
    assert wire.decode_reply(wire.encode_handshake(wire.Accept(name=name))) == wire.Accept(name=name)
