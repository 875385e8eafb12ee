"""Shared fixtures of the package's tests: the repository, the `iki` CLI to compare with, and
the tools some tests need. A missing tool skips a test on a developer's machine and fails it in
CI (CI=true), where .ci/run installs everything."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

import iki

ROOT = Path(__file__).resolve().parents[4]


def need(what: str) -> None:
    """Skip, or in CI fail, because `what` is missing."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing (CI installs it in .ci/run)")
    pytest.skip(f"{what} is missing")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def iki_bin() -> Path:
    """The CLI: $IKI_BIN (the Rust test harness sets it), else a built target/debug/iki."""
    path = Path(os.environ.get("IKI_BIN", ROOT / "target/debug/iki"))
    if not path.is_file():
        need(f"the iki CLI ({path}; run `cargo build` or set IKI_BIN)")
    return path


@pytest.fixture(scope="session")
def ocr() -> None:
    try:
        iki.check_ocr()
    except RuntimeError as e:
        need(f"OCR ({e})")


def cli_lines(iki_bin: Path, *args: str, cwd: Path = ROOT) -> list[str]:
    """The NDJSON lines `iki extract ARGS --ndjson -` writes (without newlines)."""
    out = subprocess.run([str(iki_bin), "extract", *args, "--ndjson", "-", "-q"], cwd=cwd,
                         stdout=subprocess.PIPE, check=False)
    assert out.returncode in (0, 1), f"iki extract exited {out.returncode}"
    return out.stdout.decode("utf-8").splitlines()


TIMING_KEYS = {"elapsed_seconds", "files_per_second", "mb_per_second", "documents_per_second"}


def without_timing(value: Any) -> Any:
    """`value` with timing fields removed at every depth (none in documents today; a run's
    timing must never make two extractions differ)."""
    if isinstance(value, dict):
        return {k: without_timing(v) for k, v in value.items() if k not in TIMING_KEYS}
    if isinstance(value, list):
        return [without_timing(v) for v in value]
    return value


def document_set(lines: list[str]) -> list[str]:
    """Documents as a sorted list of canonical JSON texts (a multiset: duplicates stay)."""
    return sorted(json.dumps(without_timing(json.loads(line)), sort_keys=True) for line in lines)
