"""Exceptions that come from Java: the bridge raises these when a call into the Java host throws."""

from __future__ import annotations


class JavaError(RuntimeError):
    """A Java exception that reached Python; ``java_class`` names it and ``str()`` is its ``toString()``."""

    __module__ = "mycelium_native"

    def __init__(self, message: str, java_class: str = "") -> None:
        super().__init__(message)
        self.java_class = java_class


class JavaArgumentError(JavaError, ValueError):
    """A Java ``IllegalArgumentException``: the input was wrong (for example a payload of the wrong size)."""

    __module__ = "mycelium_native"
