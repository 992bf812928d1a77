"""`python -m scheduler.queue.orphans COMMAND...`: run COMMAND so that it dies with its parent.

A worker starts each crawl in its own session (so a Ctrl-C meant for the worker
does not reach it); when the worker itself is killed (SIGKILL, OOM), the crawl
must not go on unseen while its job is re-delivered to another worker. Linux's
parent-death signal does that, and survives the exec.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1
#: The worker sets this to its pid: the parent the crawl must die with.
PARENT_ENV = "NEWSWATCH_WORKER_PID"


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m scheduler.queue.orphans COMMAND [ARGS...]", file=sys.stderr)
        return 2
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            print(f"prctl(PR_SET_PDEATHSIG) failed: errno {ctypes.get_errno()}", file=sys.stderr)
        # The parent may have died before prctl took effect: then nobody waits for us.
        parent = os.environ.get(PARENT_ENV)
        if parent and parent.isdigit() and os.getppid() != int(parent):
            return 1
    os.execvp(argv[0], argv)
    return 127  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
