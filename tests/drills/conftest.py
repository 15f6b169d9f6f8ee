"""Run a drill (drills/) as its own process, the way scripts/drills does, and read its findings.

The drills start throwaway PostgreSQL and Redis servers of their own; these tests skip
locally without the binaries and fail under CI=true.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.services import require

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Findings:
    code: int
    failures: list[str]
    figures: dict
    output: str


def _can_start_servers() -> bool:
    has_postgres = any(Path("/usr/lib/postgresql").glob("*/bin/initdb")) or bool(
        os.environ.get("PG_BIN") or shutil.which("initdb")
    )
    as_root_ok = os.geteuid() != 0 or bool(shutil.which("runuser"))
    return bool(shutil.which("redis-server")) and has_postgres and as_root_ok


@pytest.fixture
def drill(tmp_path):
    require(
        "PostgreSQL and Redis server binaries",
        _can_start_servers(),
        "apt-get install -y postgresql redis-server",
    )

    def run(name: str, *args: str, timeout: float = 400) -> Findings:
        summary = tmp_path / f"{name}.json"
        command = [sys.executable, "-m", f"drills.{name}", "--json", str(summary), *args]
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGTERM)  # the drill removes its servers on SIGTERM
            output, _ = process.communicate(timeout=60)
            pytest.fail(f"drills.{name} ran past {timeout}s:\n{output}")
        print(output)  # shown by pytest when the test fails
        findings = json.loads(summary.read_text())
        return Findings(process.returncode, findings["failures"], findings["figures"], output)

    return run
