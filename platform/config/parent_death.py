"""Children that go when their parent goes: Linux's parent-death signal.

Its own module because the supervisor (config/serve.py, run with ``python -m``) and the Celery app
both use it; the app importing the supervisor made runpy warn that config.serve was imported twice.
"""

from __future__ import annotations

import contextlib
import ctypes
import signal

PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGTERM) -> None:
    """Ask Linux to send ``sig`` to this process when the thread that forked it exits."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
