"""The Mycelium wire protocol v1 (docs/wire.md): TLV frames, schema digest, both handshakes and control frames.

Pure Python 3.11, standard library only, and byte-for-byte the same as the Java runtime in
``io.mycelium.protocol``; both are tested against ``docs/wire-vectors.json``. Every integer is little-endian.
Importing this module has no side effects. Nothing here is thread-safe unless it is immutable: use one
:class:`FrameDecoder` / :class:`HandshakeReader` per connection, from one thread.

Errors name the wire field at fault (``field``) with the same names as the Java exceptions and the docs.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import os
import struct
from dataclasses import dataclass
from typing import Callable, Final, NamedTuple, Union

from mycelium.errors import LinkError, SchemaError

__all__ = [
    "DEFAULT_MAX_PAYLOAD_LENGTH",
    "HEADER_LENGTH",
    "MAX_TYPE_ID",
    "Frame",
    "FrameDecoder",
    "FrameError",
    "encode_frame",
    "DIGEST_LENGTH",
    "schema_digest",
    "schema_digest_of_file",
    "digest_from_hex",
    "LEGACY_LENGTH_PREFIX",
    "MAGIC",
    "VERSION_1",
    "MAX_NAME_LENGTH",
    "MAX_TEXT_LENGTH",
    "MAX_HANDSHAKE_LENGTH_PREFIX",
    "RejectReason",
    "Hello",
    "Accept",
    "Reject",
    "HandshakeReply",
    "HandshakeError",
    "HandshakeStatus",
    "HandshakeReader",
    "encode_legacy_handshake",
    "encode_handshake",
    "decode_legacy_handshake",
    "decode_hello",
    "decode_reply",
    "read_reply",
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
    "constant_time_equal",
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


# ---------------------------------------------------------------------------------------------------------------
# Schema digest (docs/wire.md §3)
# ---------------------------------------------------------------------------------------------------------------

DIGEST_LENGTH: Final = 32
_ZERO_DIGEST: Final = bytes(DIGEST_LENGTH)


def schema_digest(contracts_file_bytes: bytes) -> bytes:
    """Return the schema digest: SHA-256 over exactly these bytes of contracts.yaml."""
    return hashlib.sha256(contracts_file_bytes).digest()


def schema_digest_of_file(path: str | os.PathLike[str]) -> bytes:
    """Return the schema digest of the file at ``path``; raise SchemaError naming the path when unreadable."""
    try:
        with open(path, "rb") as contracts:
            return schema_digest(contracts.read())
    except OSError as error:
        raise SchemaError(f"cannot read contracts file {os.path.abspath(path)} to compute its schema digest: "
                          f"{error}") from error


def digest_from_hex(text: str | None, what: str = "schema digest") -> bytes:
    """Parse the 64-character hex form (any case; surrounding whitespace ignored).

    ``what`` names the source in the error (e.g. ``"env MYCELIUM_SCHEMA_DIGEST"``). Raises SchemaError when the text
    is missing, has the wrong length, or holds a non-hex character (the message gives its position).
    """
    if text is None:
        raise SchemaError(f"{what}: schema digest is missing; expected 64 hex characters (the SHA-256 of "
                          f"contracts.yaml)")
    stripped = text.strip()
    if len(stripped) != 2 * DIGEST_LENGTH:
        shown = stripped if len(stripped) <= 80 else stripped[:77] + "..."
        raise SchemaError(f"{what}: schema digest '{shown}' has {len(stripped)} characters but must have 64 hex "
                          f"characters (the SHA-256 of contracts.yaml)")
    for position, char in enumerate(stripped):
        if char not in "0123456789abcdefABCDEF":
            raise SchemaError(f"{what}: schema digest has '{char}' at position {position}, which is not a hex "
                              f"digit (0-9, a-f)")
    return bytes.fromhex(stripped)


def _check_digest(field: str, digest: bytes) -> None:
    if not isinstance(digest, (bytes, bytearray)) or len(digest) != DIGEST_LENGTH:
        size = len(digest) if isinstance(digest, (bytes, bytearray)) else type(digest).__name__
        raise HandshakeError(field, RejectReason.MALFORMED,
                             f"handshake field '{field}' must be {DIGEST_LENGTH} bytes (SHA-256) but is {size}")


# ---------------------------------------------------------------------------------------------------------------
# Handshakes (docs/wire.md §5)
# ---------------------------------------------------------------------------------------------------------------

PREFIX_LENGTH: Final = 2
LEGACY_LENGTH_PREFIX: Final = 32
LEGACY_MESSAGE_LENGTH: Final = PREFIX_LENGTH + LEGACY_LENGTH_PREFIX
MAGIC: Final = b"MYC1"
VERSION_1: Final = 1
KIND_HELLO: Final = 1
KIND_ACCEPT: Final = 2
KIND_REJECT: Final = 3
HEAD_LENGTH: Final = 10
MIN_V1_LENGTH_PREFIX: Final = HEAD_LENGTH - PREFIX_LENGTH
MAX_HANDSHAKE_LENGTH_PREFIX: Final = 2048
MAX_NAME_LENGTH: Final = 255
MAX_TEXT_LENGTH: Final = 1024
_HELLO_NAME_LENGTH_OFFSET: Final = 44
_ACCEPT_NAME_LENGTH_OFFSET: Final = 12
_REJECT_TEXT_LENGTH_OFFSET: Final = 76
_HEAD = struct.Struct("<H4sHH")


class RejectReason(enum.IntEnum):
    """Why a server refused a v1 HELLO (u16 code in the REJECT)."""

    UNKNOWN = 0
    DIGEST_MISMATCH = 1
    UNSUPPORTED_VERSION = 2
    UNAUTHORISED = 3
    TOO_MANY_CONNECTIONS = 4
    MALFORMED = 5

    @classmethod
    def from_code(cls, code: int) -> RejectReason:
        """Return the reason with this code, or UNKNOWN."""
        try:
            return cls(code)
        except ValueError:
            return cls.UNKNOWN


class HandshakeError(LinkError):
    """A handshake message broke the format, or a server refused the connection.

    ``field`` names the wire field at fault, ``reject_reason`` is the REJECT code that answers it (or the server's
    code), ``reject`` is the server's :class:`Reject` when the error reports one.
    """

    def __init__(self, field: str, reject_reason: RejectReason, message: str,
                 reject: Reject | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.reject_reason = reject_reason
        self.reject = reject


def _malformed(field: str, message: str) -> HandshakeError:
    return HandshakeError(field, RejectReason.MALFORMED, message)


def _check_u16(field: str, value: int, minimum: int) -> None:
    if not minimum <= value <= 0xFFFF:
        raise _malformed(field, f"handshake field '{field}' is {value} but must be in {minimum}..65535")


def _utf8(field: str, text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise _malformed(field, f"handshake field '{field}' holds an unpaired surrogate and cannot be encoded as "
                                f"UTF-8") from error


def _check_name(field: str, name: str) -> bytes:
    encoded = _utf8(field, name)
    if not 1 <= len(encoded) <= MAX_NAME_LENGTH:
        raise _malformed(field, f"handshake field '{field}' is {len(encoded)} bytes of UTF-8 but must be "
                                f"1..{MAX_NAME_LENGTH} bytes; use a shorter node or client name")
    return encoded


def _check_text(field: str, text: str) -> bytes:
    encoded = _utf8(field, text)
    if len(encoded) > MAX_TEXT_LENGTH:
        raise _malformed(field, f"handshake field '{field}' is {len(encoded)} bytes of UTF-8 but must be at most "
                                f"{MAX_TEXT_LENGTH} bytes")
    return encoded


@dataclass(frozen=True)
class Hello:
    """A client's v1 HELLO; construction enforces every rule, so a Hello always encodes."""

    digest: bytes
    name: str
    version: int = VERSION_1
    flags: int = 0

    def __post_init__(self) -> None:
        _check_u16("version", self.version, 1)
        _check_u16("flags", self.flags, 0)
        _check_digest("digest", self.digest)
        _check_name("name", self.name)


@dataclass(frozen=True)
class Accept:
    """A server's v1 ACCEPT: frames may flow both ways from the next byte on."""

    name: str
    version: int = VERSION_1
    flags: int = 0

    def __post_init__(self) -> None:
        _check_u16("version", self.version, 1)
        _check_u16("flags", self.flags, 0)
        _check_name("name", self.name)


@dataclass(frozen=True)
class Reject:
    """A server's v1 REJECT; both digests are always present (client digest all zero when unknown)."""

    reason_code: int
    server_digest: bytes
    client_digest: bytes = _ZERO_DIGEST
    text: str = ""
    version: int = VERSION_1

    def __post_init__(self) -> None:
        _check_u16("version", self.version, 1)
        _check_u16("reason", self.reason_code, 1)
        _check_digest("server_digest", self.server_digest)
        _check_digest("client_digest", self.client_digest)
        _check_text("text", self.text)

    @property
    def reason(self) -> RejectReason:
        """The reason for ``reason_code``, or UNKNOWN for a code this side lacks."""
        return RejectReason.from_code(self.reason_code)

    def to_error(self, server: str) -> HandshakeError:
        """Return the error a client raises for this REJECT (reason, text and, for a digest mismatch, both digests)."""
        reason = self.reason
        label = f"reason code {self.reason_code}" if reason is RejectReason.UNKNOWN else reason.name
        message = f"server {server} rejected the connection: {label}"
        if self.text:
            message += f": {self.text}"
        if reason is RejectReason.DIGEST_MISMATCH:
            message += f" (client digest {self.client_digest.hex()}, server digest {self.server_digest.hex()})"
        elif reason is RejectReason.UNSUPPORTED_VERSION:
            message += f" (server speaks protocol version {self.version})"
        field = {RejectReason.DIGEST_MISMATCH: "digest", RejectReason.UNSUPPORTED_VERSION: "version"}.get(reason,
                                                                                                       "reason")
        return HandshakeError(field, reason, message, self)


HandshakeReply = Union[Accept, Reject]


def _head(rest: bytes, version: int, kind: int) -> bytes:
    return _HEAD.pack(HEAD_LENGTH - PREFIX_LENGTH + len(rest), MAGIC, version, kind) + rest


def encode_legacy_handshake(digest: bytes) -> bytes:
    """Return the 34-byte legacy handshake (``20 00`` + digest) that original Mycelium clients send."""
    _check_digest("digest", digest)
    return _U16.pack(LEGACY_LENGTH_PREFIX) + bytes(digest)


def encode_handshake(message: Hello | Accept | Reject) -> bytes:
    """Return the bytes of a v1 HELLO, ACCEPT or REJECT (length prefix included)."""
    if isinstance(message, Hello):
        name = _check_name("name", message.name)
        return _head(struct.pack("<H", message.flags) + bytes(message.digest) + _U16.pack(len(name)) + name,
                     message.version, KIND_HELLO)
    if isinstance(message, Accept):
        name = _check_name("name", message.name)
        return _head(struct.pack("<HH", message.flags, len(name)) + name, message.version, KIND_ACCEPT)
    text = _check_text("text", message.text)
    return _head(_U16.pack(message.reason_code) + bytes(message.server_digest) + bytes(message.client_digest)
                 + _U16.pack(len(text)) + text, message.version, KIND_REJECT)


def _check_prefix(message: bytes) -> int:
    if len(message) < PREFIX_LENGTH:
        raise _malformed("length", f"handshake message is {len(message)} bytes; even its u16 length prefix needs "
                                   f"{PREFIX_LENGTH}")
    prefix: int = _U16.unpack_from(message, 0)[0]
    if prefix != len(message) - PREFIX_LENGTH:
        raise _malformed("length", f"length prefix says {prefix} bytes follow but {len(message) - PREFIX_LENGTH} "
                                   f"bytes were given")
    if prefix != LEGACY_LENGTH_PREFIX and prefix < MIN_V1_LENGTH_PREFIX:
        raise _malformed("length", f"length prefix {prefix} is too short for a v1 handshake message (magic, "
                                   f"version and kind need {MIN_V1_LENGTH_PREFIX})")
    return prefix


def _check_magic(message: bytes) -> None:
    if message[2:6] != MAGIC:
        raise _malformed("magic", f"expected magic 4d 59 43 31 (\"MYC1\") but got {message[2:6].hex(' ')}; the "
                                  f"peer does not speak Mycelium v1")


def _check_exact(length: int, expected: int, field: str, what: str) -> None:
    if length != expected:
        raise _malformed(field, f"{what} {field} implies {expected} bytes in all but the message has {length}")


def _check_at_least(length: int, minimum: int, what: str) -> None:
    if length < minimum:
        raise _malformed("length", f"{what} is {length} bytes but needs at least {minimum}")


def _decode_utf8(data: bytes, field: str, what: str) -> str:
    try:
        return data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as error:
        raise _malformed(field, f"{what} {field} is not valid UTF-8: {data[:32].hex(' ')}") from error


def _read_name(message: bytes, length_offset: int, what: str) -> str:
    name_length: int = _U16.unpack_from(message, length_offset)[0]
    if not 1 <= name_length <= MAX_NAME_LENGTH:
        raise _malformed("name_length", f"{what} name_length is {name_length} but must be 1..{MAX_NAME_LENGTH}")
    start = length_offset + 2
    _check_exact(len(message), start + name_length, "name_length", what)
    return _decode_utf8(message[start:start + name_length], "name", what)


def decode_legacy_handshake(message: bytes) -> bytes:
    """Return the digest of a 34-byte legacy handshake; raise HandshakeError when it is not one."""
    _check_prefix(message)
    if len(message) != LEGACY_MESSAGE_LENGTH:
        raise _malformed("length", f"a legacy handshake is {LEGACY_MESSAGE_LENGTH} bytes (length prefix 32, then "
                                   f"the digest) but {len(message)} bytes were given")
    return bytes(message[2:])


def decode_hello(message: bytes) -> Hello:
    """Decode a whole v1 HELLO (length prefix included).

    Raises HandshakeError naming the field: length, magic, version (reject reason UNSUPPORTED_VERSION), kind,
    name_length or name.
    """
    message = bytes(message)
    prefix = _check_prefix(message)
    if prefix == LEGACY_LENGTH_PREFIX:
        raise _malformed("length", "length prefix 32 marks a legacy handshake, not a v1 HELLO")
    _check_magic(message)
    _, _, version, kind = _HEAD.unpack_from(message, 0)
    if version != VERSION_1:
        raise HandshakeError("version", RejectReason.UNSUPPORTED_VERSION,
                             f"client speaks protocol version {version} but this side speaks only version "
                             f"{VERSION_1}; upgrade the older side")
    if kind != KIND_HELLO:
        raise _malformed("kind", f"expected kind {KIND_HELLO} (HELLO) but got kind {kind}")
    _check_at_least(len(message), _HELLO_NAME_LENGTH_OFFSET + 2, "HELLO")
    flags: int = _U16.unpack_from(message, 10)[0]
    digest = message[12:44]
    name = _read_name(message, _HELLO_NAME_LENGTH_OFFSET, "HELLO")
    return Hello(digest=digest, name=name, version=version, flags=flags)


def decode_reply(message: bytes) -> HandshakeReply:
    """Decode a whole ACCEPT or REJECT (length prefix included).

    Raises HandshakeError naming the field: length, magic, version (an ACCEPT must be version 1), kind,
    name_length, name, reason, text_length or text.
    """
    message = bytes(message)
    _check_prefix(message)
    _check_magic(message)
    _, _, version, kind = _HEAD.unpack_from(message, 0)
    if kind == KIND_ACCEPT:
        if version != VERSION_1:
            raise _malformed("version", f"server ACCEPTed with protocol version {version} but this client asked "
                                        f"for version {VERSION_1}")
        _check_at_least(len(message), _ACCEPT_NAME_LENGTH_OFFSET + 2, "ACCEPT")
        flags: int = _U16.unpack_from(message, 10)[0]
        return Accept(name=_read_name(message, _ACCEPT_NAME_LENGTH_OFFSET, "ACCEPT"), version=version, flags=flags)
    if kind == KIND_REJECT:
        _check_at_least(len(message), _REJECT_TEXT_LENGTH_OFFSET + 2, "REJECT")
        if version == 0:
            raise _malformed("version", "REJECT carries protocol version 0; versions start at 1")
        reason: int = _U16.unpack_from(message, 10)[0]
        if reason == 0:
            raise _malformed("reason", "REJECT carries reason code 0; codes start at 1")
        text_length: int = _U16.unpack_from(message, _REJECT_TEXT_LENGTH_OFFSET)[0]
        if text_length > MAX_TEXT_LENGTH:
            raise _malformed("text_length", f"REJECT text_length is {text_length} but at most {MAX_TEXT_LENGTH} "
                                            f"bytes are allowed")
        start = _REJECT_TEXT_LENGTH_OFFSET + 2
        _check_exact(len(message), start + text_length, "text_length", "REJECT")
        text = _decode_utf8(message[start:start + text_length], "text", "REJECT")
        return Reject(reason_code=reason, server_digest=message[12:44], client_digest=message[44:76], text=text,
                      version=version)
    raise _malformed("kind", f"expected a reply of kind {KIND_ACCEPT} (ACCEPT) or {KIND_REJECT} (REJECT) but got "
                             f"kind {kind}")


def _check_announced_prefix(prefix: int, accept_legacy: bool, who: str) -> None:
    if accept_legacy and prefix == LEGACY_LENGTH_PREFIX:
        return
    if not MIN_V1_LENGTH_PREFIX <= prefix <= MAX_HANDSHAKE_LENGTH_PREFIX:
        legacy = f"{LEGACY_LENGTH_PREFIX} (legacy) or " if accept_legacy else ""
        raise _malformed("length", f"{who} length prefix is {prefix} but must be {legacy}{MIN_V1_LENGTH_PREFIX}.."
                                   f"{MAX_HANDSHAKE_LENGTH_PREFIX} (v1); the peer does not speak Mycelium")


def read_reply(read_exactly: Callable[[int], bytes], server: str) -> Accept:
    """Read the server's reply with a blocking ``read_exactly(n)`` and return its ACCEPT.

    ``read_exactly`` must return exactly ``n`` bytes, or fewer only when the connection ended. Raises HandshakeError
    for a REJECT (via :meth:`Reject.to_error`), a malformed reply, or a connection that ended before the reply (a
    legacy server never answers) -- never a bare EOF.
    """
    head = read_exactly(PREFIX_LENGTH)
    if len(head) < PREFIX_LENGTH:
        raise _malformed("length", f"server {server} closed the connection after {len(head)} bytes of its "
                                   f"handshake reply; it may be a legacy Mycelium server (which never answers; "
                                   f"connect with the legacy handshake) or it crashed")
    prefix: int = _U16.unpack_from(head, 0)[0]
    _check_announced_prefix(prefix, False, "server reply")
    rest = read_exactly(prefix)
    if len(rest) < prefix:
        raise _malformed("length", f"server {server} closed the connection after {PREFIX_LENGTH + len(rest)} bytes "
                                   f"of its {PREFIX_LENGTH + prefix}-byte handshake reply")
    reply = decode_reply(head + rest)
    if isinstance(reply, Reject):
        raise reply.to_error(server)
    return reply


class HandshakeStatus(enum.Enum):
    """What the bytes fed to a :class:`HandshakeReader` amount to."""

    NEED_MORE = "NEED_MORE"
    LEGACY = "LEGACY"
    V1 = "V1"
    MALFORMED = "MALFORMED"


class HandshakeReader:
    """Reads a client's opening handshake on the server side, incrementally; mirrors the Java HandshakeReader.

    :meth:`feed` returns how many bytes of ``data`` it consumed -- exactly the handshake's, so frames a legacy
    client sends right after it are left for the frame decoder. It never buffers more than 2050 bytes.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._expected = -1
        self.status = HandshakeStatus.NEED_MORE
        self.legacy_digest: bytes | None = None
        self.hello: Hello | None = None
        self.failure: HandshakeError | None = None

    def feed(self, data: bytes) -> int:
        """Consume handshake bytes from ``data``; return the count consumed (0 once a final status is reached)."""
        if self.status is not HandshakeStatus.NEED_MORE:
            return 0
        consumed = 0
        if self._expected < 0:
            take = min(PREFIX_LENGTH - len(self._buffer), len(data))
            self._buffer += data[:take]
            consumed = take
            if len(self._buffer) < PREFIX_LENGTH:
                return consumed
            prefix: int = _U16.unpack_from(self._buffer, 0)[0]
            try:
                _check_announced_prefix(prefix, True, "handshake")
            except HandshakeError as error:
                self.failure = error
                self.status = HandshakeStatus.MALFORMED
                return consumed
            self._expected = PREFIX_LENGTH + prefix
        take = min(self._expected - len(self._buffer), len(data) - consumed)
        self._buffer += data[consumed:consumed + take]
        consumed += take
        if len(self._buffer) < self._expected:
            return consumed
        message = bytes(self._buffer)
        if self._expected == LEGACY_MESSAGE_LENGTH and message[:2] == _U16.pack(LEGACY_LENGTH_PREFIX):
            self.legacy_digest = message[2:]
            self.status = HandshakeStatus.LEGACY
            return consumed
        try:
            self.hello = decode_hello(message)
            self.status = HandshakeStatus.V1
        except HandshakeError as error:
            self.failure = error
            self.status = HandshakeStatus.MALFORMED
        return consumed


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


def constant_time_equal(left: bytes, right: bytes) -> bool:
    """Compare two digests in constant time (a server compares a digest an unauthenticated client chose)."""
    return hmac.compare_digest(left, right)
