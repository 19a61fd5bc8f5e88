"""Makes the analytics forkserver die with the app, even when the app is SIGKILLed.

The runner names this module first in the forkserver's preload list. Imported inside the
forkserver (Linux), it asks the kernel for SIGKILL when the parent (the app) goes away
(``PR_SET_PDEATHSIG``); without it the forkserver and the resource tracker could outlive a
killed app. Every worker the forkserver forks makes the same request at once, in the child
right after ``fork()`` (so no worker can be orphaned between its fork and its pool
initializer); the initializer also watches the app's pid (see ``tasks.worker_started``).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """SIGKILL this process when its parent exits (Linux; a no-op elsewhere).

    `parent`: the pid the parent had (known before a fork); when it is no longer the
    parent, it has already died and this process exits at once.
    """
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid() if parent is None else parent
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(0)


def _in_forkserver() -> bool:
    return "multiprocessing.forkserver" in sys.modules and sys.argv[:1] == ["-c"]


def _watch_forks() -> None:
    forkserver = os.getpid()
    os.register_at_fork(after_in_child=lambda: die_with_parent(forkserver))


if _in_forkserver():
    die_with_parent()
    _watch_forks()
