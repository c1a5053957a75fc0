"""A bounded, thread-safe FIFO that drops its oldest item when full, counting every drop."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Generic, TypeVar

from mycelium.errors import MyceliumError, RecvTimeout

__all__ = ["DropOldestQueue"]

T = TypeVar("T")


class DropOldestQueue(Generic[T]):
    """Holds at most ``capacity`` items; :meth:`put` never blocks and drops the oldest item when full.

    Any number of producer and consumer threads. Once :meth:`close` is called, consumers first drain what is held
    and then get the close error. Why drop the oldest: the reader thread must never block on a slow consumer (that
    would stall every other subscriber of the connection), and the newest data is the most useful -- the same
    policy as the Java bus's default (DROP_OLDEST).
    """

    def __init__(self, capacity: int) -> None:
        if not isinstance(capacity, int) or not 1 <= capacity <= 1 << 24:
            raise ValueError(f"queue capacity {capacity!r} is outside 1..{1 << 24}")
        self._items: deque[T] = deque()
        self._capacity = capacity
        self._condition = threading.Condition(threading.Lock())
        self._closed: MyceliumError | None = None
        self.dropped = 0
        """Items dropped because the queue was full (written under the lock, read anywhere)."""
        self.high_water_mark = 0
        """The largest number of items ever held."""

    @property
    def capacity(self) -> int:
        """The most items held at once."""
        return self._capacity

    def __len__(self) -> int:
        return len(self._items)

    def put(self, item: T) -> bool:
        """Append ``item``; return False when that dropped the oldest item (or when the queue is closed)."""
        with self._condition:
            if self._closed is not None:
                return False
            kept = True
            if len(self._items) >= self._capacity:
                self._items.popleft()
                self.dropped += 1
                kept = False
            self._items.append(item)
            if len(self._items) > self.high_water_mark:
                self.high_water_mark = len(self._items)
            self._condition.notify()
            return kept

    def get(self, timeout: float | None = None) -> T:
        """Remove and return the oldest item, waiting up to ``timeout`` seconds (None: forever; 0: not at all).

        Raises RecvTimeout when nothing arrived in time, and the close error once closed and drained.
        """
        if timeout is not None and timeout < 0:
            raise ValueError(f"timeout {timeout} must be None or >= 0 seconds")
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._condition:
            while not self._items:
                if self._closed is not None:
                    raise self._closed
                if deadline is None:
                    self._condition.wait()
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise RecvTimeout(f"no message within {timeout} s")
                self._condition.wait(remaining)
            return self._items.popleft()

    def close(self, error: MyceliumError, discard: bool = False) -> None:
        """Refuse further items and wake every waiting consumer; they raise ``error`` once the queue is drained.

        ``discard`` drops the held items at once (they are not counted as overflow drops). Only the first close's
        error is kept.
        """
        with self._condition:
            if self._closed is None:
                self._closed = error
            if discard:
                self._items.clear()
            self._condition.notify_all()

    @property
    def closed_error(self) -> MyceliumError | None:
        """The error consumers get once drained, or None while open."""
        return self._closed
