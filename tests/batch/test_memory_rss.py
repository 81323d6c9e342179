"""Bounded memory: RSS after 20,000 records is within 10% of RSS after 2,000 (benchmarks/memory.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from batch_fakes import package_root


def test_rss_at_20000_records_is_within_10_percent_of_rss_at_2000(cli_env: dict[str, str]) -> None:
    script = package_root() / "benchmarks" / "memory.py"
    if not script.exists():
        pytest.skip("benchmarks/ is not part of this installation")
    # Parquet output: the writer with the largest buffers (one checkpoint of rows).
    args = ["--records", "20000", "--first", "2000", "--format", "parquet", "--factory", "batch_fakes:make_fake"]
    done = subprocess.run(
        [sys.executable, str(script), *args], env=cli_env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.stdout, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["ok"], report
    assert report["rss_mib"]["20000"] <= 1.10 * report["rss_mib"]["2000"]
