from __future__ import annotations

import logging
import threading

from conftest import FakeNative

from mycelium_native import _context
from mycelium_native._logstream import JavaLogHandler, JavaLogStream


def test_stream_logs_each_complete_line_under_the_service_name(fake_native: FakeNative) -> None:
    _context.set_default_service(0, "python")
    stream = JavaLogStream(logging.INFO, "<test>")
    stream.write("first line\nsecond ")
    stream.write("line\n")
    assert fake_native.logged == [(20, "python.python", "first line"), (20, "python.python", "second line")]


def test_stream_flush_emits_a_partial_line(fake_native: FakeNative) -> None:
    stream = JavaLogStream(logging.WARNING, "<test>")
    stream.write("no newline")
    assert fake_native.logged == []
    stream.flush()
    assert fake_native.logged[-1][0] == 30
    assert fake_native.logged[-1][2] == "no newline"


def test_stream_keeps_threads_lines_apart(fake_native: FakeNative) -> None:
    stream = JavaLogStream(logging.INFO, "<test>")
    stream.write("main-")
    worker = threading.Thread(target=lambda: stream.write("worker\n"))
    worker.start()
    worker.join()
    stream.write("thread\n")
    assert [message for _, _, message in fake_native.logged] == ["worker", "main-thread"]


def test_stream_names_the_service_of_a_service_thread(fake_native: FakeNative) -> None:
    _context.register_name(5, "ml-model")
    stream = JavaLogStream(logging.INFO, "<test>")

    def run() -> None:
        stream.write("hello\n")

    thread = threading.Thread(target=run)
    setattr(thread, _context.THREAD_ATTRIBUTE, 5)
    thread.start()
    thread.join()
    assert fake_native.logged == [(20, "python.ml-model", "hello")]


def test_handler_sends_records_with_level_and_logger(fake_native: FakeNative) -> None:
    _context.set_default_service(0, "python")
    logger = logging.getLogger("test.handler")
    logger.propagate = False
    logger.addHandler(JavaLogHandler())
    try:
        logger.warning("disk %d%% full", 93)
    finally:
        logger.handlers.clear()
    assert fake_native.logged == [(30, "python.python.test.handler", "disk 93% full")]
