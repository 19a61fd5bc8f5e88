"""Makes the analytics forkserver die with the app, even when the app is SIGKILLed.

The runner names this module first in the forkserver's preload list. Imported inside the
forkserver (Linux), it asks the kernel for SIGKILL when the parent (the app) goes away
(``PR_SET_PDEATHSIG``); without it the forkserver and the resource tracker could outlive a
killed app. The pool workers do the same in their initializer (their parent is the
forkserver) and also watch the app's pid (see ``tasks.worker_started``).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """SIGKILL this process when its parent exits (Linux; a no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(0)


def _in_forkserver() -> bool:
    return "multiprocessing.forkserver" in sys.modules and sys.argv[:1] == ["-c"]


if _in_forkserver():
    die_with_parent()
