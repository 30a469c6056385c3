"""An anyio event loop running in a daemon thread, reachable from the caller.

:class:`EventLoopThread` is what every request and WebSocket session runs on.
The caller's thread reaches it in three ways:

- :meth:`post` schedules a plain function on the loop without waiting - the
  cheap hand-off behind every request, message and cancellation;
- :meth:`spawn` starts a task in the loop's own task group, without waiting;
  the task runs in a copy of the caller's context, so the test's context
  variables reach the application, as they do with Starlette's client;
- :meth:`call` runs a function or coroutine function on the loop and waits
  for its result, with a bound so a loop blocked by the application can never
  hang the caller.

The thread is a daemon: an application that blocks its loop for ever (a
synchronous sleep in async code) cannot keep the test process from exiting.
"""
from __future__ import annotations

import concurrent.futures
import contextvars
import functools
import importlib.util
import inspect
import threading
from typing import Any, Awaitable, Callable, Dict, Optional, Set, Tuple

import anyio

from .errors import EventLoopBlocked, TestClientError

BACKENDS = ("asyncio", "trio")

#: The options anyio's asyncio backend understands (3.x and 4.x together).
ASYNCIO_OPTIONS = frozenset({"debug", "use_uvloop", "loop_factory", "policy"})

#: How long a new loop may take to start.
START_TIMEOUT = 30.0

#: How long stopping a loop may take before its thread is abandoned.
STOP_TIMEOUT = 5.0


def check_backend(backend: Any) -> str:
    """Return ``backend`` if anyio can run it here, or raise :class:`ValueError`."""
    if backend not in BACKENDS:
        raise ValueError(f"Unknown async backend {backend!r}: use one of {', '.join(map(repr, BACKENDS))}.")
    if backend == "trio" and importlib.util.find_spec("trio") is None:
        raise ValueError("The 'trio' backend needs the trio package: pip install trio.")
    return backend


def check_timeout(value: Any) -> Optional[float]:
    """A timeout in seconds: a number >= 0, or None for no limit."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value < 0:
        raise ValueError(f"A timeout must be a number of seconds >= 0, or None for no limit; got {value!r}.")
    return float(value)



class EventLoopThread:
    """One anyio event loop in one daemon thread, started on construction."""

    def __init__(self, backend: str = "asyncio", backend_options: Optional[Dict[str, Any]] = None) -> None:
        self.backend = check_backend(backend)
        unknown = set(backend_options or {}) - ASYNCIO_OPTIONS if backend == "asyncio" else set()
        if unknown:
            # anyio's asyncio backend silently ignores what it does not know
            raise ValueError(
                f"Unknown asyncio backend_options key(s) {', '.join(sorted(unknown))}: anyio accepts "
                f"{', '.join(sorted(ASYNCIO_OPTIONS))}."
            )
        self._ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._wake: Callable[[Callable[[], Any]], Any]
        self._task_group: Any = None
        self._asyncio_loop: Any = None
        self._native_tasks: Set[Any] = set()
        self._stop_event: Optional[anyio.Event] = None
        self._stopped = False
        #: True once the loop is being stopped: its tasks' cancellations are the engine's.
        self.stopping = False
        self._thread = threading.Thread(
            target=self._run,
            args=(dict(backend_options or {}),),
            name=f"robotasgi-{backend}-loop",
            daemon=True,
        )
        self._thread.start()
        try:
            self._ready.result(START_TIMEOUT)
        except concurrent.futures.TimeoutError:
            raise TestClientError(
                f"The {backend} event loop did not start within {START_TIMEOUT:g} s."
            ) from None

    # -- inside the loop thread -------------------------------------------------
    def _run(self, backend_options: Dict[str, Any]) -> None:
        try:
            anyio.run(self._main, backend=self.backend, backend_options=backend_options)
        except TypeError as exc:  # trio.run() refusing an option
            if not self._ready.done():
                self._ready.set_exception(ValueError(f"backend_options {backend_options!r} are not accepted by {self.backend}: {exc}"))
        except BaseException as exc:  # reaches the constructor
            if not self._ready.done():
                self._ready.set_exception(exc)

    async def _main(self) -> None:
        if self.backend == "trio":
            import trio

            self._wake = trio.lowlevel.current_trio_token().run_sync_soon
        else:
            import asyncio

            loop = self._asyncio_loop = asyncio.get_running_loop()
            # Callbacks must run in the loop's context, not the caller's, or
            # anyio cannot tell which backend it is running on.
            context = contextvars.copy_context()
            self._wake = functools.partial(_call_soon_in_context, loop, context)
        self._stop_event = anyio.Event()
        if self._asyncio_loop is not None:
            # Tasks are plain asyncio tasks: no task group to build and tear
            # down, which a loop made for one request pays for.
            self._ready.set_result(None)
            await self._stop_event.wait()
            await self._cancel_native_tasks()
            return
        async with anyio.create_task_group() as task_group:
            self._task_group = task_group
            self._ready.set_result(None)
            await self._stop_event.wait()
            task_group.cancel_scope.cancel()

    def _start_native_task(
        self, func: Callable[..., Awaitable[Any]], args: Tuple[Any, ...], context: contextvars.Context
    ) -> None:
        task = context.run(self._asyncio_loop.create_task, func(*args))
        self._native_tasks.add(task)
        task.add_done_callback(self._native_tasks.discard)

    async def _cancel_native_tasks(self) -> None:
        import asyncio

        tasks = list(self._native_tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=STOP_TIMEOUT)

    def start_task(self, func: Callable[[], Awaitable[Any]]) -> None:
        """On the loop's own thread: start ``func()`` as a task of the loop,
        in the current context; stopping the loop cancels it."""
        if self._asyncio_loop is not None:
            self._start_native_task(func, (), contextvars.copy_context())
        else:
            self._task_group.start_soon(func)

    # -- from the caller's thread -----------------------------------------------
    def post(self, func: Callable[[], Any]) -> None:
        """Run ``func()`` on the loop soon, without waiting for it."""
        if self._stopped:
            raise TestClientError("The test client's event loop has been stopped.")
        try:
            self._wake(func)
        except RuntimeError as exc:  # asyncio: loop closed; trio: RunFinishedError
            raise TestClientError("The test client's event loop has been stopped.") from exc

    def spawn(self, func: Callable[..., Awaitable[Any]], *args: Any) -> None:
        """Start ``func(*args)`` as a task on the loop, without waiting.

        The task runs in a copy of the calling thread's context (its context
        variables), told which async library it runs on. It must handle its
        own errors: one that escapes ends the loop.
        """
        context = contextvars.copy_context()
        if _sniffio_library is not None:
            context.run(_sniffio_library.set, self.backend)
        if self._asyncio_loop is not None:
            # A plain asyncio task: spawning one through anyio's task group costs
            # more than the rest of a small request. The task keeps its own
            # cancel scope; stopping the loop cancels it.
            self.post(functools.partial(self._start_native_task, func, args, context))
        else:
            self.post(functools.partial(context.run, self._task_group.start_soon, func, *args))

    def call(self, func: Callable[..., Any], *args: Any, timeout: float) -> Any:
        """Run ``func(*args)`` on the loop, await it if needed, return its result.

        ``timeout`` bounds the wait in the caller's thread. ``func`` should keep
        its own deadline well inside it; passing the bound means the loop itself
        was blocked, reported as :class:`EventLoopBlocked`.
        """
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()

        async def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = func(*args)
                if inspect.isawaitable(result):
                    result = await result
            except anyio.get_cancelled_exc_class():
                future.set_exception(TestClientError("The test client's event loop was stopped."))
                raise
            except BaseException as exc:
                future.set_exception(exc)
            else:
                future.set_result(result)

        self.spawn(run)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            raise EventLoopBlocked(
                f"The application blocked the event loop for more than {timeout:g} s "
                "(a synchronous, blocking call inside async code?)."
            ) from None

    def stop_soon(self) -> None:
        """On the loop's own thread: end the loop, without waiting for it.

        Whoever owned the loop has let go of it; the thread ends by itself
        once the loop's tasks have unwound."""
        self.stopping = self._stopped = True
        if self._stop_event is not None:
            self._stop_event.set()

    def stop(self, timeout: float = STOP_TIMEOUT, wait: bool = True) -> None:
        """Cancel every task on the loop and end its thread (idempotent);
        with ``wait=False``, without waiting for the thread to end."""
        if self._stopped:
            return
        if threading.current_thread() is self._thread:
            raise TestClientError("An event loop cannot be stopped from its own thread.")
        self.stopping = True
        stop_event = self._stop_event
        if stop_event is not None:
            try:
                self.post(stop_event.set)
            except TestClientError:
                pass
        self._stopped = True
        if wait:
            self._thread.join(timeout)
        # A thread still alive here is stuck in application code. It is a daemon
        # thread, so it cannot keep the interpreter from exiting.


def _sniffio_variable() -> Any:
    try:
        import sniffio
    except ImportError:  # anyio then tells asyncio by its running loop
        return None
    return sniffio.current_async_library_cvar


#: sniffio's "which async library runs this task" variable, if sniffio is installed.
_sniffio_library = _sniffio_variable()


def _call_soon_in_context(loop: Any, context: contextvars.Context, func: Callable[[], Any]) -> None:
    loop.call_soon_threadsafe(func, context=context)
