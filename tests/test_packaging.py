"""The wheel carries the product only: no test harness, the index mappings as package data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        cwd=out,
    )
    (wheel,) = out.glob("newswatch-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_wheel_holds_no_test_harness_or_benchmarks(wheel_names: list[str]) -> None:
    tops = {name.split("/")[0] for name in wheel_names if not name.startswith("newswatch-")}
    assert tops == {"crawler", "scheduler", "index_mappings"}, tops
    assert not [n for n in wheel_names if "/testing/" in n or "harness" in n or "newsweb" in n]


def test_wheel_carries_the_mappings_and_kibana_objects(wheel_names: list[str]) -> None:
    for name in ("stories.json", "runs.json", "alerts.json", "kibana/roles.json"):
        assert f"index_mappings/{name}" in wheel_names
    assert "crawler/config/default.yaml" in wheel_names


def test_product_code_never_imports_the_harness() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("crawler", "scheduler")
        for path in (ROOT / package).rglob("*.py")
        if any(
            line.lstrip().startswith(("from tests", "import tests", "from bench", "import bench"))
            for line in path.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert offenders == []
