"""Build the newswatch test analysis plugin and install it into the node's plugins/ dir."""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
import zipfile
from pathlib import Path

from tests.harness.elasticsearch import distribution

logger = logging.getLogger(__name__)

NAME = "newswatch-test-analysis"
CLASSNAME = "org.newswatch.testanalysis.NewswatchTestAnalysisPlugin"
SOURCES = Path(__file__).parent / "analysis-plugin" / "src" / "main" / "java"
BUILD_DIR = distribution.WORK_DIR / "plugin-build"
DESCRIPTOR = f"""\
name={NAME}
description=Test-only stand-in for analysis-common's English filters and analyzer
version={distribution.VERSION}
classname={CLASSNAME}
java.version=17
elasticsearch.version={distribution.VERSION}
"""


def _fingerprint() -> str:
    digest = hashlib.sha256(DESCRIPTOR.encode())
    for source in sorted(SOURCES.rglob("*.java")):
        digest.update(source.relative_to(SOURCES).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _javac(java_home: Path) -> str:
    candidate = java_home / "bin" / "javac"
    if candidate.is_file():
        return str(candidate)
    found = shutil.which("javac")
    if found is None:
        raise distribution.PrepareError(
            "javac not found: the test analysis plugin needs a JDK 17+ "
            "(Debian: apt-get install openjdk-17-jdk-headless)"
        )
    return found


def build(home: Path, java_home: Path) -> Path:
    """Compile against the distribution's own jars; return the plugin directory."""
    out = BUILD_DIR / NAME
    classes = BUILD_DIR / "classes"
    shutil.rmtree(BUILD_DIR, ignore_errors=True)
    classes.mkdir(parents=True)
    out.mkdir()
    command = [
        _javac(java_home),
        "--release",
        "17",
        "-encoding",
        "UTF-8",
        "-cp",
        str(home / "lib" / "*"),
        "-d",
        str(classes),
        *map(str, sorted(SOURCES.rglob("*.java"))),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise distribution.PrepareError(
            f"compiling {NAME} failed:\n{(result.stdout + result.stderr)[-3000:]}"
        )
    # A jar is a zip of the class files; no manifest is needed for a plugin jar.
    with zipfile.ZipFile(out / f"{NAME}.jar", "w", zipfile.ZIP_DEFLATED) as jar:
        for path in sorted(classes.rglob("*.class")):
            jar.write(path, path.relative_to(classes).as_posix())
    (out / "plugin-descriptor.properties").write_text(DESCRIPTOR)
    return out


def install(home: Path, java_home: Path) -> str:
    """Build (if the sources changed) and copy the plugin into ``home/plugins``.

    Returns the fingerprint of the installed sources.
    """
    target = home / "plugins" / NAME
    stamp = distribution.WORK_DIR / f".{NAME}.sha256"
    fingerprint = _fingerprint()
    if target.is_dir() and stamp.is_file() and stamp.read_text() == fingerprint:
        return fingerprint
    logger.info("building the %s plugin", NAME)
    built = build(home, java_home)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(built, target)
    stamp.write_text(fingerprint)
    return fingerprint
