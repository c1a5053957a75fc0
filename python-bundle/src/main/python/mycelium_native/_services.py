"""One deployed Python service: its own module namespace, its own thread, and a stop that always works.

Stopping a service sets its stop event, which ends its ``time.sleep`` at once, runs its SIGTERM (else SIGINT)
handler, then raises ``ServiceStopped`` in its thread (``PyThreadState_SetAsyncExc``) until the thread ends. So
``while True: time.sleep(1)`` stops within milliseconds and a busy pure-Python loop within a few bytecodes.

Why a per-service ``time`` module rather than signals: the JVM owns the process's signals, and an asynchronous
exception is only seen between bytecodes, never inside a blocking ``time.sleep``. The service's own ``__import__``
(in its private ``__builtins__``) hands it a ``time`` whose ``sleep`` waits on the stop event and a ``signal`` whose
``signal()`` records SIGINT/SIGTERM handlers. Modules the service imports from elsewhere keep the real ones.
"""

from __future__ import annotations

import builtins
import signal as _signal
import threading
import time as _time
import traceback
import types
import weakref
import zipfile
from pathlib import Path
from typing import Any, Callable

from mycelium_native import _context
from mycelium_native._native import native

_real_import = builtins.__import__


class ServiceStopped(BaseException):
    """Raised in a service's thread to stop it (a BaseException, so ``except Exception`` does not catch it)."""


def install_excepthook() -> None:
    """Let threads a service started end quietly when the service stops; other exceptions go to the old hook."""
    previous = threading.excepthook

    def excepthook(args: Any) -> None:
        if args.exc_type is not None and issubclass(args.exc_type, ServiceStopped):
            return
        previous(args)

    threading.excepthook = excepthook


_PACKAGE_DIR = str(Path(__file__).resolve().parent)


def _service_traceback(error: BaseException) -> str:
    """The formatted traceback without the host's own frames (the runner, the import hook)."""
    formatted = traceback.TracebackException.from_exception(error)
    frames = [frame for frame in formatted.stack if not frame.filename.startswith(_PACKAGE_DIR)]
    formatted.stack = traceback.StackSummary.from_list(frames)
    return "".join(formatted.format())


def report(service_id: int, error: BaseException) -> None:
    """Log and count ``error`` for the service on the Java side, with its traceback."""
    kind = type(error)
    name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    native().report_error(service_id, name, str(error), _service_traceback(error))


def _load(path: Path) -> tuple[types.CodeType, str, str | None]:
    """Compile a service: a .py file, a folder with __main__.py, or a .zip with __main__.py.

    Returns the code, the file name tracebacks show, and a sys.path entry the service needs (folder/zip) or None.
    """
    if path.is_dir():
        main = path / "__main__.py"
        if not main.is_file():
            raise FileNotFoundError(f"service folder {path} has no __main__.py")
        return compile(main.read_bytes(), str(main), "exec"), str(main), str(path)
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            try:
                source = archive.read("__main__.py")
            except KeyError:
                raise FileNotFoundError(f"service archive {path} has no __main__.py at its root") from None
        main_name = f"{path}/__main__.py"
        return compile(source, main_name, "exec"), main_name, str(path)
    return compile(path.read_bytes(), str(path), "exec"), str(path), None


class ServiceRunner:
    """Runs one service. ``start`` and ``stop`` are called by the host, one lifecycle change at a time."""

    def __init__(self, service_id: int, name: str, path: str) -> None:
        self.service_id = service_id
        self.name = name
        self.path = Path(path)
        self.state = "starting"
        self.failed_on_import = False  # an ImportError ended it: retried when a schema package arrives
        self.namespace: dict[str, Any] = {}  # the service's globals, once it runs
        self._stop_event = threading.Event()
        self._handlers: dict[int, Any] = {}
        self._handlers_ran = False
        self._handler_running = False
        self._lock = threading.Lock()
        self._runtimes: weakref.WeakSet[Any] = weakref.WeakSet()
        self._sys_path_entry: str | None = None
        self._threads: weakref.WeakSet[threading.Thread] = weakref.WeakSet()
        self._proxies = {
            "time": self._proxy(_time, sleep=self._sleep),
            "signal": self._proxy(_signal, signal=self._set_signal, getsignal=self._get_signal),
            "threading": self._proxy(threading, Thread=self._thread_class()),
        }
        self.thread = threading.Thread(target=self._run, name=f"service-{name}", daemon=True)
        setattr(self.thread, _context.THREAD_ATTRIBUTE, service_id)

    @staticmethod
    def _proxy(module: types.ModuleType, **overrides: Callable[..., Any]) -> types.ModuleType:
        proxy = types.ModuleType(module.__name__, module.__doc__)
        proxy.__dict__.update(module.__dict__)
        proxy.__dict__.update(overrides)
        return proxy

    def _thread_class(self) -> type[threading.Thread]:
        runner = self

        class Thread(threading.Thread):
            """``threading.Thread`` as a service sees it: the thread belongs to the service and stops with it."""

            def start(self) -> None:
                setattr(self, _context.THREAD_ATTRIBUTE, runner.service_id)
                runner._threads.add(self)
                super().start()

        return Thread

    def track(self, runtime: Any) -> None:
        """Remember a Runtime created by this service, so stopping or exiting the service closes it."""
        self._runtimes.add(runtime)

    def start(self) -> None:
        self.thread.start()

    # --- inside the service -------------------------------------------------------------------------------------

    def _import(self, name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0) -> Any:
        if level == 0:
            proxy = self._proxies.get(name)
            if proxy is not None:
                return proxy
        return _real_import(name, globals, locals, fromlist, level)

    def _sleep(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        if self._stop_event.wait(seconds):
            self._run_handlers()
            raise ServiceStopped(f"service {self.name!r} stopped")

    def _set_signal(self, signalnum: int, handler: Any) -> Any:
        if signalnum not in (_signal.SIGINT, _signal.SIGTERM):
            raise ValueError(
                f"service {self.name!r}: only SIGINT and SIGTERM handlers can be set in an embedded service "
                f"(they run when the service is stopped), not signal {signalnum}"
            )
        previous = self._handlers.get(signalnum, _signal.SIG_DFL)
        self._handlers[signalnum] = handler
        return previous

    def _get_signal(self, signalnum: int) -> Any:
        return self._handlers.get(signalnum, _signal.SIG_DFL)

    def _namespace(self, file: str) -> dict[str, Any]:
        own_builtins = dict(builtins.__dict__)
        own_builtins["__import__"] = self._import
        return {
            "__name__": "__main__",
            "__file__": file,
            "__builtins__": own_builtins,
            _context.SERVICE_ID_GLOBAL: self.service_id,
            "__mycelium_service__": self.name,
        }

    def _run(self) -> None:
        self.state = "running"
        try:
            code, file, path_entry = _load(self.path)
            if path_entry is not None:
                import sys

                sys.path.insert(0, path_entry)
                self._sys_path_entry = path_entry
            self.namespace = self._namespace(file)
            exec(code, self.namespace)
            self.state = "finished"
        except ServiceStopped:
            self.state = "stopped"
        except SystemExit as exit:
            print(f"service exited with sys.exit({exit.code!r})")
            self._close_runtimes()
            self.state = f"exited({exit.code})"
        except BaseException as error:
            report(self.service_id, error)  # before the state changes: watchers of the state see the count
            self.failed_on_import = isinstance(error, ImportError)
            self.state = "failed"

    def _run_handlers(self) -> None:
        """Run the SIGTERM handler, else the SIGINT one, once; exceptions (SystemExit) propagate."""
        with self._lock:
            if self._handlers_ran:
                return
            self._handlers_ran = True
        for signalnum in (_signal.SIGTERM, _signal.SIGINT):
            handler = self._handlers.get(signalnum)
            if callable(handler):
                self._handler_running = True  # stop() holds its asynchronous exception meanwhile
                try:
                    handler(signalnum, None)
                finally:
                    self._handler_running = False
                return

    def _close_runtimes(self) -> None:
        for runtime in list(self._runtimes):
            try:
                runtime.close()
            except Exception as error:
                report(self.service_id, error)

    # --- from the host ------------------------------------------------------------------------------------------

    def stop(self, timeout: float) -> bool:
        """Stop the service; return whether its thread and the threads it started ended within ``timeout`` seconds."""
        self._stop_event.set()
        deadline = _time.monotonic() + timeout
        self.thread.join(min(0.02, timeout))  # a sleeping service ends here, through its time.sleep
        threads = [self.thread, *self._threads]
        while _time.monotonic() < deadline:
            alive = [thread for thread in threads if thread.is_alive()]
            if not alive:
                break
            if not self._handler_running:  # let a SIGTERM handler finish its work (publish, close, exit)
                for thread in alive:
                    if thread.ident is not None:
                        native().async_exc(thread.ident, ServiceStopped)
            alive[0].join(0.05)
        try:
            self._run_handlers()  # the script had already returned: its handlers run here
        except SystemExit:
            pass
        except BaseException as error:
            report(self.service_id, error)
        self._close_runtimes()
        if self._sys_path_entry is not None:
            import sys

            try:
                sys.path.remove(self._sys_path_entry)
            except ValueError:
                pass
        stopped = not any(thread.is_alive() for thread in threads)
        if stopped and self.state in ("running", "finished"):
            self.state = "stopped"
        return stopped
