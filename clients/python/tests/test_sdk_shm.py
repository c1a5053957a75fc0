"""ShmTransport against FakeNode(shm=True): attach, frames both ways through the rings, wrap and padding, doorbells,
every segment the client must refuse, corrupt rings, a node that crashes, full rings, and both atomics paths."""

from __future__ import annotations

import os
import platform
import struct
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest
from sdk_fixtures import DIGEST, OTHER_DIGEST, WAIT, Blob, CounterUpdate, FakeNode, TextMessage, wait_until

from mycelium import (AtomicsUnavailable, ConnectionLost, HandshakeFailed, HandshakeRejected, NotConnected,
                      SegmentRefused, ShmTransport, wire)
from mycelium import shmring
from mycelium.wire import shm as layout


@pytest.fixture(params=["c-extension", "pure-python"])
def atomics(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every protocol test runs on both paths: the C extension and the x86-64 pure-Python one."""
    if request.param == "pure-python":
        if platform.machine().lower() not in ("x86_64", "amd64"):
            pytest.skip("the pure-Python path exists on x86-64 only")
        monkeypatch.setenv("MYCELIUM_SHM_ATOMICS", "python")
    elif shmring.atomics_implementation() != "c-extension":
        pytest.skip("the C extension mycelium._shm_atomics is not built here (no compiler or Python headers)")
    return str(request.param)


@pytest.fixture
def node(tmp_path: Path, atomics: str) -> Iterator[FakeNode]:
    with FakeNode(str(tmp_path / "node.shm"), shm=True) as server:
        yield server


def segments(node: FakeNode) -> list[str]:
    assert node.path is not None
    folder = os.path.dirname(node.path)
    return sorted(name for name in os.listdir(folder) if name.startswith(os.path.basename(node.path) + "."))


# ---- frames through the rings ----------------------------------------------------------------------------------

def test_publish_and_subscribe_travel_through_the_segment(node: FakeNode) -> None:
    with ShmTransport(node.path, DIGEST, client_name="py-shm") as transport:
        session = node.next_session()
        assert session.attached == layout.ShmAttached(layout.AttachStatus.OK)
        assert session.hello is not None and session.hello.name == "py-shm"
        assert transport.server_name == "fake-node"
        subscriber = transport.subscriber(TextMessage)
        assert session.next_control() == wire.Subscribe((1001,))
        assert transport.publisher(CounterUpdate).publish(CounterUpdate(42, 100, 5)) is True
        assert session.next_frame() == wire.Frame(1002, bytes.fromhex("2a000000000000006400000005000000"))
        session.send_frame(1001, TextMessage("alice", "Hello, World!", 1234567890).to_bytes())
        assert subscriber.recv(WAIT) == TextMessage("alice", "Hello, World!", 1234567890)
        assert transport.ping(WAIT) > 0
        assert transport.stats().frames_sent == 1
        segment = transport.connection.segment  # type: ignore[attr-defined]
        assert segment.region.load_u32(layout.CLIENT_PID_OFFSET) == os.getpid()
        assert segment.region.load_u64(layout.CLIENT_HEARTBEAT_OFFSET) > 0


def test_frames_wrap_around_small_rings_with_padding_in_order_both_ways(tmp_path: Path, atomics: str) -> None:
    with FakeNode(str(tmp_path / "node.shm"), shm=True, capacities=(4096, 4096)) as node:
        with ShmTransport(node.path, DIGEST) as transport:
            session = node.next_session()
            subscriber = transport.subscriber(TextMessage, capacity=4096)
            session.wait_interest(1001)
            publisher = transport.publisher(TextMessage)
            sent = [TextMessage("py", "x" * (index % 200), index) for index in range(300)]  # 312-byte payloads
            for message in sent:
                publisher.publish(message)
            received = [subscriber.recv(WAIT) for _ in sent]
            assert received == sent  # the fake echoes: 300 x 328-byte records crossed 4 KiB rings both ways
            assert transport.connection.segment.consumer.position > 4096 * 20  # type: ignore[attr-defined]


def test_a_frame_larger_than_the_max_record_is_refused_naming_the_limit(tmp_path: Path, atomics: str) -> None:
    with FakeNode(str(tmp_path / "node.shm"), shm=True, capacities=(65536, 65536)) as node:
        with ShmTransport(node.path, DIGEST) as transport:
            node.next_session()
            with pytest.raises(ValueError, match="8178"):  # 65536 / 8 - 8 - 6
                transport.publisher(Blob).publish(Blob())
            assert transport.connected


def test_close_says_goodbye_marks_the_segment_and_unmaps(node: FakeNode) -> None:
    transport = ShmTransport(node.path, DIGEST).connect()
    session = node.next_session()
    segment = transport.connection.segment  # type: ignore[attr-defined]
    transport.close()
    goodbye = session.next_control_of(wire.Goodbye)
    assert isinstance(goodbye, wire.Goodbye) and goodbye.reason is wire.GoodbyeReason.NORMAL
    assert session.shm is not None
    wait_until(lambda: session.shm.region.load_u32(layout.STATE_OFFSET) == layout.STATE_CLOSED_BY_CLIENT,
               what="state 3 (closed by client)")
    wait_until(lambda: segment._fd == -1, what="the client unmapped")
    with pytest.raises(NotConnected):
        transport.publisher(CounterUpdate)


def test_goodbye_from_the_node_ends_the_connection_with_its_reason(node: FakeNode) -> None:
    with ShmTransport(node.path, DIGEST) as transport:
        session = node.next_session()
        subscriber = transport.subscriber(CounterUpdate)
        session.send_control(wire.Goodbye(wire.GoodbyeReason.SLOW_CONSUMER, "too slow"))
        with pytest.raises(ConnectionLost, match="GOODBYE SLOW_CONSUMER: too slow"):
            subscriber.recv(WAIT)


def test_a_crashed_node_is_detected_at_once_and_its_stale_segment_removed(node: FakeNode) -> None:
    with ShmTransport(node.path, DIGEST) as transport:
        session = node.next_session()
        subscriber = transport.subscriber(CounterUpdate)
        assert len(segments(node)) == 1
        started = time.monotonic()
        session.crash()
        with pytest.raises(ConnectionLost, match="without a GOODBYE"):
            subscriber.recv(WAIT)
        assert time.monotonic() - started < 2.0
        wait_until(lambda: segments(node) == [], what="the stale segment removed")
        with pytest.raises(ConnectionLost):
            transport.publisher(CounterUpdate).publish(CounterUpdate())
        transport.connect()  # the node is still listening: a new connection gets a new segment
        assert node.next_session().attached == layout.ShmAttached(layout.AttachStatus.OK)


def test_a_node_that_dies_with_unread_doorbells_resets_the_socket_and_that_is_a_crash_too(node: FakeNode) -> None:
    # A SIGKILLed node that had not read every doorbell byte resets the control socket instead of closing it:
    # the SDK must report that as the same end (no GOODBYE), not as a broken socket.
    with ShmTransport(node.path, DIGEST) as transport:
        session = node.next_session()
        subscriber = transport.subscriber(CounterUpdate)
        transport._connection._sock.send(b"\x01" * 64)  # doorbells the node never reads
        session.crash()
        with pytest.raises(ConnectionLost, match="without a GOODBYE"):
            subscriber.recv(WAIT)


def test_a_segment_whose_owner_lives_is_not_removed_when_its_socket_closes(node: FakeNode) -> None:
    with ShmTransport(node.path, DIGEST) as transport:
        session = node.next_session()
        segment = transport.connection.segment  # type: ignore[attr-defined]
        session.kill()  # socket gone, owner lock still held
        wait_until(lambda: segment._fd == -1, what="the client unmapped")
        assert len(segments(node)) == 1


def test_a_corrupt_record_length_closes_the_link_naming_ring_position_and_value(node: FakeNode) -> None:
    with ShmTransport(node.path, DIGEST) as transport:
        session = node.next_session()
        subscriber = transport.subscriber(CounterUpdate)
        session.wait_interest(1002)
        session.send_frame(1002, CounterUpdate(1, 2, 3).to_bytes())
        assert subscriber.recv(WAIT) == CounterUpdate(1, 2, 3)
        assert session.shm is not None
        at = session.shm.ring0 + layout.RING_CONTROL_LENGTH + 32  # the next record slot (the first took 32 bytes)
        session.shm.view[at + 4:at + 8] = struct.pack("<i", 1)
        session.shm.region.store_u32(at, 0x7FFF0000)
        session.ring_doorbell()
        with pytest.raises(ConnectionLost, match=r"ring 0 is corrupt at position 32 \(index 32\): length 2147418112"):
            subscriber.recv(WAIT)
        goodbye = session.next_control_of(wire.Goodbye)
        assert isinstance(goodbye, wire.Goodbye) and goodbye.reason is wire.GoodbyeReason.PROTOCOL_ERROR


@pytest.mark.parametrize("length, kind, field", [(4, 1, "length 4"), (16, 7, "kind 7"), (24, 1, "frame payload length")])
def test_other_corrupt_records_close_the_link(node: FakeNode, length: int, kind: int, field: str) -> None:
    with ShmTransport(node.path, DIGEST) as transport:
        session = node.next_session()
        subscriber = transport.subscriber(CounterUpdate)
        assert session.shm is not None
        at = session.shm.ring0 + layout.RING_CONTROL_LENGTH
        session.shm.view[at + 4:at + 14] = struct.pack("<iHI", kind, 1002, 99)
        session.shm.region.store_u32(at, length)
        session.ring_doorbell()
        with pytest.raises(ConnectionLost, match=field):
            subscriber.recv(WAIT)


def test_a_byte_other_than_a_doorbell_on_the_control_socket_is_a_protocol_error(node: FakeNode) -> None:
    with ShmTransport(node.path, DIGEST) as transport:
        session = node.next_session()
        subscriber = transport.subscriber(CounterUpdate)
        session.send_raw(b"\x01\x07")
        with pytest.raises(ConnectionLost, match="byte 0x07 on the control socket"):
            subscriber.recv(WAIT)


def test_a_full_ring_blocks_the_publisher_counted_until_close(tmp_path: Path, atomics: str) -> None:
    with FakeNode(str(tmp_path / "node.shm"), shm=True, capacities=(4096, 4096), read=False) as node:
        transport = ShmTransport(node.path, DIGEST).connect()
        node.next_session()
        publisher = transport.publisher(TextMessage)
        outcome: list[BaseException] = []

        def flood() -> None:
            try:
                for index in range(100):  # 12 records fill 4 KiB
                    publisher.publish(TextMessage("py", "full", index))
            except BaseException as error:  # noqa: BLE001 - recorded for the assertion
                outcome.append(error)

        thread = threading.Thread(target=flood)
        thread.start()
        wait_until(lambda: transport.stats().ring_full_waits == 1, what="a publish waiting on the full ring")
        assert thread.is_alive()
        started = time.monotonic()
        transport.close()  # GOODBYE cannot fit: it waits at most 1 s, then the link closes
        thread.join(WAIT)
        assert time.monotonic() - started < 3.0
        assert len(outcome) == 1 and isinstance(outcome[0], NotConnected)
        assert transport.stats().frames_sent == 12


def test_digest_mismatch_is_rejected_in_the_handshake_before_any_segment(tmp_path: Path, atomics: str) -> None:
    with FakeNode(str(tmp_path / "node.shm"), shm=True) as node:
        with pytest.raises(HandshakeRejected, match=OTHER_DIGEST.hex()):
            ShmTransport(node.path, OTHER_DIGEST).connect()
        assert segments(node) == []


def test_legacy_is_refused_at_construction() -> None:
    with pytest.raises(ValueError, match="legacy"):
        ShmTransport("/tmp/x.shm", DIGEST, legacy=True)


def test_a_plain_unix_endpoint_is_named_when_no_shm_attach_follows(tmp_path: Path) -> None:
    with FakeNode(str(tmp_path / "node.sock")) as node:
        with pytest.raises(HandshakeFailed, match="SHM_ATTACH"):
            ShmTransport(node.path, DIGEST, connect_timeout=0.5).connect()


# ---- segments the client refuses ---------------------------------------------------------------------------------

def _poke(offset: int, data: bytes) -> Callable[[str, int], None]:
    return lambda path, fd: os.pwrite(fd, data, offset) and None


def _chmod(mode: int) -> Callable[[str, int], None]:
    return lambda path, fd: os.fchmod(fd, mode)


def _truncate(size: int) -> Callable[[str, int], None]:
    return lambda path, fd: os.ftruncate(fd, size)


def _replace_with_directory(path: str, fd: int) -> None:
    os.unlink(path)
    os.mkdir(path, 0o700)


def _replace_with_symlink(path: str, fd: int) -> None:
    os.rename(path, path + ".real")
    os.symlink(path + ".real", path)


def _replace_with_fifo(path: str, fd: int) -> None:
    os.unlink(path)
    os.mkfifo(path, 0o600)


REFUSALS = [
    ("magic", _poke(0, b"MYCSHM02"), layout.AttachStatus.BAD_SEGMENT, "magic"),
    ("version", _poke(8, struct.pack("<I", 2)), layout.AttachStatus.BAD_SEGMENT, "version: 2"),
    ("header_length", _poke(12, struct.pack("<I", 8192)), layout.AttachStatus.BAD_SEGMENT, "header_length"),
    ("digest", _poke(16, OTHER_DIGEST), layout.AttachStatus.BAD_SEGMENT, OTHER_DIGEST.hex()),
    ("capacity", _poke(48, struct.pack("<I", 65535)), layout.AttachStatus.BAD_SEGMENT, "capacity0: 65535 is not"),
    ("max record", _poke(56, struct.pack("<I", 9999)), layout.AttachStatus.BAD_SEGMENT, "max_record_length"),
    ("state", _poke(68, struct.pack("<I", 0)), layout.AttachStatus.BAD_SEGMENT, "state: 0"),
    ("size", _truncate(4096 + 512 + 65536), layout.AttachStatus.BAD_SEGMENT, "size"),
    ("short", _truncate(100), layout.AttachStatus.BAD_SEGMENT, "shorter than the 4096-byte header"),
    ("mode", _chmod(0o644), layout.AttachStatus.NOT_PERMITTED, "mode 0644"),
    ("directory", _replace_with_directory, layout.AttachStatus.NOT_PERMITTED, "type: not a regular file"),
    ("symlink", _replace_with_symlink, layout.AttachStatus.NOT_PERMITTED, "symbolic link"),
    ("fifo", _replace_with_fifo, layout.AttachStatus.NOT_PERMITTED, "not a regular file"),
    ("missing", lambda path, fd: os.unlink(path), layout.AttachStatus.NOT_PERMITTED, "file: does not exist"),
]


@pytest.mark.parametrize("hook, status, why", [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_a_bad_segment_is_refused_naming_file_and_field(tmp_path: Path, atomics: str,
                                                        hook: Callable[[str, int], None], status: int,
                                                        why: str) -> None:
    with FakeNode(str(tmp_path / "node.shm"), shm=True, segment_hook=hook) as node:
        with pytest.raises(SegmentRefused, match=why) as refused:
            ShmTransport(node.path, DIGEST).connect()
        assert refused.value.path.startswith(str(tmp_path / "node.shm."))
        assert refused.value.path in str(refused.value)
        session = node.next_session()
        assert session.kind == "shm-refused"
        assert session.attached is not None and session.attached.status == status
        assert session.attached.text == refused.value.why


def test_capacities_that_differ_from_shm_attach_are_refused(tmp_path: Path, atomics: str) -> None:
    def double(attach: layout.ShmAttach) -> layout.ShmAttach:
        return layout.ShmAttach(attach.capacity0, attach.capacity1 * 2, attach.path)

    with FakeNode(str(tmp_path / "node.shm"), shm=True, attach_hook=double) as node:
        with pytest.raises(SegmentRefused, match="capacity1: 65536 in the header but 131072 in SHM_ATTACH"):
            ShmTransport(node.path, DIGEST).connect()
        assert node.next_session().attached.status == layout.AttachStatus.BAD_SEGMENT  # type: ignore[union-attr]


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_segment_owned_by_another_user_is_refused(tmp_path: Path, atomics: str) -> None:
    with FakeNode(str(tmp_path / "node.shm"), shm=True, segment_hook=lambda path, fd: os.fchown(fd, 65534, -1)) as node:
        with pytest.raises(SegmentRefused, match="owner: owned by uid 65534"):
            ShmTransport(node.path, DIGEST).connect()
        assert node.next_session().attached.status == layout.AttachStatus.NOT_PERMITTED  # type: ignore[union-attr]


def test_without_ordered_atomics_the_segment_is_refused_clearly(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeNode(str(tmp_path / "node.shm"), shm=True) as node:
        monkeypatch.setattr(shmring, "atomics_implementation", lambda: "unavailable")
        with pytest.raises(AtomicsUnavailable, match="C extension mycelium._shm_atomics"):
            ShmTransport(node.path, DIGEST).connect()
        assert node.next_session().attached.status == layout.AttachStatus.NOT_PERMITTED  # type: ignore[union-attr]


# ---- codecs and ordered access -----------------------------------------------------------------------------------

def test_attach_messages_round_trip_and_bad_fields_are_named() -> None:
    attach = layout.ShmAttach(4096, 8192, "/dev/shm/mycelium/a.shm.1.2")
    encoded = layout.encode_shm(attach)
    assert struct.unpack_from("<H", encoded)[0] == len(encoded) - 2 and encoded[8:10] == b"\x04\x00"
    assert layout.decode_shm_attach(encoded) == attach
    attached = layout.ShmAttached(2, "mode 0644")
    assert layout.decode_shm_attached(layout.encode_shm(attached)) == attached
    with pytest.raises(wire.HandshakeError) as bad:
        layout.decode_shm_attach(encoded[:-1])
    assert bad.value.field == "length"
    with pytest.raises(wire.HandshakeError) as bad:
        layout.decode_shm_attach(encoded[:8] + b"\x05\x00" + encoded[10:])
    assert bad.value.field == "kind"
    relative = layout.encode_shm(layout.ShmAttach(4096, 4096, "a.shm"))
    with pytest.raises(wire.HandshakeError, match="not an absolute path"):
        layout.decode_shm_attach(relative)
    forged = layout.encode_shm(layout.ShmAttach(4096, 4096, "/tmp/a.shm\nWARN forged"))
    with pytest.raises(wire.HandshakeError, match="control characters"):
        layout.decode_shm_attach(forged)


@pytest.fixture(params=["c-extension", "pure-python"])
def region(request: pytest.FixtureRequest) -> Iterator[shmring.Region]:
    import mmap
    mapping = mmap.mmap(-1, 4096)
    if request.param == "c-extension":
        if shmring.atomics_implementation() != "c-extension":
            pytest.skip("the C extension is not built here")
        from mycelium import _shm_atomics
        made: shmring.Region = _shm_atomics.Region(mapping)
    else:
        made = shmring.TsoRegion(mapping)
    yield made
    made.release()
    mapping.close()


def test_both_atomics_paths_read_write_exchange_and_wait_alike(region: shmring.Region) -> None:
    region.store_u64(8, 2**64 - 1)
    assert region.load_u64(8) == 2**64 - 1 and region.load_u32(8) == 2**32 - 1
    assert region.exchange_u32(8, 5) == 2**32 - 1 and region.load_u32(8) == 5
    region.fence()
    assert region.wait_u32(16, 1000, 1000) == 0
    threading.Timer(0.02, lambda: region.store_u32(16, 9)).start()
    deadline = time.monotonic() + WAIT
    while region.wait_u32(16, 1_000_000, 1_000_000) == 0:
        assert time.monotonic() < deadline
    assert region.load_u32(16) == 9
    with pytest.raises((ValueError, struct.error)):
        region.load_u64(4092)
    region.release()
    with pytest.raises(ValueError, match="released"):
        region.load_u32(0)
