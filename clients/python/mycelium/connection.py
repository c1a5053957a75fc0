"""One established client connection to a Mycelium node: a reader thread, thread-safe sends, per-type routing.

Created by :meth:`mycelium.transport.Transport.connect` after the handshake. Threading contract: every public
method may be called from any thread; the reader thread (``mycelium-reader-<server>``) is the only one that reads
the socket, dispatches frames and writes the ``frames_*`` counters it owns.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from dataclasses import dataclass
from typing import Final

from mycelium import wire
from mycelium.dropqueue import DropOldestQueue
from mycelium.errors import ConnectionLost, LinkError, MyceliumError, NotConnected

__all__ = ["Connection", "ConnectionStats"]

_LOG = logging.getLogger("mycelium.link")
_READ_SIZE: Final = 256 * 1024
_CLOSE_JOIN_SECONDS: Final = 2.0
_GOODBYE_LOCK_SECONDS: Final = 1.0


@dataclass(frozen=True)
class ConnectionStats:
    """A snapshot of one connection's counters."""

    frames_received: int
    """Application frames read (delivered or not)."""
    frames_sent: int
    """Application frames written by publishers."""
    frames_not_wanted: int
    """Publishes not written because the server's SUBSCRIBE list excludes their type (v1 only)."""
    unknown_type_frames: int
    """Application frames skipped because no subscriber of this connection wants their type id."""
    unknown_control_frames: int
    """Core-range frames skipped because this client does not know them (a newer server)."""
    pings_answered: int
    """PINGs from the server answered with a PONG."""
    peer_interest: frozenset[int] | None
    """Type ids the server subscribed to, or None while it has not sent any SUBSCRIBE (or on legacy links)."""
    ring_full_waits: int = 0
    """Shared memory only: frames that found the ring to the node full and waited for room (as a socket send
    blocks while the socket buffer is full)."""


class Connection:
    """A connected, handshaken socket to one node; see the module docstring for the threading contract."""

    def __init__(self, sock: socket.socket, server: str, legacy: bool, accept: wire.Accept | None,
                 max_payload_length: int) -> None:
        self._sock = sock
        self.server = server
        """How the server is named in messages, e.g. ``unix socket /tmp/mycelium/a.sock``."""
        self.legacy = legacy
        self.server_name = accept.name if accept is not None else None
        """The node name from the server's ACCEPT (None on legacy links)."""
        self._max_payload = max_payload_length
        self._send_lock = threading.Lock()
        # Guards _routes, _peer_interest and _pings and orders SUBSCRIBE/UNSUBSCRIBE with _routes. Reentrant
        # because a failing send inside it ends the connection, which takes it again. Order: _lock, _send_lock,
        # _state_lock.
        self._lock = threading.RLock()
        self._state_lock = threading.Lock()
        self._routes: dict[int, tuple[DropOldestQueue[bytes], ...]] = {}
        self._peer_interest: frozenset[int] | None = None
        self._pings: dict[int, threading.Event] = {}
        self._closing = False
        self._end: MyceliumError | None = None
        self._ended = threading.Event()
        self._frames_received = 0
        self._frames_sent = 0
        self._frames_not_wanted = 0
        self._unknown_type = 0
        self._unknown_control = 0
        self._pings_answered = 0
        self._ring_full_waits = 0
        self._warned_types: set[int] = set()
        self._reader = threading.Thread(target=self._read_loop, name=f"mycelium-reader-{server}", daemon=True)

    def start(self) -> None:
        """Start the reader thread (once)."""
        self._reader.start()

    # ---- state ---------------------------------------------------------------------------------------------

    @property
    def alive(self) -> bool:
        """Whether the connection has not ended (by either side)."""
        return self._end is None

    @property
    def end_error(self) -> MyceliumError | None:
        """Why the connection ended (NotConnected for a local close, ConnectionLost otherwise), or None."""
        return self._end

    def wait_ended(self, timeout: float | None = None) -> bool:
        """Wait until the connection has ended; return whether it has."""
        return self._ended.wait(timeout)

    def stats(self) -> ConnectionStats:
        """Return a snapshot of the counters."""
        return ConnectionStats(self._frames_received, self._frames_sent, self._frames_not_wanted,
                               self._unknown_type, self._unknown_control, self._pings_answered, self._peer_interest,
                               self._ring_full_waits)

    # ---- sending -------------------------------------------------------------------------------------------

    def _check_alive(self) -> None:
        end = self._end
        if end is not None:
            if isinstance(end, ConnectionLost):
                raise ConnectionLost(f"cannot send: {end}", end.goodbye, end.clean) from end
            raise NotConnected(f"cannot send: {end}")

    def _send(self, data: bytes, application: bool = False, lock_timeout: float = -1) -> None:
        failure: OSError
        if not self._send_lock.acquire(timeout=lock_timeout):
            raise LinkError(f"a send to server {self.server} has been blocked for {lock_timeout} s (the server is not "
                            f"reading)")
        try:
            self._check_alive()
            try:
                self._write(data)
                if application:
                    self._frames_sent += 1
                return
            except OSError as error:
                failure = error
        finally:
            self._send_lock.release()
        # Outside the send lock: _finish shuts the socket down, which is what unblocks other senders.
        lost = self._local_close() or ConnectionLost(
            f"server {self.server} broke the connection while this client was sending: {failure}")
        self._finish(lost)
        raise lost from failure

    def _write(self, data: bytes) -> None:
        """Write ``data`` (whole frames) to the server; the caller holds the send lock. OSError ends the link."""
        self._sock.sendall(data)

    def send_message(self, type_id: int, payload: bytes) -> bool:
        """Write one application frame; return False when the server's interest excludes ``type_id``.

        Raises ValueError for a payload above the link's maximum, NotConnected after a local close and
        ConnectionLost when the connection ended.
        """
        frame = wire.encode_frame(type_id, payload, self._max_payload)
        interest = self._peer_interest
        if interest is not None and type_id not in interest:
            self._check_alive()
            with self._send_lock:
                self._frames_not_wanted += 1
            return False
        self._send(frame, application=True)
        return True

    def ping(self, timeout: float) -> float:
        """Send a PING and return the round trip in seconds once the PONG arrives (v1 links only).

        Raises LinkError on legacy links, TimeoutError when no PONG came in time, ConnectionLost/NotConnected when
        the connection ended.
        """
        if self.legacy:
            raise LinkError(f"cannot PING server {self.server}: the legacy handshake has no control frames")
        nonce = time.monotonic_ns()
        event = threading.Event()
        with self._lock:
            while nonce in self._pings:
                nonce += 1
            self._pings[nonce] = event
        try:
            self._send(wire.encode_control(wire.Ping(nonce)))
            if not event.wait(timeout):
                self._check_alive()
                raise TimeoutError(f"server {self.server} did not answer a PING within {timeout} s")
            self._check_alive()
            return (time.monotonic_ns() - nonce) / 1e9
        finally:
            with self._lock:
                self._pings.pop(nonce, None)

    # ---- routing -------------------------------------------------------------------------------------------

    def add_route(self, type_id: int, inbox: DropOldestQueue[bytes]) -> None:
        """Deliver frames of ``type_id`` to ``inbox``; SUBSCRIBE the type when it is the first inbox for it."""
        with self._lock:
            self._check_alive()
            inboxes = self._routes.get(type_id, ())
            self._routes[type_id] = inboxes + (inbox,)
            if not inboxes and not self.legacy:
                self._send(wire.encode_control(wire.Subscribe((type_id,))))

    def remove_route(self, type_id: int, inbox: DropOldestQueue[bytes]) -> None:
        """Stop delivering to ``inbox``; UNSUBSCRIBE the type when no inbox is left for it (if still connected)."""
        with self._lock:
            inboxes = tuple(queue for queue in self._routes.get(type_id, ()) if queue is not inbox)
            if inboxes:
                self._routes[type_id] = inboxes
                return
            if self._routes.pop(type_id, None) is None or self.legacy or self._end is not None:
                return
            try:
                self._send(wire.encode_control(wire.Unsubscribe((type_id,))))
            except LinkError as error:
                # The connection is gone, so the server no longer sends anything: nothing left to undo.
                _LOG.debug("UNSUBSCRIBE %d to %s not sent: %s", type_id, self.server, error)

    # ---- closing -------------------------------------------------------------------------------------------

    def close(self) -> None:
        """Say GOODBYE (v1), close the socket, stop the reader and end every subscriber. Idempotent."""
        with self._lock:
            if self._closing:
                return
            self._closing = True
        if self._end is None:
            self._say_goodbye(wire.GoodbyeReason.NORMAL, "client closing")
        self._finish(NotConnected(f"the connection to server {self.server} was closed by this process"))
        if threading.current_thread() is not self._reader and self._reader.is_alive():
            self._reader.join(_CLOSE_JOIN_SECONDS)

    def _finish(self, end: MyceliumError) -> None:
        """Record why the connection ended (first reason wins), shut the socket, and end every inbox."""
        with self._state_lock:
            if self._end is not None:
                return
            self._end = end
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError as error:
            # Already disconnected (ENOTCONN): the close below is all that is left to do.
            _LOG.debug("shutdown of the socket to %s: %s", self.server, error)
        self._sock.close()
        with self._lock:
            routes = list(self._routes.values())
            pings = list(self._pings.values())
        for inboxes in routes:
            for inbox in inboxes:
                inbox.close(end)
        for event in pings:
            event.set()
        self._ended.set()

    # ---- reader thread -------------------------------------------------------------------------------------

    def _read_loop(self) -> None:
        end: MyceliumError
        try:
            try:
                end = self._pump()
            except BaseException as error:  # noqa: BLE001 - the reader must always end its subscribers
                self._finish(ConnectionLost(f"the reader of the connection to server {self.server} failed: "
                                            f"{error!r}"))
                raise
            if isinstance(end, ConnectionLost):
                _LOG.warning("%s", end)
            self._finish(end)
        finally:
            self._reader_done()

    def _pump(self) -> MyceliumError:
        """Read and dispatch frames until the connection ends; return why it ended."""
        decoder = wire.FrameDecoder(self._max_payload)
        while True:
            try:
                data = self._sock.recv(_READ_SIZE)
            except OSError as error:
                return self._lost_on_error(error)
            if not data:
                return self._lost_on_eof(decoder)
            try:
                frames = decoder.feed(data)
            except wire.FrameError as error:
                self._say_goodbye(wire.GoodbyeReason.FRAME_TOO_LARGE, str(error))
                return ConnectionLost(f"server {self.server} broke the frame format: {error}")
            stop = self._dispatch(frames)
            if stop is not None:
                return stop

    def _reader_done(self) -> None:
        """Called last on the reader thread, after the connection finished: release what the reader owns."""

    def _local_close(self) -> MyceliumError | None:
        if self._closing:
            return NotConnected(f"the connection to server {self.server} was closed by this process")
        return None

    def _lost_on_error(self, error: OSError) -> MyceliumError:
        return self._local_close() or ConnectionLost(f"server {self.server} broke the connection: {error}")

    def _lost_on_eof(self, decoder: wire.FrameDecoder) -> MyceliumError:
        local = self._local_close()
        if local is not None:
            return local
        try:
            decoder.end_of_stream()
        except wire.FrameError as error:
            return ConnectionLost(f"server {self.server} closed the connection in the middle of a frame: {error}")
        hint = (" (a legacy server closes without a word when the schema digests differ: check that both sides "
                "use the same contracts.yaml)") if self.legacy else " without a GOODBYE (it stopped or crashed)"
        return ConnectionLost(f"server {self.server} closed the connection{hint}")

    def _dispatch(self, frames: list[wire.Frame]) -> MyceliumError | None:
        routes = self._routes
        for type_id, payload in frames:
            if type_id > wire.CORE_LAST:
                self._frames_received += 1
                inboxes = routes.get(type_id)
                if inboxes is None:
                    self._count_unknown(type_id, len(payload))
                    continue
                for inbox in inboxes:
                    inbox.put(payload)
                continue
            if self.legacy or not wire.is_known_control_type(type_id):
                self._unknown_control += 1
                _LOG.debug("skipped core-range frame type %d (%d bytes) from %s", type_id, len(payload), self.server)
                continue
            stop = self._control(type_id, payload)
            if stop is not None:
                return stop
        return None

    def _count_unknown(self, type_id: int, length: int) -> None:
        self._unknown_type += 1
        if self.legacy:
            return  # a legacy server sends every type, so unwanted ones are normal there
        if type_id not in self._warned_types and len(self._warned_types) < 64:
            self._warned_types.add(type_id)
            _LOG.warning("skipping frames of type %d (%d bytes) from %s: no subscriber of this connection wants "
                         "that type (counted in unknown_type_frames; warned once per type)", type_id, length,
                         self.server)

    def _control(self, type_id: int, payload: bytes) -> MyceliumError | None:
        try:
            control = wire.decode_control(type_id, payload)
        except wire.ControlFrameError as error:
            self._say_goodbye(wire.GoodbyeReason.PROTOCOL_ERROR, str(error))
            return ConnectionLost(f"server {self.server} sent a malformed control frame: {error}")
        if isinstance(control, wire.Subscribe):
            with self._lock:
                self._peer_interest = (self._peer_interest or frozenset()) | frozenset(control.type_ids)
        elif isinstance(control, wire.Unsubscribe):
            with self._lock:
                self._peer_interest = (self._peer_interest or frozenset()) - frozenset(control.type_ids)
        elif isinstance(control, wire.Ping):
            try:
                self._send(wire.encode_control(wire.Pong(control.nonce)))
            except LinkError as error:
                return self._local_close() or ConnectionLost(f"could not answer a PING from {self.server}: {error}")
            self._pings_answered += 1
        elif isinstance(control, wire.Pong):
            with self._lock:
                event = self._pings.get(control.nonce)
            if event is not None:
                event.set()
        else:
            reason = control.reason
            label = reason.name if reason is not wire.GoodbyeReason.UNKNOWN else f"reason code {control.reason_code}"
            text = f": {control.text}" if control.text else ""
            return ConnectionLost(f"server {self.server} closed the connection with GOODBYE {label}{text}",
                                  goodbye=control, clean=reason is wire.GoodbyeReason.NORMAL)
        return None

    def _say_goodbye(self, reason: wire.GoodbyeReason, text: str) -> None:
        if self.legacy:
            return
        encoded = text.encode("utf-8")[:wire.MAX_TEXT_LENGTH].decode("utf-8", errors="ignore")
        try:
            # Bounded wait for the send lock: a publisher blocked on a server that stopped reading must not make
            # close() hang; the GOODBYE is a courtesy, the socket shutdown that follows is what counts.
            self._send(wire.encode_control(wire.Goodbye(reason, encoded)), lock_timeout=_GOODBYE_LOCK_SECONDS)
        except LinkError as error:
            _LOG.debug("GOODBYE %s to %s not sent: %s", reason.name, self.server, error)
