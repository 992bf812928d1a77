"""The newswatch image: hadolint-clean, slim, non-root, self-contained, health-checked."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"


@pytest.fixture(scope="module")
def instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def test_hadolint_passes() -> None:
    hadolint = shutil.which("hadolint") or str(Path(__file__).parents[1] / ".venv/bin/hadolint")
    result = subprocess.run(
        [hadolint, "--no-color", str(DOCKERFILE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_base_images_are_pinned_slim(instructions: list[tuple[str, str]]) -> None:
    bases = [rest.split()[0] for keyword, rest in instructions if keyword == "FROM"]
    assert len(bases) == 2, "a build stage and a final stage"
    for base in bases:
        assert re.match(r"python:3\.11\.\d+-slim", base), base


def test_final_stage_runs_as_non_root_with_a_healthcheck(
    instructions: list[tuple[str, str]],
) -> None:
    final = instructions[max(i for i, (k, _) in enumerate(instructions) if k == "FROM") :]
    users = [rest for keyword, rest in final if keyword == "USER"]
    assert users and not users[-1].startswith(("0", "root")), users
    assert any(keyword == "HEALTHCHECK" for keyword, _ in final)
    # No compiler or package manager cache is installed in the final stage.
    assert not any(keyword == "RUN" and "apt-get install" in rest for keyword, rest in final)


def test_image_carries_mappings_config_and_pinned_dependencies(
    instructions: list[tuple[str, str]],
) -> None:
    copies = " ".join(rest for keyword, rest in instructions if keyword == "COPY")
    assert "index_mappings" in copies
    assert "crawler/config/default.yaml" in copies
    assert "deploy/requirements.lock" in copies
    lock = (ROOT / "deploy" / "requirements.lock").read_text(encoding="utf-8")
    pinned = [line for line in lock.splitlines() if line and not line.startswith("#")]
    assert pinned and all("==" in line for line in pinned)
    names = {line.split("==")[0].lower().replace("_", "-") for line in pinned}
    for dependency in ("scrapy", "elasticsearch", "apscheduler", "trafilatura", "fastapi"):
        assert dependency in names


def test_dockerignore_keeps_secrets_and_state_out() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for entry in (".env", ".git", ".venv", "data"):
        assert entry in ignored
