from __future__ import annotations

import threading

from mycelium_native import _context


def test_default_service_when_no_service_is_on_the_stack() -> None:
    _context.set_default_service(3, "python")
    assert _context.current_service_id() == 3


def test_service_found_through_the_callers_globals() -> None:
    namespace = {_context.SERVICE_ID_GLOBAL: 11, "_context": _context}
    exec("def which():\n    return _context.current_service_id()\n", namespace)
    assert namespace["which"]() == 11  # type: ignore[operator]


def test_thread_attribute_wins_over_globals() -> None:
    seen: list[int] = []
    thread = threading.Thread(target=lambda: seen.append(_context.current_service_id()))
    setattr(thread, _context.THREAD_ATTRIBUTE, 42)
    thread.start()
    thread.join()
    assert seen == [42]


def test_unknown_service_name_shows_the_id() -> None:
    assert _context.service_name(999) == "#999"
