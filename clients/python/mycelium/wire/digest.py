"""The schema digest (docs/wire.md §3): SHA-256 of the contracts file, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Final

from mycelium.errors import SchemaError

__all__ = [
    "DIGEST_LENGTH",
    "schema_digest",
    "schema_digest_of_file",
    "digest_from_hex",
    "constant_time_equal",
]


# ---------------------------------------------------------------------------------------------------------------
# Schema digest (docs/wire.md §3)
# ---------------------------------------------------------------------------------------------------------------

DIGEST_LENGTH: Final = 32


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


def constant_time_equal(left: bytes, right: bytes) -> bool:
    """Compare two digests in constant time (a server compares a digest an unauthenticated client chose)."""
    return hmac.compare_digest(left, right)
