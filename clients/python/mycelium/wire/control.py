"""Control frames in the core type-id range (docs/wire.md §6): interest, liveness and goodbye."""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass
from typing import Final, Union

from mycelium.errors import LinkError
from mycelium.wire.frame import _U16, _U64, encode_frame
from mycelium.wire.handshake import MAX_TEXT_LENGTH

__all__ = [
    "CORE_FIRST",
    "CORE_LAST",
    "SUBSCRIBE",
    "UNSUBSCRIBE",
    "PING",
    "PONG",
    "GOODBYE",
    "MAX_TYPE_IDS",
    "GoodbyeReason",
    "Subscribe",
    "Unsubscribe",
    "Ping",
    "Pong",
    "Goodbye",
    "ControlFrame",
    "ControlFrameError",
    "encode_control",
    "decode_control",
    "is_core_type_id",
    "is_reserved_type_id",
    "is_known_control_type",
]

# ---------------------------------------------------------------------------------------------------------------
# Control frames (docs/wire.md §6)
# ---------------------------------------------------------------------------------------------------------------

CORE_FIRST: Final = 1
CORE_LAST: Final = 999
SUBSCRIBE: Final = 1
UNSUBSCRIBE: Final = 2
PING: Final = 3
PONG: Final = 4
GOODBYE: Final = 5
MAX_TYPE_IDS: Final = 4096
_CONTROL_NAMES: Final = {SUBSCRIBE: "SUBSCRIBE", UNSUBSCRIBE: "UNSUBSCRIBE", PING: "PING", PONG: "PONG",
                         GOODBYE: "GOODBYE"}


def is_core_type_id(type_id: int) -> bool:
    """Whether ``type_id`` lies in the core range 1..999 reserved for control frames (a codegen error for users)."""
    return CORE_FIRST <= type_id <= CORE_LAST


def is_reserved_type_id(type_id: int) -> bool:
    """Whether ``type_id`` is reserved for the framework: 0 or the core range."""
    return 0 <= type_id <= CORE_LAST


def is_known_control_type(type_id: int) -> bool:
    """Whether ``type_id`` is a control frame this version knows (SUBSCRIBE..GOODBYE)."""
    return SUBSCRIBE <= type_id <= GOODBYE


def _control_name(type_id: int) -> str:
    return _CONTROL_NAMES.get(type_id, f"CONTROL({type_id})")


class GoodbyeReason(enum.IntEnum):
    """Why a peer closes a connection (u16 code in the GOODBYE)."""

    UNKNOWN = 0
    NORMAL = 1
    PROTOCOL_ERROR = 2
    FRAME_TOO_LARGE = 3
    UNKNOWN_TYPE = 4
    LIVENESS_TIMEOUT = 5
    SLOW_CONSUMER = 6
    SCHEMA_CHANGED = 7


class ControlFrameError(LinkError):
    """A control frame breaks the format; ``type_id`` is the frame's type, ``field`` the wire field at fault."""

    def __init__(self, type_id: int, field: str, message: str) -> None:
        super().__init__(message)
        self.type_id = type_id
        self.field = field


def _check_type_ids(frame_type: int, type_ids: tuple[int, ...]) -> None:
    frame = _control_name(frame_type)
    if len(type_ids) > MAX_TYPE_IDS:
        raise ControlFrameError(frame_type, "count", f"{frame} lists {len(type_ids)} type ids but at most "
                                                     f"{MAX_TYPE_IDS} fit in one frame; split the list")
    seen: set[int] = set()
    for index, type_id in enumerate(type_ids):
        field = f"type_ids[{index}]"
        if not isinstance(type_id, int) or not CORE_LAST < type_id <= 0xFFFF:
            raise ControlFrameError(frame_type, field, f"{frame} {field} is {type_id} but must be an application "
                                                       f"type id in {CORE_LAST + 1}..65535 (0..{CORE_LAST} are "
                                                       f"reserved for the framework)")
        if type_id in seen:
            raise ControlFrameError(frame_type, field, f"{frame} {field} repeats type id {type_id}; each id may "
                                                       f"appear once")
        seen.add(type_id)


@dataclass(frozen=True)
class Subscribe:
    """SUBSCRIBE: the sender wants frames of these application type ids (distinct, 1000..65535, at most 4096)."""

    type_ids: tuple[int, ...]
    type_id = SUBSCRIBE

    def __post_init__(self) -> None:
        object.__setattr__(self, "type_ids", tuple(self.type_ids))
        _check_type_ids(SUBSCRIBE, self.type_ids)


@dataclass(frozen=True)
class Unsubscribe:
    """UNSUBSCRIBE: the sender no longer wants frames of these application type ids."""

    type_ids: tuple[int, ...]
    type_id = UNSUBSCRIBE

    def __post_init__(self) -> None:
        object.__setattr__(self, "type_ids", tuple(self.type_ids))
        _check_type_ids(UNSUBSCRIBE, self.type_ids)


def _check_nonce(frame_type: int, nonce: int) -> None:
    if not 0 <= nonce <= 0xFFFFFFFFFFFFFFFF:
        raise ControlFrameError(frame_type, "nonce", f"{_control_name(frame_type)} nonce {nonce} is outside the u64 "
                                                     f"range")


@dataclass(frozen=True)
class Ping:
    """PING: the receiver answers with a PONG carrying the same nonce (an unsigned 64-bit value)."""

    nonce: int
    type_id = PING

    def __post_init__(self) -> None:
        _check_nonce(PING, self.nonce)


@dataclass(frozen=True)
class Pong:
    """PONG: the answer to a PING."""

    nonce: int
    type_id = PONG

    def __post_init__(self) -> None:
        _check_nonce(PONG, self.nonce)


@dataclass(frozen=True)
class Goodbye:
    """GOODBYE: the sender closes the connection after this frame (reason code 1..65535, text <= 1024 bytes)."""

    reason_code: int
    text: str = ""
    type_id = GOODBYE

    def __post_init__(self) -> None:
        if not 1 <= self.reason_code <= 0xFFFF:
            raise ControlFrameError(GOODBYE, "reason", f"GOODBYE reason code is {self.reason_code} but must be in "
                                                       f"1..65535")
        length = len(self.text.encode("utf-8", errors="replace"))
        if length > MAX_TEXT_LENGTH:
            raise ControlFrameError(GOODBYE, "text", f"GOODBYE text is {length} bytes of UTF-8 but must be at most "
                                                     f"{MAX_TEXT_LENGTH} bytes")

    @property
    def reason(self) -> GoodbyeReason:
        """The reason for ``reason_code``, or UNKNOWN for a code this side lacks."""
        try:
            return GoodbyeReason(self.reason_code)
        except ValueError:
            return GoodbyeReason.UNKNOWN


ControlFrame = Union[Subscribe, Unsubscribe, Ping, Pong, Goodbye]


def encode_control(frame: ControlFrame) -> bytes:
    """Return ``frame`` as the bytes of a whole TLV frame."""
    payload: bytes
    if isinstance(frame, (Subscribe, Unsubscribe)):
        payload = _U16.pack(len(frame.type_ids)) + struct.pack(f"<{len(frame.type_ids)}H", *frame.type_ids)
    elif isinstance(frame, (Ping, Pong)):
        payload = _U64.pack(frame.nonce)
    else:
        text = frame.text.encode("utf-8", errors="replace")
        payload = struct.pack("<HH", frame.reason_code, len(text)) + text
    return encode_frame(frame.type_id, payload)


def decode_control(type_id: int, payload: bytes) -> ControlFrame:
    """Decode the payload of a control frame of type ``type_id``.

    Raises ControlFrameError naming the field: type_id (not a known control frame; check
    :func:`is_known_control_type` first and skip unknown core-range frames), length, count, type_ids[i], reason,
    text_length or text.
    """
    payload = bytes(payload)
    frame = _control_name(type_id)
    if type_id in (SUBSCRIBE, UNSUBSCRIBE):
        if len(payload) < 2:
            raise ControlFrameError(type_id, "length", f"{frame} payload is {len(payload)} bytes but needs at least 2 "
                                                       f"for the u16 count")
        count: int = _U16.unpack_from(payload, 0)[0]
        if count > MAX_TYPE_IDS:
            raise ControlFrameError(type_id, "count", f"{frame} count is {count} but at most {MAX_TYPE_IDS} type ids "
                                                      f"fit in one frame")
        if len(payload) != 2 + 2 * count:
            raise ControlFrameError(type_id, "count", f"{frame} count {count} needs a payload of {2 + 2 * count} "
                                                      f"bytes but the payload is {len(payload)} bytes")
        ids = struct.unpack_from(f"<{count}H", payload, 2)
        return Subscribe(ids) if type_id == SUBSCRIBE else Unsubscribe(ids)
    if type_id in (PING, PONG):
        if len(payload) != 8:
            raise ControlFrameError(type_id, "length", f"{frame} payload is {len(payload)} bytes but must be exactly "
                                                       f"8 (a u64 nonce)")
        nonce: int = _U64.unpack(payload)[0]
        return Ping(nonce) if type_id == PING else Pong(nonce)
    if type_id == GOODBYE:
        if len(payload) < 4:
            raise ControlFrameError(type_id, "length", f"GOODBYE payload is {len(payload)} bytes but needs at least "
                                                       f"4 (reason code and text length)")
        reason, text_length = struct.unpack_from("<HH", payload, 0)
        if text_length > MAX_TEXT_LENGTH:
            raise ControlFrameError(type_id, "text_length", f"GOODBYE text_length is {text_length} but at most "
                                                            f"{MAX_TEXT_LENGTH} bytes are allowed")
        if len(payload) != 4 + text_length:
            raise ControlFrameError(type_id, "text_length", f"GOODBYE text_length {text_length} needs a payload of "
                                                            f"{4 + text_length} bytes but the payload is "
                                                            f"{len(payload)} bytes")
        try:
            text = payload[4:].decode("utf-8", errors="strict")
        except UnicodeDecodeError as error:
            raise ControlFrameError(type_id, "text", "GOODBYE text is not valid UTF-8") from error
        return Goodbye(reason, text)
    raise ControlFrameError(type_id, "type_id", f"type id {type_id} is not a control frame this side knows "
                                                f"({SUBSCRIBE}..{GOODBYE}); skip unknown core-range frames")
