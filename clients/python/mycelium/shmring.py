"""The single-producer/single-consumer frame rings of a shared-memory segment (docs/wire.md §7) and the ordered
word access they need.

Ordering comes from :func:`open_region`: the C extension ``mycelium._shm_atomics`` (acquire loads, release stores,
exchange, full fence with GCC ``__atomic`` builtins) when it was built, else -- on x86-64 only -- :class:`TsoRegion`,
pure Python whose argument is in docs/python-sdk.md ("Memory ordering"). Elsewhere without the extension
:func:`open_region` raises :class:`AtomicsUnavailable`.

Threading: a :class:`RingProducer` belongs to one thread at a time (the connection's send lock), a
:class:`RingConsumer` to the reader thread.
"""

from __future__ import annotations

import mmap
import os
import platform
import struct
import threading
import time
from typing import Final, Protocol

from mycelium import wire
from mycelium.errors import LinkError
from mycelium.wire import shm as layout

__all__ = ["AtomicsUnavailable", "Region", "RingConsumer", "RingCorrupt", "RingProducer", "TsoRegion",
           "atomics_implementation", "open_region"]

_KIND: Final = struct.Struct("<i")
_FRAME_KIND: Final = _KIND.pack(layout.KIND_FRAME)
_FRAME_HEAD: Final = struct.Struct("<HI")
_MIN_RECORD: Final = layout.RECORD_HEADER_LENGTH + wire.HEADER_LENGTH


class AtomicsUnavailable(LinkError):
    """Neither the C extension nor a correct pure-Python path is available on this machine."""


class Region(Protocol):
    """Ordered access to 4- and 8-byte words of a mapping at byte offsets (the C extension's Region)."""

    def load_u32(self, offset: int) -> int: ...
    def load_u64(self, offset: int) -> int: ...
    def store_u32(self, offset: int, value: int) -> None: ...
    def store_u64(self, offset: int, value: int) -> None: ...
    def exchange_u32(self, offset: int, value: int) -> int: ...
    def fence(self) -> None: ...
    def wait_u32(self, offset: int, spin_ns: int, yield_ns: int) -> int: ...
    def release(self) -> None: ...


class TsoRegion:
    """The pure-Python :class:`Region` for x86-64 without the C extension (docs/python-sdk.md, "Memory ordering").

    Words are read and written with the native struct formats ``@I``/``@Q``, which CPython packs with one
    ``memcpy`` of the word's size -- a single aligned load or store on x86-64, so never torn. x86-64 (TSO) keeps
    stores in program order and loads in program order, which gives the release/acquire pairs of the ring. The one
    reordering TSO allows, a store followed by a load (the parking handshake), is closed by :meth:`fence`: an
    uncontended lock acquire, a locked instruction and thus a full barrier on x86-64; and a missed doorbell would
    still cost at most the consumer's bounded park, never a hang.
    """

    _U32: Final = struct.Struct("@I")
    _U64: Final = struct.Struct("@Q")

    def __init__(self, buffer: mmap.mmap) -> None:
        self._view: memoryview | None = memoryview(buffer)
        self._lock = threading.Lock()

    def _buffer(self) -> memoryview:
        if self._view is None:
            raise ValueError("region released (the segment is unmapped)")
        return self._view

    def load_u32(self, offset: int) -> int:
        return int(self._U32.unpack_from(self._buffer(), offset)[0])

    def load_u64(self, offset: int) -> int:
        return int(self._U64.unpack_from(self._buffer(), offset)[0])

    def store_u32(self, offset: int, value: int) -> None:
        self._U32.pack_into(self._buffer(), offset, value)

    def store_u64(self, offset: int, value: int) -> None:
        self._U64.pack_into(self._buffer(), offset, value)

    def exchange_u32(self, offset: int, value: int) -> int:
        # Only ever called by the producer to clear consumer_waiting (1 -> 0) after a fence; the consumer writes the
        # word only before parking (1) and after waking (0), so a lost race costs at most one extra doorbell.
        with self._lock:
            old = self.load_u32(offset)
            self.store_u32(offset, value)
        return old

    def fence(self) -> None:
        with self._lock:
            pass

    def wait_u32(self, offset: int, spin_ns: int, yield_ns: int) -> int:
        # Spinning in Python would hold the GIL; os.sched_yield releases it while it yields the CPU.
        value = self.load_u32(offset)
        if value or (spin_ns <= 0 and yield_ns <= 0):
            return value
        deadline = time.monotonic_ns() + max(spin_ns, 0) + max(yield_ns, 0)
        while True:
            os.sched_yield()
            value = self.load_u32(offset)
            if value or time.monotonic_ns() >= deadline:
                return value

    def release(self) -> None:
        if self._view is not None:
            self._view.release()
            self._view = None


def atomics_implementation() -> str:
    """``"c-extension"``, ``"pure-python-x86-64"`` or ``"unavailable"`` (what :func:`open_region` would use)."""
    if os.environ.get("MYCELIUM_SHM_ATOMICS", "") == "python":
        return "pure-python-x86-64" if _is_x86_64() else "unavailable"
    try:
        from mycelium import _shm_atomics  # noqa: F401
        return "c-extension"
    except ImportError:
        return "pure-python-x86-64" if _is_x86_64() else "unavailable"


def _is_x86_64() -> bool:
    return platform.machine().lower() in ("x86_64", "amd64")


def open_region(buffer: mmap.mmap) -> Region:
    """The ordered word access for ``buffer``: the C extension, else the x86-64 pure-Python path.

    ``MYCELIUM_SHM_ATOMICS=python`` forces the pure-Python path (x86-64 only; tests and comparisons). Raises
    AtomicsUnavailable on other machines without the extension.
    """
    implementation = atomics_implementation()
    if implementation == "c-extension":
        from mycelium import _shm_atomics
        region: Region = _shm_atomics.Region(buffer)
        return region
    if implementation == "pure-python-x86-64":
        return TsoRegion(buffer)
    raise AtomicsUnavailable(
        f"shared memory needs the C extension mycelium._shm_atomics on this {platform.machine()} machine (only "
        f"x86-64 may run without it); reinstall the SDK where a C compiler and the Python headers are present "
        f"(python3-dev), e.g. pip install --no-build-isolation clients/python, or use UnixTransport")


class RingCorrupt(LinkError):
    """A ring holds a record no correct producer writes; names the ring, the position, the field and the value."""


def _align(length: int) -> int:
    return (length + layout.RECORD_ALIGNMENT - 1) & -layout.RECORD_ALIGNMENT


class _RingView:
    """Where one ring's words and data are in the mapping (docs/wire.md §7.5)."""

    def __init__(self, region: Region, view: memoryview, offset: int, capacity: int, max_record_length: int) -> None:
        self._region = region
        self._view = view
        self._tail_at = offset + layout.TAIL_OFFSET
        self._head_at = offset + layout.HEAD_OFFSET
        self._waiting_at = offset + layout.CONSUMER_WAITING_OFFSET
        self._data = offset + layout.RING_CONTROL_LENGTH
        self.capacity = capacity
        self._mask = capacity - 1
        self.max_record_length = max_record_length


class RingProducer(_RingView):
    """Writes frames into one ring (claim, copy, commit with the length last). One thread at a time."""

    def __init__(self, region: Region, view: memoryview, offset: int, capacity: int, max_record_length: int) -> None:
        super().__init__(region, view, offset, capacity, max_record_length)
        self._tail = region.load_u64(self._tail_at)
        self._head_cache = region.load_u64(self._head_at)

    @property
    def max_frame_length(self) -> int:
        """Longest frame (header included) a record may carry."""
        return self.max_record_length - layout.RECORD_HEADER_LENGTH

    def offer(self, frame: bytes) -> bool:
        """Write ``frame`` (a whole TLV frame) as one record; False when the ring has no room for it now."""
        length = layout.RECORD_HEADER_LENGTH + len(frame)
        if length > self.max_record_length:
            raise ValueError(f"a frame of {len(frame)} bytes does not fit the shared-memory ring's max record "
                             f"length {self.max_record_length} (frames up to {self.max_frame_length} bytes)")
        required = _align(length)
        capacity = self.capacity
        tail = self._tail
        index = tail & self._mask
        padding = capacity - index if index + required > capacity else 0
        if tail + padding + required - self._head_cache > capacity:
            self._head_cache = self._region.load_u64(self._head_at)
            if tail + padding + required - self._head_cache > capacity:
                return False
        region = self._region
        view = self._view
        if padding:
            at = self._data + index
            view[at + 4:at + 8] = _KIND.pack(layout.KIND_PADDING)
            region.store_u32(at, padding)  # release: the consumer sees the kind with the length
            tail += padding
            index = 0
        at = self._data + index
        view[at + 4:at + 8] = _FRAME_KIND
        view[at + 8:at + length] = frame
        region.store_u32(at, length)  # release, last: the record becomes visible whole
        tail += required
        self._tail = tail
        region.store_u64(self._tail_at, tail)
        return True

    def consumer_needs_doorbell(self) -> bool:
        """After commits: whether the consumer parked and must be woken (it is cleared here, so ring once)."""
        region = self._region
        region.fence()  # StoreLoad: the committed record before reading consumer_waiting (pairs with the park)
        return region.load_u32(self._waiting_at) == 1 and region.exchange_u32(self._waiting_at, 0) == 1


class RingConsumer(_RingView):
    """Reads the frames of one ring, zeroes what it consumed and releases the head. Reader thread only."""

    def __init__(self, region: Region, view: memoryview, offset: int, capacity: int, max_record_length: int,
                 name: str) -> None:
        super().__init__(region, view, offset, capacity, max_record_length)
        self.name = name
        self._head = region.load_u64(self._head_at)
        self._zeroes = memoryview(bytes(capacity))

    @property
    def position(self) -> int:
        """Bytes consumed so far (padding included)."""
        return self._head

    def length_offset(self) -> int:
        """Offset (in the mapping) of the length slot at the head: non-zero once a record is there."""
        return self._data + (self._head & self._mask)

    def poll(self) -> tuple[list[wire.Frame], RingCorrupt | None]:
        """Read every record up to an empty slot or the end of the ring; return the frames and, when a record was
        corrupt, why (the records before it are consumed, it is not)."""
        frames: list[wire.Frame] = []
        head = self._head
        start = head & self._mask
        contiguous = self.capacity - start
        load = self._region.load_u32
        view = self._view
        base = self._data + start
        read = 0
        corrupt = None
        while read < contiguous:
            at = base + read
            length = load(at)  # acquire: pairs with the producer's release of the length
            if length == 0:
                break
            if length & 0x80000000:
                length -= 1 << 32  # an i32 on the wire: a negative length is reported as such
            kind = _KIND.unpack_from(view, at + 4)[0]
            corrupt = self._check(head + read, start + read, length, kind, at)
            if corrupt is not None:
                break
            if kind == layout.KIND_FRAME:
                type_id = _FRAME_HEAD.unpack_from(view, at + 8)[0]
                frames.append(wire.Frame(type_id, bytes(view[at + 14:at + length])))
            read += _align(length)
        if read:
            view[base:base + read] = self._zeroes[:read]
            self._head = head + read
            self._region.store_u64(self._head_at, self._head)  # release: the zeroes before the space is free
        return frames, corrupt

    def _check(self, position: int, index: int, length: int, kind: int, at: int) -> RingCorrupt | None:
        def bad(field: str, value: int, why: str) -> RingCorrupt:
            return RingCorrupt(f"{self.name} is corrupt at position {position} (index {index}): {field} {value} "
                               f"{why}")

        if length < layout.RECORD_HEADER_LENGTH:
            return bad("length", length, f"is below the record header ({layout.RECORD_HEADER_LENGTH} bytes)")
        if kind not in (layout.KIND_FRAME, layout.KIND_PADDING):
            return bad("kind", kind, "is neither 1 (frame) nor -1 (padding)")
        if length > self.capacity - index:
            return bad("length", length, f"runs past the end of the ring ({self.capacity - index} bytes left of "
                                         f"{self.capacity})")
        if kind == layout.KIND_FRAME:
            if length > self.max_record_length:
                return bad("length", length, f"is above the max record length {self.max_record_length}")
            if length < _MIN_RECORD:
                return bad("length", length, f"is too short for a frame header ({_MIN_RECORD} bytes with it)")
            payload_length = _FRAME_HEAD.unpack_from(self._view, at + 8)[1]
            if payload_length != length - _MIN_RECORD:
                return bad("frame payload length", payload_length, f"does not match the record length {length} "
                                                                   f"(expected {length - _MIN_RECORD})")
        return None

    def prepare_to_park(self) -> bool:
        """Announce that this consumer is about to block on the control socket; False when a record arrived
        meanwhile (the caller reads instead)."""
        region = self._region
        region.store_u32(self._waiting_at, 1)
        region.fence()  # StoreLoad: the flag before the re-check (pairs with the producer's fence)
        if region.load_u32(self.length_offset()) == 0:
            return True
        region.store_u32(self._waiting_at, 0)
        return False

    def clear_waiting(self) -> None:
        """After waking: consumer_waiting = 0."""
        self._region.store_u32(self._waiting_at, 0)
