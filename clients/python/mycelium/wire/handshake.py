"""The legacy and v1 connection handshakes (docs/wire.md §5): their codecs and a client's side of them.

The codecs (:func:`encode_handshake`, :func:`decode_reply`, :class:`HandshakeReader` ...) work on bytes.
:func:`handshake_v1` sends a HELLO over a connected blocking socket and reads the ACCEPT or REJECT;
:func:`handshake_legacy` sends the original Mycelium's 34-byte handshake, which a server never answers. Their errors
are :class:`HandshakeFailed` (a ``ConnectionError``) and :class:`HandshakeRejected`, which name the server.
"""

from __future__ import annotations

import enum
import socket
import struct
from dataclasses import dataclass
from typing import Callable, Final, Union

from mycelium.errors import LinkError
from mycelium.wire.digest import DIGEST_LENGTH
from mycelium.wire.frame import _U16

_ZERO_DIGEST: Final = bytes(DIGEST_LENGTH)

__all__ = [
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
    "HandshakeFailed",
    "HandshakeRejected",
    "SocketReader",
    "handshake_v1",
    "handshake_legacy",
]



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
    # A name ends up in log lines and REJECT texts: a line feed or an escape sequence in it would forge them.
    for index, char in enumerate(name):
        if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
            raise _malformed(field, f"handshake field '{field}' holds control character U+{ord(char):04X} at "
                                    f"character {index}; node and client names must be printable")
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




def _check_digest(field: str, digest: bytes) -> None:
    if not isinstance(digest, (bytes, bytearray)) or len(digest) != DIGEST_LENGTH:
        size = len(digest) if isinstance(digest, (bytes, bytearray)) else type(digest).__name__
        raise HandshakeError(field, RejectReason.MALFORMED,
                             f"handshake field '{field}' must be {DIGEST_LENGTH} bytes (SHA-256) but is {size}")


# ---- a client's side, over a connected blocking socket ---------------------------------------------------------

class HandshakeFailed(HandshakeError, ConnectionError):
    """The handshake did not complete: the server closed, timed out or sent a malformed reply.

    ``field`` names the wire field at fault (``length`` for a connection that ended early).
    """


class HandshakeRejected(HandshakeFailed):
    """The server answered the HELLO with a REJECT; ``reject`` holds it (reason, text and both digests).

    For ``DIGEST_MISMATCH`` the message shows the client's and the server's schema digest in hex: regenerate the
    message classes from the server's contracts.yaml (or deploy the client's) so that both sides agree.
    """

    @property
    def reason(self) -> RejectReason:
        """The server's reason (UNKNOWN for a code this client does not know)."""
        return self.reject_reason


def _closed_during_handshake(server: str, received: int) -> HandshakeFailed:
    return HandshakeFailed(
        "length", RejectReason.MALFORMED,
        f"server {server} closed during handshake (a legacy server? an original Mycelium server never answers the "
        f"v1 HELLO and drops it; connect with legacy=True) after sending {received} bytes of its reply")


class SocketReader:
    """Reads exact byte counts of a handshake from a blocking socket whose timeout bounds each read.

    ``received`` counts the bytes read so far and ``ended`` tells whether the server closed; a timeout raises
    HandshakeFailed naming the server, ``what`` is being read and how many bytes came.
    """

    def __init__(self, sock: socket.socket, server: str, what: str = "handshake reply") -> None:
        self.sock = sock
        self.server = server
        self.what = what
        self.received = 0
        self.ended = False

    def read_exactly(self, count: int) -> bytes:
        """``count`` bytes, or fewer only when the server closed the connection."""
        chunks = bytearray()
        while len(chunks) < count:
            try:
                chunk = self.sock.recv(count - len(chunks))
            except socket.timeout as error:
                raise HandshakeFailed(
                    "length", RejectReason.MALFORMED,
                    f"server {self.server} sent no complete {self.what} within {self.sock.gettimeout()} s (got "
                    f"{self.received + len(chunks)} bytes); it may not be a Mycelium node, or it is overloaded "
                    f"(raise connect_timeout)") from error
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                self.ended = True
                break
            chunks += chunk
        self.received += len(chunks)
        return bytes(chunks)


def handshake_v1(sock: socket.socket, digest: bytes, client_name: str, server: str) -> Accept:
    """Send a HELLO with ``digest`` and ``client_name`` and return the server's ACCEPT.

    The socket's timeout bounds each read. Raises HandshakeRejected for a REJECT, HandshakeFailed when the server
    closes (a legacy server?), does not answer in time, or answers with a malformed reply.
    """
    hello = encode_handshake(Hello(digest=digest, name=client_name))
    reader = SocketReader(sock, server)
    try:
        sock.sendall(hello)
    except (BrokenPipeError, ConnectionResetError) as error:
        raise _closed_during_handshake(server, 0) from error
    try:
        return read_reply(reader.read_exactly, server)
    except HandshakeFailed:
        raise
    except HandshakeError as error:
        if error.reject is not None:
            raise HandshakeRejected(error.field, error.reject_reason, str(error), error.reject) from None
        if reader.ended:
            raise _closed_during_handshake(server, reader.received) from error
        raise HandshakeFailed(error.field, error.reject_reason,
                              f"server {server} sent a malformed handshake reply: {error}") from error


def handshake_legacy(sock: socket.socket, digest: bytes, server: str) -> None:
    """Send the original Mycelium's handshake (``20 00`` + digest); the server never answers it.

    A legacy server that disagrees on the digest just closes the connection, which the reader then reports.
    """
    try:
        sock.sendall(encode_legacy_handshake(digest))
    except OSError as error:
        raise HandshakeFailed("length", RejectReason.MALFORMED,
                              f"server {server} closed the connection during the legacy handshake: {error}") from error
