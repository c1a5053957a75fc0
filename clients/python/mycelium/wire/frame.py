"""TLV frames (docs/wire.md §4): a 6-byte header (u16 type id, u32 payload length), then the payload."""

from __future__ import annotations

import struct
from typing import Final, NamedTuple

from mycelium.errors import LinkError

__all__ = [
    "DEFAULT_MAX_PAYLOAD_LENGTH",
    "HEADER_LENGTH",
    "MAX_TYPE_ID",
    "Frame",
    "FrameDecoder",
    "FrameError",
    "encode_frame",
]


# ---------------------------------------------------------------------------------------------------------------
# Frames (docs/wire.md §4)
# ---------------------------------------------------------------------------------------------------------------

HEADER_LENGTH: Final = 6
"""Bytes of the frame header: u16 type id, u32 payload length."""
MAX_TYPE_ID: Final = 0xFFFF
DEFAULT_MAX_PAYLOAD_LENGTH: Final = 16 * 1024 * 1024
"""Default largest payload a peer accepts (16 MiB)."""

_HEADER = struct.Struct("<HI")
_U16 = struct.Struct("<H")
_U64 = struct.Struct("<Q")


class FrameError(LinkError):
    """A peer sent bytes that break the frame format; close that connection (only that one).

    ``kind`` is ``"PAYLOAD_TOO_LARGE"`` or ``"TRUNCATED"``; ``type_id`` is -1 when it never arrived in full;
    ``announced_length`` is -1 when the header never arrived in full; ``limit`` is the configured maximum
    (PAYLOAD_TOO_LARGE) or the number of bytes of the frame that did arrive (TRUNCATED).
    """

    def __init__(self, kind: str, type_id: int, announced_length: int, limit: int, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.type_id = type_id
        self.announced_length = announced_length
        self.limit = limit


def _check_max_payload_length(max_payload_length: int) -> int:
    if not 0 <= max_payload_length <= 0x7FFFFFFF - 64:
        raise ValueError(f"maximum payload length {max_payload_length} is outside 0..{0x7FFFFFFF - 64}; "
                         f"the default is {DEFAULT_MAX_PAYLOAD_LENGTH}")
    return max_payload_length


def encode_frame(type_id: int, payload: bytes, max_payload_length: int = DEFAULT_MAX_PAYLOAD_LENGTH) -> bytes:
    """Return the whole TLV frame (header, then payload).

    Raises ValueError when ``type_id`` is outside 0..65535 or the payload is longer than ``max_payload_length``.
    """
    if not 0 <= type_id <= MAX_TYPE_ID:
        raise ValueError(f"type id {type_id} is outside the u16 range 0..{MAX_TYPE_ID}")
    if len(payload) > max_payload_length:
        raise ValueError(f"payload of {len(payload)} bytes for type {type_id} is outside 0..{max_payload_length} "
                         f"(the maximum payload length)")
    return _HEADER.pack(type_id, len(payload)) + bytes(payload)


class Frame(NamedTuple):
    """One decoded frame: its type id and its payload bytes."""

    type_id: int
    payload: bytes


class FrameDecoder:
    """Cuts back-to-back frames out of the bytes of one stream connection, however the reads split them.

    Not thread-safe: one instance per connection. Call :meth:`feed` with each read and :meth:`end_of_stream` when
    the peer closes. After a :class:`FrameError` the decoder stays failed (re-raising it) until :meth:`reset`.
    """

    def __init__(self, max_payload_length: int = DEFAULT_MAX_PAYLOAD_LENGTH) -> None:
        self._max = _check_max_payload_length(max_payload_length)
        self._buffer = bytearray()
        self._failure: FrameError | None = None

    @property
    def max_payload_length(self) -> int:
        """The largest payload this decoder accepts."""
        return self._max

    @property
    def buffered_bytes(self) -> int:
        """How many bytes of an incomplete frame are held (0 on a frame boundary)."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[Frame]:
        """Consume ``data`` and return every frame it completes, in order.

        Raises FrameError (kind PAYLOAD_TOO_LARGE) when a header announces more than the maximum; frames completed
        before that header are lost with the connection, which must be closed.
        """
        if self._failure is not None:
            raise self._failure
        self._buffer += data
        frames: list[Frame] = []
        view = memoryview(self._buffer)
        offset = 0
        try:
            while len(view) - offset >= HEADER_LENGTH:
                type_id, length = _HEADER.unpack_from(view, offset)
                if length > self._max:
                    self._failure = FrameError(
                        "PAYLOAD_TOO_LARGE", type_id, length, self._max,
                        f"frame type {type_id} announces a payload of {length} bytes but this link accepts at most "
                        f"{self._max} bytes; the peer sent a corrupt frame or a message above the limit (raise "
                        f"the link's max payload length if such messages are intended)")
                    break
                end = offset + HEADER_LENGTH + length
                if end > len(view):
                    break
                frames.append(Frame(type_id, bytes(view[offset + HEADER_LENGTH:end])))
                offset = end
        finally:
            view.release()
        del self._buffer[:offset]
        if self._failure is not None:
            self._buffer.clear()
            raise self._failure
        return frames

    def end_of_stream(self) -> None:
        """Check that the stream ended on a frame boundary; raise FrameError (kind TRUNCATED) when it did not."""
        if self._failure is not None:
            raise self._failure
        held = len(self._buffer)
        if held == 0:
            return
        if held >= HEADER_LENGTH:
            type_id, length = _HEADER.unpack_from(self._buffer, 0)
            self._failure = FrameError(
                "TRUNCATED", type_id, length, held,
                f"stream ended inside frame type {type_id}: the header announced {length} payload bytes but only "
                f"{held - HEADER_LENGTH} arrived; the peer closed or crashed mid-frame")
        else:
            type_id = _U16.unpack_from(self._buffer, 0)[0] if held >= 2 else -1
            known = f" (type id {type_id})" if type_id >= 0 else ""
            self._failure = FrameError(
                "TRUNCATED", type_id, -1, held,
                f"stream ended inside a frame header: {held} of {HEADER_LENGTH} header bytes arrived{known}; "
                f"the peer closed or crashed mid-frame")
        raise self._failure

    def reset(self) -> None:
        """Forget any partial frame and any failure."""
        self._buffer.clear()
        self._failure = None
