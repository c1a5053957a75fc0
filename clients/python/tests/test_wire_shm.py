"""mycelium.wire.shm and the rings of mycelium.shmring against the ``shm`` vectors of docs/wire-vectors.json (the
Java shm bundle checks the same ones): segment header bytes, records, producer claims, corrupt records, SHM_ATTACH /
SHM_ATTACHED and their broken forms, and refused segments."""

from __future__ import annotations

import json
import mmap
import os
from pathlib import Path
from typing import Any, Iterator

import pytest

from mycelium import wire
from mycelium.shmring import RingConsumer, RingProducer, TsoRegion, open_region
from mycelium.wire import shm as layout

_ROOT = Path(__file__).resolve().parents[3]
SHM: dict[str, Any] = json.loads((_ROOT / "docs" / "wire-vectors.json").read_text(encoding="utf-8"))["shm"]


def _ids(cases: list[dict[str, Any]]) -> list[str]:
    return [case["name"] for case in cases]


@pytest.mark.parametrize("case", SHM["headers"], ids=_ids(SHM["headers"]))
def test_segment_header_encodes_and_decodes_like_the_vector(case: dict[str, Any]) -> None:
    data = bytes.fromhex(case["bytes"])
    header = layout.SegmentHeader(bytes.fromhex(case["digest"]), case["capacity0"], case["capacity1"],
                                  case["max_record_length"], case["server_pid"], case["client_pid"], case["state"],
                                  case["server_heartbeat"], case["client_heartbeat"], case["magic"].encode(),
                                  case["layout_version"], case["header_length"])
    encoded = layout.encode_segment_header(header)
    assert len(encoded) == 4096 and encoded[:len(data)] == data and not any(encoded[len(data):])
    assert layout.decode_segment_header(data) == header
    assert layout.segment_length(case["capacity0"], case["capacity1"]) == case["segment_length"]
    assert layout.ring_offset(0, case["capacity0"]) == case["ring0_offset"]
    assert layout.ring_offset(1, case["capacity0"]) == case["ring1_offset"]


class Ring:
    """One ring of capacity C in an anonymous mapping, positioned at head/tail, with a producer and a consumer."""

    def __init__(self, capacity: int, max_record_length: int, head: int = 0, tail: int = 0) -> None:
        self.mapping = mmap.mmap(-1, layout.RING_CONTROL_LENGTH + capacity)
        self.view = memoryview(self.mapping)
        self.region = open_region(self.mapping)
        self.region.store_u64(layout.TAIL_OFFSET, tail)
        self.region.store_u64(layout.HEAD_OFFSET, head)
        self.producer = RingProducer(self.region, self.view, 0, capacity, max_record_length)
        self.consumer = RingConsumer(self.region, self.view, 0, capacity, max_record_length, "test ring")

    def data(self, index: int, length: int) -> bytes:
        return bytes(self.view[layout.RING_CONTROL_LENGTH + index:layout.RING_CONTROL_LENGTH + index + length])

    def close(self) -> None:
        self.region.release()
        self.view.release()
        self.mapping.close()


@pytest.fixture
def rings() -> Iterator[list[Ring]]:
    made: list[Ring] = []
    yield made
    for ring in made:
        ring.close()


@pytest.mark.parametrize("case", SHM["records"], ids=_ids(SHM["records"]))
def test_the_producer_writes_records_byte_for_byte(case: dict[str, Any], rings: list[Ring]) -> None:
    expected = bytes.fromhex(case["bytes"])
    if case["kind"] == 1:
        ring = Ring(4096, 512)
        rings.append(ring)
        assert ring.producer.offer(wire.encode_frame(case["type_id"], bytes.fromhex(case["payload"])))
        assert ring.data(0, case["aligned_length"]) == expected
        frames, corrupt = ring.consumer.poll()
        assert corrupt is None and frames == [(case["type_id"], bytes.fromhex(case["payload"]))]
        assert not any(ring.data(0, 64)), "the consumer zeroes what it consumed"
    else:
        start = 4096 - case["length"]
        ring = Ring(4096, 512, head=start, tail=start)
        rings.append(ring)
        assert ring.producer.offer(wire.encode_frame(7, bytes(case["length"])))  # does not fit before the end
        assert ring.data(start, case["length"]) == expected


@pytest.mark.parametrize("case", SHM["claims"], ids=_ids(SHM["claims"]))
def test_claims_follow_the_vector(case: dict[str, Any], rings: list[Ring]) -> None:
    ring = Ring(case["capacity"], case["max_record_length"], case["head"], case["tail"])
    rings.append(ring)
    frame = wire.encode_frame(7, bytes(case["frame_length"] - wire.HEADER_LENGTH))
    if case["result"] == "too_long":
        with pytest.raises(ValueError, match="max record length"):
            ring.producer.offer(frame)
        return
    assert ring.producer.offer(frame) is (case["result"] == "ok")
    tail = ring.region.load_u64(layout.TAIL_OFFSET)
    if case["result"] == "full":
        assert tail == case["tail"]
        return
    assert tail == case["tail_after"]
    assert ring.region.load_u32(layout.RING_CONTROL_LENGTH + case["index"]) == 8 + len(frame)
    if case["padding"]:
        padding_at = case["tail"] & (case["capacity"] - 1)
        assert ring.data(padding_at, 8) == case["padding"].to_bytes(4, "little") + b"\xff\xff\xff\xff"


@pytest.mark.parametrize("case", SHM["corrupt_records"], ids=_ids(SHM["corrupt_records"]))
def test_corrupt_records_are_named_with_field_and_value(case: dict[str, Any], rings: list[Ring]) -> None:
    ring = Ring(case["capacity"], case["max_record_length"], case["index"], case["index"])
    rings.append(ring)
    data = bytes.fromhex(case["bytes"])
    at = layout.RING_CONTROL_LENGTH + case["index"]
    ring.view[at:at + len(data)] = data
    frames, corrupt = ring.consumer.poll()
    assert frames == [] and corrupt is not None
    assert f"{case['field']} {case['value']} " in str(corrupt) and f"position {case['index']}" in str(corrupt)
    assert ring.consumer.position == case["index"], "the bad record is not consumed"


@pytest.mark.parametrize("case", SHM["attach"], ids=_ids(SHM["attach"]))
def test_shm_attach_matches_vector(case: dict[str, Any]) -> None:
    message = layout.ShmAttach(case["capacity0"], case["capacity1"], case["path"], case["flags"])
    assert layout.encode_shm(message).hex() == case["bytes"]
    assert layout.decode_shm_attach(bytes.fromhex(case["bytes"])) == message


@pytest.mark.parametrize("case", SHM["attached"], ids=_ids(SHM["attached"]))
def test_shm_attached_matches_vector(case: dict[str, Any]) -> None:
    message = layout.ShmAttached(case["status"], case["text"], case["flags"])
    assert layout.encode_shm(message).hex() == case["bytes"]
    assert layout.decode_shm_attached(bytes.fromhex(case["bytes"])) == message


@pytest.mark.parametrize("case", SHM["attach_invalid"], ids=_ids(SHM["attach_invalid"]))
def test_broken_shm_attach_names_the_field(case: dict[str, Any]) -> None:
    with pytest.raises(wire.HandshakeError) as error:
        layout.decode_shm_attach(bytes.fromhex(case["bytes"]))
    assert error.value.field == case["field"], str(error.value)


@pytest.mark.parametrize("case", SHM["attached_invalid"], ids=_ids(SHM["attached_invalid"]))
def test_broken_shm_attached_names_the_field(case: dict[str, Any]) -> None:
    with pytest.raises(wire.HandshakeError) as error:
        layout.decode_shm_attached(bytes.fromhex(case["bytes"]))
    assert error.value.field == case["field"], str(error.value)


@pytest.mark.parametrize("case", SHM["segment_invalid"], ids=_ids(SHM["segment_invalid"]))
def test_refused_segments_name_file_field_and_status(case: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "node.shm.1.1"
    data = bytes.fromhex(case["bytes"])
    path.write_bytes((data + bytes(max(case["file_size"] - len(data), 0)))[:case["file_size"]])
    os.chmod(path, int(case["mode"], 8))
    fd = os.open(path, os.O_RDONLY)
    try:
        attach = layout.ShmAttach(case["announced_capacity0"], case["announced_capacity1"], str(path))
        with pytest.raises(layout.SegmentRefused) as refused:
            layout.check_segment(str(path), fd, attach, bytes.fromhex(case["digest"]))
    finally:
        os.close(fd)
    assert (refused.value.field, int(refused.value.status)) == (case["field"], case["status"])
    assert str(path) in str(refused.value)


def test_the_pure_python_region_reads_what_the_vectors_say(rings: list[Ring]) -> None:
    mapping = mmap.mmap(-1, 4096)
    region = TsoRegion(mapping)
    mapping[0:8] = bytes.fromhex(SHM["headers"][0]["bytes"])[:8]
    assert region.load_u64(0).to_bytes(8, "little") == b"MYCSHM01"
    region.release()
    mapping.close()
