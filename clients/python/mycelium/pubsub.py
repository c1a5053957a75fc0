"""Typed publishers and subscribers on one :class:`mycelium.connection.Connection`."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Generic, Iterator, Self

from mycelium.connection import Connection
from mycelium.dropqueue import DropOldestQueue
from mycelium.errors import ConnectionLost, NotConnected, RecvTimeout
from mycelium.message import M, type_name

__all__ = ["DEFAULT_QUEUE_CAPACITY", "Publisher", "Subscriber", "SubscriberStats"]

_LOG = logging.getLogger("mycelium.subscriber")

DEFAULT_QUEUE_CAPACITY = 8192
"""Messages a subscriber holds before dropping the oldest (the Java bus's default queue capacity)."""


class Publisher(Generic[M]):
    """Publishes messages of one type on one connection. Thread-safe: any thread may call :meth:`publish`."""

    def __init__(self, message_type: type[M], type_id: int, connection: Connection) -> None:
        self.message_type = message_type
        self._type_id = type_id
        self._connection: Connection | None = connection

    def publish(self, message: M) -> bool:
        """Send ``message`` (its ``to_bytes()``) as one frame; return False if the server does not want the type.

        False means the server's SUBSCRIBE list (v1) excludes the type, so nobody there would receive it; it is
        counted in ``frames_not_wanted``. Raises TypeError for a message of another class, ValueError for a payload
        above the link's maximum, NotConnected after close and ConnectionLost when the connection ended.
        """
        if not isinstance(message, self.message_type):
            raise TypeError(f"publisher for {type_name(self.message_type)} got a {type(message).__name__}; "
                            f"create a publisher for that class")
        connection = self._connection
        if connection is None:
            raise NotConnected(f"publisher for {type_name(self.message_type)} is closed")
        payload = message.to_bytes()
        if not isinstance(payload, (bytes, bytearray, memoryview)):
            raise TypeError(f"{type(message).__name__}.to_bytes() returned {type(payload).__name__}, not bytes")
        return connection.send_message(self._type_id, bytes(payload))

    def close(self) -> None:
        """Refuse further publishes (the connection stays open for others). Idempotent."""
        self._connection = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


@dataclass(frozen=True)
class SubscriberStats:
    """A snapshot of one subscriber's counters."""

    received: int
    """Messages returned by recv/iteration."""
    dropped: int
    """Messages dropped because the queue was full (the oldest go first)."""
    decode_errors: int
    """Payloads skipped because ``from_bytes`` rejected them (e.g. wrong size for the type)."""
    pending: int
    """Messages waiting in the queue now."""
    high_water_mark: int
    """The most messages ever waiting at once."""
    capacity: int


class Subscriber(Generic[M]):
    """Receives the messages of one type from one connection through a bounded queue.

    The connection's reader thread fills the queue and never blocks: when the queue holds ``capacity`` messages,
    the oldest is dropped and counted (``stats().dropped``). Payloads are decoded with ``from_bytes`` on the
    receiving thread; one that fails to decode is skipped, counted and logged. :meth:`recv` and iteration may be
    used from any thread (each message goes to one caller).

    When the connection ends, messages already queued are still returned; then :meth:`recv` raises
    ConnectionLost (or NotConnected after a local close) and iteration stops -- quietly after a local close or a
    server's GOODBYE NORMAL, otherwise by raising ConnectionLost.
    """

    def __init__(self, message_type: type[M], type_id: int, connection: Connection, capacity: int) -> None:
        self.message_type = message_type
        self._type_id = type_id
        self._connection = connection
        self._queue: DropOldestQueue[bytes] = DropOldestQueue(capacity)
        self._closed = False
        self._received = 0
        self._decode_errors = 0
        connection.add_route(type_id, self._queue)

    def recv(self, timeout: float | None = None) -> M:
        """Return the next message, waiting up to ``timeout`` seconds (None: until one arrives or the link ends).

        Raises RecvTimeout (also a TimeoutError and queue.Empty) when none arrived in time, ConnectionLost when the
        connection ended and the queue is drained, NotConnected after :meth:`close`.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                payload = self._queue.get(remaining)
            except RecvTimeout:
                raise RecvTimeout(f"no {type_name(self.message_type)} from {self._connection.server} within "
                                  f"{timeout} s") from None
            try:
                message = self.message_type.from_bytes(payload)
            except (ValueError, TypeError, UnicodeDecodeError) as error:
                self._decode_errors += 1
                _LOG.warning("skipped a payload of %d bytes for %s from %s: %s (counted in decode_errors)",
                             len(payload), type_name(self.message_type), self._connection.server, error)
                continue
            self._received += 1
            return message

    def recv_nowait(self) -> M:
        """Return a message already queued; raise RecvTimeout when there is none."""
        return self.recv(0)

    def __iter__(self) -> Iterator[M]:
        """Yield messages until the subscription or connection ends (see the class docstring)."""
        while True:
            try:
                yield self.recv()
            except NotConnected:
                return
            except ConnectionLost as error:
                if error.clean:
                    return
                raise

    def stats(self) -> SubscriberStats:
        """Return a snapshot of the counters."""
        queue = self._queue
        return SubscriberStats(self._received, queue.dropped, self._decode_errors, len(queue), queue.high_water_mark,
                               queue.capacity)

    def close(self) -> None:
        """Stop receiving: UNSUBSCRIBE the type if no other subscriber wants it, and end waiting recv calls.

        Messages already queued are discarded. Idempotent.
        """
        if self._closed:
            return
        self._closed = True
        self._queue.close(NotConnected(f"subscriber for {type_name(self.message_type)} was closed"), discard=True)
        self._connection.remove_route(self._type_id, self._queue)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
