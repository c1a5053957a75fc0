"""Python output into the server log: ``sys.stdout``/``sys.stderr`` line writers and a ``logging`` handler.

Each line goes to the Java logger ``python.<service>`` (``python.<service>.<logger>`` for ``logging``), so print and
logging output of a service appears in the server log, in order, prefixed with the service name.
"""

from __future__ import annotations

import io
import logging
import sys
import threading
from typing import TextIO, cast

from mycelium_native import _context
from mycelium_native._native import native


def _emit(level: int, logger: str, message: str) -> None:
    try:
        native().log(level, logger, message)
    except Exception:  # the log itself failed: keep the line rather than lose it
        fallback = sys.__stderr__
        if fallback is not None:
            fallback.write(f"[{logger}] {message}\n")


def _service_logger() -> str:
    return "python." + _context.service_name(_context.current_service_id())


class JavaLogStream(io.TextIOBase):
    """A text stream that logs each complete line at one level; per-thread buffers keep threads' lines apart."""

    def __init__(self, level: int, name: str) -> None:
        super().__init__()
        self._level = level
        self._name = name
        self._local = threading.local()

    @property
    def name(self) -> str:
        return self._name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        buffered: str = getattr(self._local, "buffer", "") + text
        *lines, rest = buffered.split("\n")
        self._local.buffer = rest
        if lines:
            logger = _service_logger()
            for line in lines:
                _emit(self._level, logger, line)
        return len(text)

    def flush(self) -> None:
        rest: str = getattr(self._local, "buffer", "")
        if rest:
            self._local.buffer = ""
            _emit(self._level, _service_logger(), rest)


class JavaLogHandler(logging.Handler):
    """Sends each log record to the Java logger ``python.<service>.<record logger>`` at the record's level."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = self.format(record)
        except Exception:
            self.handleError(record)
            return
        _emit(record.levelno, f"{_service_logger()}.{record.name}", message)


def install() -> None:
    """Route stdout, stderr and the root logger (at INFO) to the server log."""
    # a text stream, not a TextIO: print() and logging only need write() and flush()
    sys.stdout = cast(TextIO, JavaLogStream(logging.INFO, "<mycelium stdout>"))
    sys.stderr = cast(TextIO, JavaLogStream(logging.WARNING, "<mycelium stderr>"))
    root = logging.getLogger()
    if not any(isinstance(handler, JavaLogHandler) for handler in root.handlers):
        root.addHandler(JavaLogHandler())
    root.setLevel(logging.INFO)
