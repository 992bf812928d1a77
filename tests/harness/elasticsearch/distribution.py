"""Fetch the official Elasticsearch test distribution from Maven Central and unpack it."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

logger = logging.getLogger(__name__)

VERSION = "8.19.21"
ARTIFACT = f"org.elasticsearch.distribution.integ-test-zip:elasticsearch:{VERSION}:zip"
WORK_DIR = Path(os.environ.get("NEWSWATCH_ES_WORK_DIR", Path(__file__).parent / "work"))
HOME_DIR = WORK_DIR / f"elasticsearch-{VERSION}"
# Written last, so a half-unpacked home (interrupted run) is never mistaken for a ready one.
UNPACKED_MARKER = HOME_DIR / ".unpacked"


class PrepareError(RuntimeError):
    """The distribution or the test plugin could not be made ready."""


def local_repository() -> Path:
    """Maven's local repository (``~/.m2/repository`` unless MAVEN_REPO_LOCAL says otherwise)."""
    configured = os.environ.get("MAVEN_REPO_LOCAL")
    return Path(configured) if configured else Path.home() / ".m2" / "repository"


def zip_path() -> Path:
    group = "org/elasticsearch/distribution/integ-test-zip/elasticsearch"
    return local_repository() / group / VERSION / f"elasticsearch-{VERSION}.zip"


def fetch() -> Path:
    """Download the distribution zip into the Maven repository unless it is already there."""
    path = zip_path()
    if path.is_file():
        return path
    mvn = shutil.which("mvn")
    if mvn is None:
        raise PrepareError(
            f"{path} is missing and `mvn` is not installed to fetch it "
            "(Debian: apt-get install maven)"
        )
    logger.info("fetching %s with Maven", ARTIFACT)
    command = [mvn, "-B", "-q", "dependency:get", f"-Dartifact={ARTIFACT}", "-Dtransitive=false"]
    if "MAVEN_REPO_LOCAL" in os.environ:
        command.append(f"-Dmaven.repo.local={local_repository()}")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not path.is_file():
        raise PrepareError(
            f"`{' '.join(command)}` failed (exit {result.returncode}):\n"
            + (result.stdout + result.stderr)[-3000:]
        )
    return path


def _extract(archive: Path, target: Path) -> None:
    # zipfile drops Unix modes; the bin/ scripts and the JDK launchers need their exec bits.
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            extracted = Path(zf.extract(info, target))
            mode = (info.external_attr >> 16) & 0o777
            if mode and not info.is_dir():
                extracted.chmod(mode)


def unpack() -> Path:
    """Unpack the distribution into ``WORK_DIR`` once; later calls return at once."""
    if UNPACKED_MARKER.is_file():
        return HOME_DIR
    archive = fetch()
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    staging = WORK_DIR / f".unpacking-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    logger.info("unpacking %s into %s", archive, WORK_DIR)
    _extract(archive, staging)
    shutil.rmtree(HOME_DIR, ignore_errors=True)
    (staging / HOME_DIR.name).rename(HOME_DIR)
    shutil.rmtree(staging, ignore_errors=True)
    UNPACKED_MARKER.write_text(ARTIFACT + "\n")
    return HOME_DIR
