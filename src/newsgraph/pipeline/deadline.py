"""A time limit for work on one document.

``time_limit(seconds)`` arms a real-time timer (SIGALRM); when it fires, ``Overtime`` is
raised in the middle of whatever runs (Python code, regular expressions, and C parsers as
soon as they return). ``Overtime`` is a ``BaseException``, so the ``except Exception``
blocks of third-party libraries cannot swallow it. Outside the main thread, or where the
platform has no SIGALRM, the block runs without a limit.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


class Overtime(BaseException):
    """Work on one document ran past its time limit."""


def _raise(_signum, _frame):
    raise Overtime()


@contextmanager
def time_limit(seconds: float):
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
