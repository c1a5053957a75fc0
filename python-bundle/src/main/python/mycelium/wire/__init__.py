"""The Mycelium wire protocol v1 (docs/wire.md): TLV frames, schema digest, both handshakes and control frames.

Pure Python 3.11, standard library only, and byte-for-byte the same as the Java runtime in
``io.mycelium.protocol``; both are tested against ``docs/wire-vectors.json``. Every integer is little-endian.
Importing this module has no side effects. Nothing here is thread-safe unless it is immutable: use one
:class:`FrameDecoder` / :class:`HandshakeReader` per connection, from one thread.

Errors name the wire field at fault (``field``) with the same names as the Java exceptions and the docs.
"""

from mycelium.wire.control import *  # noqa: F401,F403
from mycelium.wire.digest import *  # noqa: F401,F403
from mycelium.wire.frame import *  # noqa: F401,F403
from mycelium.wire.handshake import *  # noqa: F401,F403

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
