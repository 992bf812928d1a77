"""Run the node as an unprivileged user when the tests run as root (Elasticsearch refuses root)."""

from __future__ import annotations

import logging
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

UNPRIVILEGED_USER = "nobody"


def as_root() -> bool:
    return os.geteuid() == 0


def launcher() -> list[str]:
    """The command prefix that starts the node: setpriv, as nobody when we are root."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        if as_root():
            raise RuntimeError("running as root needs `setpriv` (util-linux) to drop to nobody")
        return []
    # If the test process dies without cleaning up, the node must not outlive it.
    command = [setpriv, "--pdeathsig", "TERM"]
    if as_root():
        user = pwd.getpwnam(UNPRIVILEGED_USER)
        command += [f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups"]
    return command


def hand_over(directory: Path) -> None:
    """Give the node's own directory to the user it runs as."""
    if not as_root():
        return
    user = pwd.getpwnam(UNPRIVILEGED_USER)
    for path in [directory, *directory.rglob("*")]:
        os.chown(path, user.pw_uid, user.pw_gid)


def readable_home(home: Path, stamp: str) -> Path:
    """``home``, or a copy nobody can read when root's checkout is private (e.g. under /root).

    ``stamp`` identifies the prepared content; the copy is refreshed when it changes.
    """
    if not as_root():
        return home
    probe = [*launcher(), "test", "-r", str(home / "bin" / "elasticsearch")]
    if subprocess.run(probe, check=False).returncode == 0:
        return home
    copy = Path(tempfile.gettempdir()) / f"newswatch-eshome-{home.name}"
    marker = copy / ".prepared"
    if marker.is_file() and marker.read_text() == stamp:
        return copy
    logger.info("%s is not readable by %s; copying it to %s", home, UNPRIVILEGED_USER, copy)
    staging = copy.with_name(f"{copy.name}.{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(home, staging, symlinks=True)
    staging.chmod(0o755)
    (staging / marker.name).write_text(stamp)
    shutil.rmtree(copy, ignore_errors=True)
    staging.rename(copy)
    return copy
