"""The shared-memory link v1 (docs/wire.md §7): SHM_ATTACH / SHM_ATTACHED and the segment header.

After the v1 handshake on an shm endpoint's control socket the server sends SHM_ATTACH (ring capacities and the
segment file's path); the client checks the segment (:func:`check_segment`), maps it and answers SHM_ATTACHED with
a status. Byte-for-byte the Java side's ``ShmRegionDescriptor`` and attach codec; all integers little-endian.
Codecs raise :class:`HandshakeError` naming the wire field; segment checks raise :class:`SegmentRefused` naming the
file and the header field, with the SHM_ATTACHED status that reports it.
"""

from __future__ import annotations

import enum
import os
import stat
import struct
from dataclasses import dataclass
from typing import Final

from mycelium.wire.handshake import (HEAD_LENGTH, MAGIC, MAX_HANDSHAKE_LENGTH_PREFIX, MAX_TEXT_LENGTH, PREFIX_LENGTH,
                                     VERSION_1, HandshakeError, HandshakeFailed, RejectReason, SocketReader)

__all__ = [
    "KIND_SHM_ATTACH",
    "KIND_SHM_ATTACHED",
    "AttachStatus",
    "ShmAttach",
    "ShmAttached",
    "encode_shm",
    "decode_shm_attach",
    "decode_shm_attached",
    "read_shm_attach",
    "SEGMENT_MAGIC",
    "LAYOUT_VERSION",
    "SEGMENT_HEADER_LENGTH",
    "RING_CONTROL_LENGTH",
    "MIN_CAPACITY",
    "MAX_CAPACITY",
    "SegmentHeader",
    "SegmentRefused",
    "encode_segment_header",
    "decode_segment_header",
    "segment_length",
    "ring_offset",
    "check_segment",
]

KIND_SHM_ATTACH: Final = 4
KIND_SHM_ATTACHED: Final = 5
MAX_PATH_LENGTH: Final = 1024

SEGMENT_MAGIC: Final = b"MYCSHM01"
LAYOUT_VERSION: Final = 1
SEGMENT_HEADER_LENGTH: Final = 4096
RING_CONTROL_LENGTH: Final = 512
MIN_CAPACITY: Final = 4096
MAX_CAPACITY: Final = 1 << 30
STATE_CREATING: Final = 0
STATE_READY: Final = 1
STATE_CLOSED_BY_SERVER: Final = 2
STATE_CLOSED_BY_CLIENT: Final = 3

# Header offsets (docs/wire.md §7)
CLIENT_PID_OFFSET: Final = 64
STATE_OFFSET: Final = 68
SERVER_HEARTBEAT_OFFSET: Final = 72
CLIENT_HEARTBEAT_OFFSET: Final = 80
# Ring control block offsets, relative to the ring
TAIL_OFFSET: Final = 0
HEAD_OFFSET: Final = 128
CONSUMER_WAITING_OFFSET: Final = 256
# Records
RECORD_HEADER_LENGTH: Final = 8
RECORD_ALIGNMENT: Final = 8
KIND_FRAME: Final = 1
KIND_PADDING: Final = -1

_HEAD = struct.Struct("<H4sHH")
_ATTACH = struct.Struct("<HIIH")      # flags, capacity 0, capacity 1, path_length
_ATTACHED = struct.Struct("<HHH")     # flags, status, text_length
_HEADER = struct.Struct("<8sII32sIIIIIIQQ")


class AttachStatus(enum.IntEnum):
    """The status of an SHM_ATTACHED."""

    OK = 0
    BAD_SEGMENT = 1
    """Magic, layout version, size, digest or a capacity is wrong."""
    NOT_PERMITTED = 2
    """Not a regular file, owned by another user, a mode other than 0600, or unreadable."""


@dataclass(frozen=True)
class ShmAttach:
    """The server's SHM_ATTACH: ring capacities (0: server -> client, 1: client -> server) and the segment's path."""

    capacity0: int
    capacity1: int
    path: str
    flags: int = 0


@dataclass(frozen=True)
class ShmAttached:
    """The client's SHM_ATTACHED: ``status`` (:class:`AttachStatus` code) and why, empty when OK."""

    status: int
    text: str = ""
    flags: int = 0


def _malformed(field: str, message: str) -> HandshakeError:
    return HandshakeError(field, RejectReason.MALFORMED, message)


def _utf8(field: str, text: str, limit: int, minimum: int = 0) -> bytes:
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise _malformed(field, f"field '{field}' cannot be encoded as UTF-8") from error
    if not minimum <= len(encoded) <= limit:
        raise _malformed(field, f"field '{field}' is {len(encoded)} bytes of UTF-8 but must be {minimum}..{limit}")
    return encoded


def encode_shm(message: ShmAttach | ShmAttached) -> bytes:
    """The bytes of an SHM_ATTACH or SHM_ATTACHED (length prefix included)."""
    if isinstance(message, ShmAttach):
        path = _utf8("path", message.path, MAX_PATH_LENGTH, 1)
        rest = _ATTACH.pack(message.flags, message.capacity0, message.capacity1, len(path)) + path
        kind = KIND_SHM_ATTACH
    else:
        text = _utf8("text", message.text, MAX_TEXT_LENGTH)
        rest = _ATTACHED.pack(message.flags, message.status, len(text)) + text
        kind = KIND_SHM_ATTACHED
    return _HEAD.pack(HEAD_LENGTH - PREFIX_LENGTH + len(rest), MAGIC, VERSION_1, kind) + rest


def _body(message: bytes, kind: int, what: str, fixed: int) -> bytes:
    """Check the common head of ``message`` (a whole shm control message) and return what follows it."""
    message = bytes(message)
    if len(message) < HEAD_LENGTH + fixed:
        raise _malformed("length", f"{what} is {len(message)} bytes but needs at least {HEAD_LENGTH + fixed}")
    prefix, magic, version, actual_kind = _HEAD.unpack_from(message, 0)
    if prefix != len(message) - PREFIX_LENGTH:
        raise _malformed("length", f"{what} length prefix says {prefix} bytes follow but {len(message) - 2} were "
                                   f"given")
    if magic != MAGIC:
        raise _malformed("magic", f"{what} magic is {magic.hex(' ')}, expected 4d 59 43 31 (\"MYC1\")")
    if version != VERSION_1:
        raise _malformed("version", f"{what} version is {version}, expected {VERSION_1}")
    if actual_kind != kind:
        raise _malformed("kind", f"expected {what} (kind {kind}) but got kind {actual_kind}")
    return message[HEAD_LENGTH:]


def _text(data: bytes, field: str, what: str) -> str:
    try:
        return data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as error:
        raise _malformed(field, f"{what} {field} is not valid UTF-8: {data[:32].hex(' ')}") from error


def decode_shm_attach(message: bytes) -> ShmAttach:
    """Decode a whole SHM_ATTACH; HandshakeError naming length/magic/version/kind/flags/path_length/path."""
    body = _body(message, KIND_SHM_ATTACH, "SHM_ATTACH", _ATTACH.size)
    flags, capacity0, capacity1, path_length = _ATTACH.unpack_from(body, 0)
    if flags != 0:
        raise _malformed("flags", f"SHM_ATTACH flags are {flags:#x}; no flag is defined in version 1")
    if not 1 <= path_length <= MAX_PATH_LENGTH:
        raise _malformed("path_length", f"SHM_ATTACH path_length is {path_length} but must be 1..{MAX_PATH_LENGTH}")
    if len(body) != _ATTACH.size + path_length:
        raise _malformed("path_length", f"SHM_ATTACH path_length {path_length} implies "
                                        f"{HEAD_LENGTH + _ATTACH.size + path_length} bytes but the message has "
                                        f"{HEAD_LENGTH + len(body)}")
    for field, capacity in (("capacity0", capacity0), ("capacity1", capacity1)):
        if not _capacity_ok(capacity):
            raise _malformed(field, f"SHM_ATTACH {field} {capacity} is not a power of two in {MIN_CAPACITY}.."
                                    f"{MAX_CAPACITY}")
    path = _text(body[_ATTACH.size:], "path", "SHM_ATTACH")
    if not path.startswith("/") or any(ord(char) < 0x20 or ord(char) == 0x7F for char in path):
        raise _malformed("path", f"SHM_ATTACH path {path!r} is not an absolute path without control characters")
    return ShmAttach(capacity0, capacity1, path, flags)


def decode_shm_attached(message: bytes) -> ShmAttached:
    """Decode a whole SHM_ATTACHED; HandshakeError naming length/magic/version/kind/text_length/text."""
    body = _body(message, KIND_SHM_ATTACHED, "SHM_ATTACHED", _ATTACHED.size)
    flags, status, text_length = _ATTACHED.unpack_from(body, 0)
    if text_length > MAX_TEXT_LENGTH or len(body) != _ATTACHED.size + text_length:
        raise _malformed("text_length", f"SHM_ATTACHED text_length {text_length} does not match the "
                                        f"{HEAD_LENGTH + len(body)}-byte message (at most {MAX_TEXT_LENGTH})")
    if status not in tuple(AttachStatus):
        raise _malformed("status", f"SHM_ATTACHED status {status} is none of 0 (OK), 1 (BAD_SEGMENT), 2 "
                                   f"(NOT_PERMITTED)")
    text = _text(body[_ATTACHED.size:], "text", "SHM_ATTACHED")
    if status == AttachStatus.OK and text:
        raise _malformed("text", f"SHM_ATTACHED OK carries a text ({text[:64]!r}); only a refusal says why")
    return ShmAttached(status, text, flags)


def read_shm_attach(reader: SocketReader) -> ShmAttach:
    """Read the SHM_ATTACH that follows the ACCEPT on an shm endpoint's control socket.

    Raises HandshakeFailed when the server closes first (the endpoint is not an shm one?), times out, or sends
    something else.
    """
    head = reader.read_exactly(PREFIX_LENGTH)
    prefix = struct.unpack("<H", head)[0] if len(head) == PREFIX_LENGTH else -1
    if not HEAD_LENGTH - PREFIX_LENGTH <= prefix <= MAX_HANDSHAKE_LENGTH_PREFIX:
        why = "closed the connection" if reader.ended else f"sent length prefix {prefix}"
        raise HandshakeFailed("length", RejectReason.MALFORMED,
                              f"server {reader.server} {why} instead of sending SHM_ATTACH after its ACCEPT; is "
                              f"this the control socket of a node with endpoint.kind = \"shm\"?")
    rest = reader.read_exactly(prefix)
    try:
        return decode_shm_attach(head + rest)
    except HandshakeError as error:
        raise HandshakeFailed(error.field, error.reject_reason,
                              f"server {reader.server} sent a malformed SHM_ATTACH: {error}") from error


# ---- the segment ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SegmentHeader:
    """The first 88 bytes of a segment's 4096-byte header."""

    digest: bytes
    capacity0: int
    capacity1: int
    max_record_length: int
    server_pid: int
    client_pid: int = 0
    state: int = STATE_READY
    server_heartbeat: int = 0
    client_heartbeat: int = 0
    magic: bytes = SEGMENT_MAGIC
    layout_version: int = LAYOUT_VERSION
    header_length: int = SEGMENT_HEADER_LENGTH


def segment_length(capacity0: int, capacity1: int) -> int:
    """Exact size of a segment file: ``4096 + (512 + C0) + (512 + C1)``."""
    return SEGMENT_HEADER_LENGTH + RING_CONTROL_LENGTH + capacity0 + RING_CONTROL_LENGTH + capacity1


def ring_offset(ring: int, capacity0: int) -> int:
    """Offset of ring 0 (server -> client) or ring 1 (client -> server) in the segment."""
    return SEGMENT_HEADER_LENGTH if ring == 0 else SEGMENT_HEADER_LENGTH + RING_CONTROL_LENGTH + capacity0


def encode_segment_header(header: SegmentHeader) -> bytes:
    """The whole 4096-byte header (zero after the fields)."""
    fields = _HEADER.pack(header.magic, header.layout_version, header.header_length, header.digest,
                          header.capacity0, header.capacity1, header.max_record_length, header.server_pid,
                          header.client_pid, header.state, header.server_heartbeat, header.client_heartbeat)
    return fields + bytes(SEGMENT_HEADER_LENGTH - len(fields))


def decode_segment_header(data: bytes) -> SegmentHeader:
    """Read the header fields from the first 88 bytes of ``data`` (nothing is checked here)."""
    (magic, version, header_length, digest, capacity0, capacity1, max_record, server_pid, client_pid, state,
     server_heartbeat, client_heartbeat) = _HEADER.unpack_from(data, 0)
    return SegmentHeader(digest, capacity0, capacity1, max_record, server_pid, client_pid, state, server_heartbeat,
                         client_heartbeat, magic, version, header_length)


class SegmentRefused(HandshakeFailed):
    """This client refused the segment the server attached: ``path`` is the file, ``field`` what was wrong and
    ``status`` the :class:`AttachStatus` sent back in SHM_ATTACHED."""

    def __init__(self, path: str, field: str, status: AttachStatus, why: str) -> None:
        super().__init__(field, RejectReason.MALFORMED, f"shared-memory segment {path}: {field}: {why}")
        self.path = path
        self.status = status
        self.why = why


def _capacity_ok(capacity: int) -> bool:
    return MIN_CAPACITY <= capacity <= MAX_CAPACITY and capacity & (capacity - 1) == 0


def check_segment(path: str, fd: int, attach: ShmAttach, digest: bytes) -> SegmentHeader:
    """Check the open segment file ``fd`` at ``path`` before mapping it: the checks 2..14 of docs/wire.md §7.3, in
    that order (the caller opened it without following a symlink, checks 1 and 5).

    A regular file, owned by this process's user, mode exactly 0600, at least the header long; magic, layout
    version, header length, capacities powers of two in 4096..2^30 equal to SHM_ATTACH's, the exact size, max
    record length min(C0, C1) / 8, the schema digest equal to ``digest``, state ready. Raises SegmentRefused naming
    the file and the field (as the Java checks name it); returns the header.
    """
    info = os.fstat(fd)

    def refuse(field: str, why: str, status: AttachStatus = AttachStatus.BAD_SEGMENT) -> SegmentRefused:
        return SegmentRefused(path, field, status, why)

    if not stat.S_ISREG(info.st_mode):
        raise refuse("type", "not a regular file", AttachStatus.NOT_PERMITTED)
    if info.st_uid != os.geteuid():
        raise refuse("owner", f"owned by uid {info.st_uid}, not by this process's uid {os.geteuid()}",
                     AttachStatus.NOT_PERMITTED)
    if stat.S_IMODE(info.st_mode) != 0o600:
        raise refuse("mode", f"mode {stat.S_IMODE(info.st_mode):04o}, expected exactly 0600",
                     AttachStatus.NOT_PERMITTED)
    if info.st_size < SEGMENT_HEADER_LENGTH:
        raise refuse("size", f"{info.st_size} bytes, shorter than the {SEGMENT_HEADER_LENGTH}-byte header")
    header = decode_segment_header(os.pread(fd, _HEADER.size, 0))
    if header.magic != SEGMENT_MAGIC:
        raise refuse("magic", f"{header.magic.hex(' ')}, expected {SEGMENT_MAGIC.hex(' ')} (\"MYCSHM01\")")
    if header.layout_version != LAYOUT_VERSION:
        raise refuse("version", f"{header.layout_version}, this client reads layout version {LAYOUT_VERSION}")
    if header.header_length != SEGMENT_HEADER_LENGTH:
        raise refuse("header_length", f"{header.header_length}, expected {SEGMENT_HEADER_LENGTH}")
    for field, value, announced in (("capacity0", header.capacity0, attach.capacity0),
                                    ("capacity1", header.capacity1, attach.capacity1)):
        if not _capacity_ok(value):
            raise refuse(field, f"{value} is not a power of two in {MIN_CAPACITY}..{MAX_CAPACITY}")
        if value != announced:
            raise refuse(field, f"{value} in the header but {announced} in SHM_ATTACH")
    size = segment_length(header.capacity0, header.capacity1)
    if info.st_size != size:
        raise refuse("size", f"{info.st_size} bytes, but capacities {header.capacity0} and {header.capacity1} "
                             f"give {size}")
    expected_max = min(header.capacity0, header.capacity1) // 8
    if header.max_record_length != expected_max:
        raise refuse("max_record_length", f"{header.max_record_length}, expected min(C0, C1) / 8 = {expected_max}")
    if header.digest != digest:
        raise refuse("digest", f"schema digest {header.digest.hex()} of the server differs from this client's "
                               f"{digest.hex()}")
    if header.state != STATE_READY:
        raise refuse("state", f"{header.state}, expected {STATE_READY} (ready)")
    return header
