"""The Java host's entry points into Python (called through the JNI bridge, never by services)."""

from __future__ import annotations

import sys

from mycelium_native import _context, _logstream, _safety
from mycelium_native._services import ServiceRunner, ServiceStopped, install_excepthook

_runners: dict[int, ServiceRunner] = {}


def install(default_service_id: int, default_name: str) -> None:
    """Route output to the server log and name the default service (once, right after the interpreter starts)."""
    _context.set_default_service(default_service_id, default_name)
    _logstream.install()
    install_excepthook()
    _safety.install_exit_guard()


def start_service(service_id: int, name: str, path: str) -> None:
    """Start the service in ``path`` on its own thread; an exception while importing it is reported, not raised."""
    if service_id in _runners:
        raise ValueError(f"service id {service_id} is already running ({_runners[service_id].name!r})")
    _context.register_name(service_id, name)
    runner = ServiceRunner(service_id, name, path)
    _runners[service_id] = runner
    runner.start()


def stop_service(service_id: int, timeout: float) -> bool:
    """Stop a service; True when its thread ended within ``timeout`` seconds (or it was not running)."""
    runner = _runners.pop(service_id, None)
    if runner is None:
        return True
    try:
        return runner.stop(timeout)
    finally:
        sys.stdout.flush()
        _context.forget_name(service_id)


def service_state(service_id: int) -> str:
    """``running``, ``finished`` (script returned, callbacks live on), ``exited(code)``, ``failed``, ``stopped``."""
    runner = _runners.get(service_id)
    return runner.state if runner is not None else "absent"


def failed_on_import(service_id: int) -> bool:
    """Whether the service ended with an ImportError (e.g. its protocol bundle's package was not there yet)."""
    runner = _runners.get(service_id)
    return runner is not None and runner.state == "failed" and runner.failed_on_import


def runner(service_id: int) -> ServiceRunner | None:
    """The runner of a running service, or None."""
    return _runners.get(service_id)


def add_path(entry: str) -> None:
    """Put ``entry`` in front of sys.path (a protocol bundle's Python packages); idempotent."""
    if entry not in sys.path:
        sys.path.insert(0, entry)


def remove_path(entry: str) -> None:
    """Take ``entry`` off sys.path; modules already imported from it stay loaded."""
    while entry in sys.path:
        sys.path.remove(entry)


def runners() -> list[ServiceRunner]:
    """The running services' runners."""
    return list(_runners.values())


def add_schema_package(name: str, directory: str, schema_id: str, bundle: str) -> None:
    """Make a protocol bundle's generated package importable as ``name`` (and as mycelium_protocol while alone)."""
    from mycelium_native import _schemas

    _schemas.add(name, directory, schema_id, bundle)


def remove_schema_package(name: str) -> list[str]:
    """Forget a protocol's package and purge its modules; return the services that used it (to be restarted)."""
    from mycelium_native import _schemas

    return _schemas.remove(name)


def missing_protocol(path: str) -> str | None:
    """The protocol package the service in ``path`` imports that is not deployed yet, or None (it may start)."""
    from mycelium_native import _schemas

    return _schemas.missing(path)


def _owned_threads(service_id: int) -> set[int]:
    runner = _runners.get(service_id)
    if runner is None:
        return set()
    return {thread.ident for thread in (runner.thread, *runner._threads) if thread.ident is not None}


def callback_stacks(service_id: int) -> str:
    """The Python stacks of the threads running a service's callbacks (for the watchdog's report)."""
    return _safety.callback_stacks(service_id, _owned_threads(service_id))


def interrupt_callbacks(service_id: int) -> int:
    """Raise ``ServiceStopped`` in the threads still running a stopped service's callbacks; how many were hit."""
    return _safety.interrupt_callbacks(service_id, _owned_threads(service_id), ServiceStopped)
