"""What the SDK needs from a message class: the shape of the classes generated from contracts.yaml."""

from __future__ import annotations

from typing import ClassVar, Protocol, TypeVar

__all__ = ["Message", "M", "type_name"]


class Message(Protocol):
    """A generated message: ``TYPE_ID`` (the wire type id), ``to_bytes()`` and the class method ``from_bytes()``."""

    TYPE_ID: ClassVar[int]

    def to_bytes(self) -> bytes:
        """Return the payload (the C layout of docs/wire.md §1)."""
        ...

    @classmethod
    def from_bytes(cls: type[M], payload: bytes) -> M:
        """Decode a payload of exactly the type's size."""
        ...


M = TypeVar("M", bound=Message)


def type_name(message_type: type[Message]) -> str:
    """Return ``Name (type 1001)`` for error messages and logs."""
    return f"{message_type.__name__} (type {message_type.TYPE_ID})"


def check_message_type(message_type: object) -> int:
    """Return the class's application type id; raise TypeError naming what is missing or wrong."""
    if not isinstance(message_type, type):
        raise TypeError(f"expected a generated message class but got {type(message_type).__name__} "
                        f"{message_type!r}; pass the class itself (e.g. TextMessage, not TextMessage(...))")
    missing = [name for name in ("TYPE_ID", "to_bytes", "from_bytes") if not hasattr(message_type, name)]
    if missing:
        raise TypeError(f"{message_type.__name__} is not a generated message class: it lacks "
                        f"{', '.join(missing)}; generate it from contracts.yaml with the codegen")
    type_id = getattr(message_type, "TYPE_ID")
    if not isinstance(type_id, int) or not 1000 <= type_id <= 0xFFFF:
        raise TypeError(f"{message_type.__name__}.TYPE_ID is {type_id!r} but must be an application type id in "
                        f"1000..65535 (0..999 are reserved for the framework)")
    return type_id
