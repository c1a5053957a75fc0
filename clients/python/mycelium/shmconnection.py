"""A client connection whose frames travel through a shared-memory segment (docs/wire.md §7).

:class:`Segment` opens, checks and maps the segment a node attached; :class:`ShmConnection` is a
:class:`mycelium.connection.Connection` (same handshake, interest, PING answers, GOODBYE, counters and errors) whose
frames go through the segment's rings instead of the socket, which then carries only doorbell bytes (0x01) and whose
end of file means the node is gone. Threading as for Connection: publishers write ring 1 under the send lock, the
reader thread alone reads ring 0, writes the client heartbeat and finally unmaps the segment.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import mmap
import os
import select
import socket
import struct
import threading
import time
from typing import Final

from mycelium import wire
from mycelium.connection import Connection
from mycelium.errors import ConnectionLost, LinkError, MyceliumError
from mycelium.shmring import Region, RingConsumer, RingProducer, open_region
from mycelium.wire import shm as layout
from mycelium.wire.shm import AttachStatus, SegmentHeader, SegmentRefused, ShmAttach

__all__ = ["DEFAULT_SPIN_MICROS", "DEFAULT_YIELD_MICROS", "Segment", "ShmConnection"]

_LOG = logging.getLogger("mycelium.link")
DEFAULT_SPIN_MICROS: Final = 0
"""How long the reader spins (CPU pause, no GIL) on an empty ring before yielding. 0 by default: what the reader
reads is handed to another thread of this process (the subscriber's ``recv``), which needs a CPU; yielding gives it
one where spinning competes with it (one-way p50 22 us yielding against 75 us spinning 50 us, 2 loaded cores)."""
DEFAULT_YIELD_MICROS: Final = 200
"""How long it then polls the ring between ``sched_yield`` calls before parking on the control socket."""
PARK_SECONDS: Final = 0.1
"""A parked reader re-checks the ring this often: a lost doorbell costs at most this, never a hang."""
HEARTBEAT_SECONDS: Final = 0.25
_DOORBELL: Final = b"\x01"
_FULL_BACKOFF_SECONDS: Final = (0.0, 0.00005, 0.0002, 0.001)
_GOODBYE_WAIT_SECONDS: Final = 1.0


class Segment:
    """One mapped segment file: the header's words, the ring this client writes (1) and the one it reads (0)."""

    def __init__(self, path: str, fd: int, header: SegmentHeader, mapping: mmap.mmap, region: Region) -> None:
        self.path = path
        self.header = header
        self._fd = fd
        self._mapping = mapping
        self._view = memoryview(mapping)
        self.region = region
        capacity0, capacity1 = header.capacity0, header.capacity1
        self.producer = RingProducer(region, self._view, layout.ring_offset(1, capacity0), capacity1,
                                     header.max_record_length)
        self.consumer = RingConsumer(region, self._view, layout.ring_offset(0, capacity0), capacity0,
                                     header.max_record_length, f"shared-memory segment {path} ring 0")

    @classmethod
    def attach(cls, attach: ShmAttach, digest: bytes) -> Segment:
        """Open, check (:func:`mycelium.wire.shm.check_segment`) and map the segment SHM_ATTACH names.

        Raises SegmentRefused naming the file and the field, AtomicsUnavailable without ordered memory access.
        """
        path = attach.path
        try:
            fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
        except OSError as error:
            raise _open_refusal(path, error) from error
        try:
            header = layout.check_segment(path, fd, attach, digest)
            mapping = mmap.mmap(fd, layout.segment_length(header.capacity0, header.capacity1), mmap.MAP_SHARED,
                                mmap.PROT_READ | mmap.PROT_WRITE)
        except BaseException:
            os.close(fd)
            raise
        try:
            segment = cls(path, fd, header, mapping, open_region(mapping))
        except BaseException:
            mapping.close()
            os.close(fd)
            raise
        segment.region.store_u32(layout.CLIENT_PID_OFFSET, os.getpid())
        segment.beat()
        return segment

    def beat(self) -> None:
        """Write the client heartbeat (CLOCK_REALTIME milliseconds)."""
        self.region.store_u64(layout.CLIENT_HEARTBEAT_OFFSET, time.time_ns() // 1_000_000)

    def close(self, closed_by_client: bool) -> None:
        """Unmap and close the file (state 3, closed by client, first when this side closed). Idempotent."""
        if self._fd < 0:
            return
        if closed_by_client:
            self.region.store_u32(layout.STATE_OFFSET, layout.STATE_CLOSED_BY_CLIENT)
        self.region.release()
        self._view.release()
        self._mapping.close()
        os.close(self._fd)
        self._fd = -1

    def remove_if_stale(self) -> bool:
        """Remove the file when no process holds its owner's lock (the server is gone); return whether it did."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            return False  # already removed (the server cleaned up)
        try:
            _try_lock(fd)
        except OSError:
            return False  # a live owner holds it
        finally:
            os.close(fd)
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            return False
        return True


_FLOCK: Final = struct.Struct("@hhqqi4x")  # struct flock on Linux x86-64/aarch64: type, whence, start, len, pid


def _try_lock(fd: int) -> None:
    """Take a write lock on byte 0 (the owner's, docs/wire.md §7) or raise OSError when a live process holds it.

    An open-file-description lock where Linux has one: it conflicts with the owner's lock even when the owner is
    this very process (a test's fake node), where a classic fcntl lock would be granted to the same process.
    """
    ofd = getattr(fcntl, "F_OFD_SETLK", None)
    if ofd is None:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 0)
        return
    fcntl.fcntl(fd, ofd, _FLOCK.pack(fcntl.F_WRLCK, os.SEEK_SET, 0, 1, 0))


def _open_refusal(path: str, error: OSError) -> SegmentRefused:
    if error.errno == errno.ELOOP:
        return SegmentRefused(path, "type", AttachStatus.NOT_PERMITTED, "a symbolic link, not a regular file")
    if error.errno in (errno.EISDIR, errno.ENXIO):
        return SegmentRefused(path, "type", AttachStatus.NOT_PERMITTED, "not a regular file")
    if error.errno == errno.ENOENT:
        return SegmentRefused(path, "file", AttachStatus.NOT_PERMITTED, "does not exist (the node removed it, or "
                                                                        "this process sees another /dev/shm)")
    return SegmentRefused(path, "file", AttachStatus.NOT_PERMITTED, f"cannot open it: {error.strerror}")


class ShmConnection(Connection):
    """A :class:`Connection` over a mapped segment: frames through the rings, doorbells on the socket."""

    def __init__(self, sock: socket.socket, server: str, accept: wire.Accept, max_payload_length: int,
                 segment: Segment, spin_micros: int, yield_micros: int) -> None:
        largest = segment.producer.max_frame_length - wire.HEADER_LENGTH
        super().__init__(sock, server, False, accept, min(max_payload_length, largest))
        self.segment = segment
        self._spin_ns = spin_micros * 1000
        self._yield_ns = yield_micros * 1000
        # (thread, deadline) of a GOODBYE being written: only that write gives up on a full ring
        self._goodbye_write: tuple[int, float] | None = None

    # ---- publishers (send lock held) ------------------------------------------------------------------------

    def _write(self, data: bytes) -> None:
        producer = self.segment.producer
        if not producer.offer(data):
            self._ring_full_waits += 1
            attempt = 0
            while not producer.offer(data):
                # Like a socket send on a full buffer: wait for the node to make room while the link lives.
                self._check_alive()
                limit = self._goodbye_write
                if limit is not None and limit[0] == threading.get_ident() and time.monotonic() > limit[1]:
                    raise LinkError(f"the shared-memory ring to server {self.server} stayed full for "
                                    f"{_GOODBYE_WAIT_SECONDS} s (the node is not reading)")
                time.sleep(_FULL_BACKOFF_SECONDS[min(attempt, len(_FULL_BACKOFF_SECONDS) - 1)])
                attempt += 1
        if producer.consumer_needs_doorbell():
            self._sock.send(_DOORBELL)

    def _say_goodbye(self, reason: wire.GoodbyeReason, text: str) -> None:
        # A GOODBYE is a courtesy: never wait long for room in a full ring for it.
        self._goodbye_write = (threading.get_ident(), time.monotonic() + _GOODBYE_WAIT_SECONDS)
        try:
            super()._say_goodbye(reason, text)
        finally:
            self._goodbye_write = None

    # ---- the reader thread ----------------------------------------------------------------------------------

    def _pump(self) -> MyceliumError:
        segment = self.segment
        consumer = segment.consumer
        region = segment.region
        sock = self._sock
        spin_ns, yield_ns = self._spin_ns, self._yield_ns
        next_beat = time.monotonic() + HEARTBEAT_SECONDS
        while True:
            stop = self._drain(consumer)
            if stop is not None:
                return stop
            if self._end is not None:
                return self._end
            now = time.monotonic()
            if now >= next_beat:
                segment.beat()
                next_beat = now + HEARTBEAT_SECONDS
            if region.wait_u32(consumer.length_offset(), spin_ns, yield_ns) != 0:
                continue
            if not consumer.prepare_to_park():
                continue
            try:
                ready, _, _ = select.select([sock], [], [], PARK_SECONDS)
                data = sock.recv(4096) if ready else None
            except ConnectionResetError:
                # A node that dies with doorbell bytes of ours unread resets the socket instead of closing it:
                # the same end as an EOF (what it wrote to the ring before dying is still read below).
                data = b""
            except (OSError, ValueError) as error:  # ValueError: the socket was closed by close()
                consumer.clear_waiting()
                return self._local_close() or ConnectionLost(f"server {self.server} broke the control socket: "
                                                             f"{error}")
            consumer.clear_waiting()
            if data is None:
                continue
            if not data:
                return self._drain(consumer) or self._local_close() or ConnectionLost(
                    f"server {self.server} closed its control socket without a GOODBYE (the node stopped or "
                    f"crashed)")
            if data.count(_DOORBELL) != len(data):
                odd = next(byte for byte in data if byte != 1)
                text = (f"byte {odd:#04x} on the control socket after attach: only doorbell bytes (0x01) may "
                        f"travel there")
                self._say_goodbye(wire.GoodbyeReason.PROTOCOL_ERROR, text)
                return ConnectionLost(f"server {self.server} sent {text}")

    def _drain(self, consumer: RingConsumer) -> MyceliumError | None:
        """Dispatch every frame waiting in ring 0; why the link ends when a frame or the ring says so."""
        while True:
            frames, corrupt = consumer.poll()
            if frames:
                stop = self._dispatch(frames)
                if stop is not None:
                    return stop
            if corrupt is not None:
                self._say_goodbye(wire.GoodbyeReason.PROTOCOL_ERROR, str(corrupt))
                return ConnectionLost(f"server {self.server}: {corrupt}")
            if not frames:
                return None

    def _reader_done(self) -> None:
        # Publishers write the mapping under the send lock and check the end first; the link has ended by now.
        with self._send_lock:
            server_gone = not self._closing
            self.segment.close(closed_by_client=not server_gone)
        if server_gone and self.segment.remove_if_stale():
            _LOG.info("removed shared-memory segment %s of server %s: its owner is gone", self.segment.path,
                      self.server)
