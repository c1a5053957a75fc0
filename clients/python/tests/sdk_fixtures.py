"""Test doubles for the SDK tests: hand-made message classes (the shape codegen emits) and a small node server.

``FakeNode`` is a pure-Python server over real sockets (Unix or TCP on 127.0.0.1) implementing the server side of
the v1 and legacy handshakes with ``mycelium.wire``; with ``shm=True`` its Unix socket is a shared-memory endpoint's
control socket (docs/wire.md §7): it creates a segment per connection (0600, owner lock), sends SHM_ATTACH and
moves frames through the rings (``ShmServerSide``). It forwards each application frame it receives to every
session that wants the type (v1: subscribed; legacy: all), the sender included, and lets tests inject frames,
control frames and raw bytes, and kill connections. Every wait is bounded.
"""

from __future__ import annotations

import fcntl
import hashlib
import mmap
import os
import select
import queue
import socket
import ssl
import struct
import threading
import time
from dataclasses import dataclass
from typing import Callable, ClassVar

from mycelium import wire
from mycelium.errors import TlsFailed
from mycelium.shmconnection import _try_lock as try_lock
from mycelium.shmring import RingConsumer, RingProducer, open_region
from mycelium.tls import TlsSocket
from mycelium.wire import shm as layout

DIGEST = hashlib.sha256(b"contracts.yaml of the SDK tests").digest()
OTHER_DIGEST = hashlib.sha256(b"some other contracts.yaml").digest()
WAIT = 5.0


def wait_until(condition: Callable[[], bool], timeout: float = WAIT, what: str = "condition") -> None:
    """Poll ``condition`` every 5 ms until true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.005)


# ---- stand-in message classes ------------------------------------------------------------------------------------

@dataclass
class CounterUpdate:
    """The original's CounterUpdate (type 1002): u64 counter_id, i32 value, i32 delta; 16 bytes."""

    counter_id: int = 0
    value: int = 0
    delta: int = 0
    TYPE_ID: ClassVar[int] = 1002
    SIZE: ClassVar[int] = 16
    _STRUCT: ClassVar[struct.Struct] = struct.Struct("<Qii")

    def to_bytes(self) -> bytes:
        return self._STRUCT.pack(self.counter_id, self.value, self.delta)

    @classmethod
    def from_bytes(cls, payload: bytes) -> CounterUpdate:
        if len(payload) != cls.SIZE:
            raise ValueError(f"CounterUpdate: payload of {len(payload)} bytes, expected exactly {cls.SIZE} "
                             f"(type id {cls.TYPE_ID})")
        return cls(*cls._STRUCT.unpack(payload))


@dataclass
class TextMessage:
    """The original's TextMessage (type 1001): sender String(32), content String(256), u64 timestamp; 312 bytes."""

    sender: str = ""
    content: str = ""
    timestamp: int = 0
    TYPE_ID: ClassVar[int] = 1001
    SIZE: ClassVar[int] = 312
    _STRUCT: ClassVar[struct.Struct] = struct.Struct("<H6x32sH6x256sQ")

    def to_bytes(self) -> bytes:
        sender = self.sender.encode()
        content = self.content.encode()
        if len(sender) > 32 or len(content) > 256:
            raise ValueError("TextMessage: sender or content above capacity")
        return self._STRUCT.pack(len(sender), sender, len(content), content, self.timestamp)

    @classmethod
    def from_bytes(cls, payload: bytes) -> TextMessage:
        if len(payload) != cls.SIZE:
            raise ValueError(f"TextMessage: payload of {len(payload)} bytes, expected exactly {cls.SIZE} "
                             f"(type id {cls.TYPE_ID})")
        sender_length, sender, content_length, content, timestamp = cls._STRUCT.unpack(payload)
        return cls(sender[:sender_length].decode(), content[:content_length].decode(), timestamp)


class Blob:
    """A 64 KiB message (type 1500) for filling socket buffers."""

    TYPE_ID: ClassVar[int] = 1500
    SIZE: ClassVar[int] = 65536

    def __init__(self, data: bytes = bytes(65536)) -> None:
        self.data = data

    def to_bytes(self) -> bytes:
        return self.data

    @classmethod
    def from_bytes(cls, payload: bytes) -> Blob:
        return cls(bytes(payload))


Message = CounterUpdate  # the Migration Path snippet's "Message"


# ---- the server ------------------------------------------------------------------------------------------------

class ShmServerSide:
    """The node's side of one attached segment: it writes ring 0, reads ring 1, rings and reads doorbells."""

    def __init__(self, path: str, fd: int, capacity0: int, capacity1: int) -> None:
        self.path = path
        self.fd = fd
        self.mapping = mmap.mmap(fd, layout.segment_length(capacity0, capacity1))
        self.view = memoryview(self.mapping)
        self.region = open_region(self.mapping)
        max_record = min(capacity0, capacity1) // 8
        self.producer = RingProducer(self.region, self.view, layout.ring_offset(0, capacity0), capacity0, max_record)
        self.consumer = RingConsumer(self.region, self.view, layout.ring_offset(1, capacity0), capacity1, max_record,
                                     f"{path} ring 1")
        self.ring0 = layout.ring_offset(0, capacity0)
        self.doorbells_sent = 0
        self.closed = False
        self.remove = True

    def send(self, sock: socket.socket, data: bytes) -> None:
        decoder = wire.FrameDecoder()
        for frame in decoder.feed(data):
            encoded = wire.encode_frame(frame.type_id, frame.payload)
            deadline = time.monotonic() + WAIT
            while not self.producer.offer(encoded):
                if time.monotonic() > deadline:
                    raise OSError("ring 0 stayed full")
                time.sleep(0.0005)
            if self.producer.consumer_needs_doorbell():
                self.doorbells_sent += 1
                sock.send(b"\x01")

    def read_frames(self, sock: socket.socket, on_frame: Callable[[wire.Frame], None]) -> None:
        """Until the control socket ends: dispatch ring 1's frames, parking on the socket when it is empty."""
        while True:
            frames, corrupt = self.consumer.poll()
            for frame in frames:
                on_frame(frame)
            if corrupt is not None:
                raise OSError(str(corrupt))
            if frames:
                continue
            if self.region.wait_u32(self.consumer.length_offset(), 20_000, 200_000):
                continue
            if not self.consumer.prepare_to_park():
                continue
            try:
                ready, _, _ = select.select([sock], [], [], 0.05)
            except ValueError:  # the test killed the session: its socket is closed
                return
            self.consumer.clear_waiting()
            if ready and not sock.recv(4096):
                for frame in self.consumer.poll()[0]:
                    on_frame(frame)
                return

    def release(self) -> None:
        """Unmap, drop the owner's lock and remove the file (what the node does when a link ends)."""
        if self.closed:
            return
        self.closed = True
        self.region.release()
        self.view.release()
        self.mapping.close()
        if self.fd >= 0:
            os.close(self.fd)
        if self.remove and os.path.exists(self.path):
            os.unlink(self.path)


class Session:
    """The server side of one accepted connection."""

    def __init__(self, node: FakeNode, sock: socket.socket) -> None:
        self.node = node
        self.sock = sock
        self.kind = "pending"          # pending | v1 | legacy | rejected | closed-silently
        self.hello: wire.Hello | None = None
        self.interest: set[int] = set()
        self.frames: queue.Queue[wire.Frame] = queue.Queue()
        self.controls: queue.Queue[wire.ControlFrame] = queue.Queue()
        self.closed = threading.Event()
        self.killed = threading.Event()
        self._send_lock = threading.Lock()
        self.shm: ShmServerSide | None = None
        self.attached: layout.ShmAttached | None = None

    def send(self, data: bytes) -> None:
        with self._send_lock:
            if self.shm is not None:
                self.shm.send(self.sock, data)
            else:
                self.sock.sendall(data)

    def send_raw(self, data: bytes) -> None:
        """Bytes on the socket itself (on an shm link: where only doorbells belong)."""
        with self._send_lock:
            self.sock.sendall(data)

    def ring_doorbell(self) -> None:
        """One doorbell byte; a reader that polled the ring, found a corrupt record and closed already is fine."""
        try:
            self.send_raw(b"\x01")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def send_frame(self, type_id: int, payload: bytes) -> None:
        self.send(wire.encode_frame(type_id, payload))

    def send_control(self, frame: wire.ControlFrame) -> None:
        self.send(wire.encode_control(frame))

    def next_frame(self, timeout: float = WAIT) -> wire.Frame:
        return self.frames.get(timeout=timeout)

    def next_control(self, timeout: float = WAIT) -> wire.ControlFrame:
        return self.controls.get(timeout=timeout)

    def wait_interest(self, type_id: int, present: bool = True) -> None:
        wait_until(lambda: (type_id in self.interest) == present, what=f"interest in {type_id} == {present}")

    def next_control_of(self, kind: type[wire.ControlFrame], timeout: float = WAIT) -> wire.ControlFrame:
        """The next control frame of class ``kind``, skipping others."""
        deadline = time.monotonic() + timeout
        while True:
            control = self.controls.get(timeout=max(0.0, deadline - time.monotonic()))
            if isinstance(control, kind):
                return control

    def crash(self) -> None:
        """Die as a SIGKILLed node would: the socket closes and the segment's owner lock goes, the file stays."""
        assert self.shm is not None
        unlock = struct.pack("@hhqqi4x", fcntl.F_UNLCK, os.SEEK_SET, 0, 1, 0)
        fcntl.fcntl(self.shm.fd, getattr(fcntl, "F_OFD_SETLK", fcntl.F_SETLK), unlock)  # the owner's lock goes
        os.close(self.shm.fd)
        self.shm.fd = -1
        self.shm.remove = False
        self.kill()

    def kill(self) -> None:
        """Close abruptly, as a crashed server would (no GOODBYE)."""
        self.killed.set()
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class FakeNode:
    """A node server for tests; ``mode`` is "v1" (v1 and legacy clients), "original" (an original Mycelium server:
    legacy handshake only, closes on a v1 HELLO), "silent" (never answers) or "raw" (answers with ``raw_reply``)."""

    def __init__(self, address: str | None = None, digest: bytes = DIGEST, name: str = "fake-node",
                 mode: str = "v1", raw_reply: bytes = b"", echo: bool = True, read: bool = True,
                 tls: ssl.SSLContext | None = None, shm: bool = False, capacities: tuple[int, int] = (65536, 65536),
                 segment_hook: Callable[[str, int], None] | None = None,
                 attach_hook: Callable[[layout.ShmAttach], layout.ShmAttach] | None = None) -> None:
        """``shm``: a shared-memory endpoint with rings of ``capacities``; ``segment_hook(path, fd)`` may spoil the
        segment and ``attach_hook`` the SHM_ATTACH before it is sent."""
        self.tls = tls
        self.shm = shm
        self.capacities = capacities
        self.segment_hook = segment_hook
        self.attach_hook = attach_hook
        self._segments = 0
        self.digest = digest
        self.read = read
        self.name = name
        self.mode = mode
        self.raw_reply = raw_reply
        self.echo = echo
        if address is None:
            self.listener = socket.create_server(("127.0.0.1", 0))
            self.host, self.port = self.listener.getsockname()[:2]
            self.path: str | None = None
        else:
            os.makedirs(os.path.dirname(address), exist_ok=True)
            self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.listener.bind(address)
            self.listener.listen()
            self.path = address
        self.sessions: list[Session] = []
        self._accepted: queue.Queue[Session] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._stopping = False
        thread = threading.Thread(target=self._accept_loop, name="fake-node-accept", daemon=True)
        thread.start()
        self._threads.append(thread)

    def __enter__(self) -> FakeNode:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def next_session(self, timeout: float = WAIT) -> Session:
        """The next accepted connection whose handshake has been handled."""
        return self._accepted.get(timeout=timeout)

    def stop(self) -> None:
        self._stopping = True
        try:
            try:
                self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
            except OSError:
                pass
            self.listener.close()
        finally:
            for session in list(self.sessions):
                session.kill()
            for thread in self._threads:
                thread.join(WAIT)
            for session in list(self.sessions):
                if session.shm is not None:  # after its reader thread ended (joined above): no one maps it
                    session.shm.release()
            if self.path is not None and os.path.exists(self.path):
                os.unlink(self.path)

    def _accept_loop(self) -> None:
        while not self._stopping:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            session = Session(self, sock)
            self.sessions.append(session)
            thread = threading.Thread(target=self._serve, args=(session,), name="fake-node-session", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, session: Session) -> None:
        try:
            if self.tls is not None:
                secured = TlsSocket(session.sock, self.tls, None, "test client", server_side=True)
                session.sock = secured  # type: ignore[assignment]
                try:
                    secured.handshake()
                except TlsFailed as error:
                    session.kind = f"tls-failed: {error}"
                    self._accepted.put(session)
                    return
            leftover = self._handshake(session)
            if session.kind == "v1" and self.shm:
                self._attach(session)
            if session.kind in ("v1", "legacy"):
                self._accepted.put(session)
                if not self.read:
                    session.killed.wait(WAIT)  # a stalled server: its socket buffers fill up
                    return
                self._read_frames(session, leftover)
            else:
                self._accepted.put(session)
        except OSError:
            pass
        finally:
            session.closed.set()
            session.sock.close()

    def _handshake(self, session: Session) -> bytes:
        reader = wire.HandshakeReader()
        data = b""
        while reader.status is wire.HandshakeStatus.NEED_MORE:
            chunk = session.sock.recv(4096)
            if not chunk:
                session.kind = "closed-silently"
                return b""
            used = reader.feed(chunk)
            data = chunk[used:]
        if reader.status is wire.HandshakeStatus.LEGACY:
            if reader.legacy_digest != self.digest:
                session.kind = "closed-silently"
                return b""
            session.kind = "legacy"
            return data
        if self.mode == "original":
            session.kind = "closed-silently"
            return b""
        if self.mode == "silent":
            session.kind = "silent"
            session.killed.wait(WAIT)
            return b""
        if self.mode == "raw":
            session.send(self.raw_reply)
            session.kind = "rejected"
            return b""
        if reader.status is wire.HandshakeStatus.MALFORMED:
            assert reader.failure is not None
            session.send(wire.encode_handshake(wire.Reject(wire.RejectReason.MALFORMED, self.digest,
                                                           text=str(reader.failure)[:1000])))
            session.kind = "rejected"
            return b""
        assert reader.hello is not None
        session.hello = reader.hello
        if not wire.constant_time_equal(reader.hello.digest, self.digest):
            session.send(wire.encode_handshake(wire.Reject(
                wire.RejectReason.DIGEST_MISMATCH, self.digest, reader.hello.digest,
                f"schema digest {reader.hello.digest.hex()} of client '{reader.hello.name}' differs from "
                f"{self.digest.hex()} of node '{self.name}'")))
            session.kind = "rejected"
            return b""
        session.send(wire.encode_handshake(wire.Accept(self.name)))
        session.kind = "v1"
        return data

    def _attach(self, session: Session) -> None:
        """Create this connection's segment as a node does, send SHM_ATTACH and read the client's SHM_ATTACHED."""
        assert self.path is not None
        self._segments += 1
        path = f"{self.path}.{os.getpid()}.{self._segments}"
        capacity0, capacity1 = self.capacities
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        os.ftruncate(fd, layout.segment_length(capacity0, capacity1))
        # An open-file-description lock: a classic one would be dropped when the client, in this same process,
        # closes its own descriptor of the file (the Java node holds a classic one in its own process).
        try_lock(fd)
        header = layout.SegmentHeader(self.digest, capacity0, capacity1, min(capacity0, capacity1) // 8, os.getpid())
        os.pwrite(fd, layout.encode_segment_header(header), 0)
        if self.segment_hook is not None:
            self.segment_hook(path, fd)
        attach = layout.ShmAttach(capacity0, capacity1, path)
        if self.attach_hook is not None:
            attach = self.attach_hook(attach)
        session.send_raw(layout.encode_shm(attach))
        reader = wire.SocketReader(session.sock, "test client", "SHM_ATTACHED")
        head = reader.read_exactly(2)
        rest = reader.read_exactly(int.from_bytes(head, "little")) if len(head) == 2 else b""
        if len(head) < 2:
            session.kind = "shm-closed"
        else:
            session.attached = layout.decode_shm_attached(head + rest)
        if session.attached is None or session.attached.status != layout.AttachStatus.OK:
            session.kind = "shm-refused"
            os.close(fd)
            if os.path.isdir(path) and not os.path.islink(path):
                os.rmdir(path)
            elif os.path.lexists(path):
                os.unlink(path)
            return
        session.shm = ShmServerSide(path, fd, capacity0, capacity1)

    def _read_frames(self, session: Session, leftover: bytes) -> None:
        if session.shm is not None:
            session.shm.read_frames(session.sock, lambda frame: self._on_frame(session, frame))
            return
        decoder = wire.FrameDecoder()
        data = leftover
        while True:
            for frame in decoder.feed(data):
                self._on_frame(session, frame)
            data = session.sock.recv(65536)
            if not data:
                return

    def _on_frame(self, session: Session, frame: wire.Frame) -> None:
        if wire.is_core_type_id(frame.type_id):
            if session.kind != "v1" or not wire.is_known_control_type(frame.type_id):
                return
            control = wire.decode_control(frame.type_id, frame.payload)
            if isinstance(control, wire.Subscribe):
                session.interest |= set(control.type_ids)
            elif isinstance(control, wire.Unsubscribe):
                session.interest -= set(control.type_ids)
            elif isinstance(control, wire.Ping):
                session.send_control(wire.Pong(control.nonce))
            session.controls.put(control)
            return
        session.frames.put(frame)
        if self.echo:
            for other in list(self.sessions):
                wanted = other.kind == "legacy" or (other.kind == "v1" and frame.type_id in other.interest)
                if wanted and not other.closed.is_set():
                    try:
                        other.send_frame(frame.type_id, frame.payload)
                    except OSError:
                        pass
