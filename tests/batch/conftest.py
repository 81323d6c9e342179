"""Shared fixtures of the batch tests: the fake extractor on the import path, CLI subprocess helpers."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # batch_fakes must import the same way here, in workers and in subprocesses
    sys.path.insert(0, str(HERE))

from batch_fakes import package_root  # noqa: E402  (needs the path set above)


@pytest.fixture(scope="session")
def cli_env() -> dict[str, str]:
    """Environment for ``python -m extractor`` subprocesses that can load ``batch_fakes``."""
    paths = [str(package_root()), str(HERE)]
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(paths),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "FAKE_EXTRACTOR_DELAY": "0",
    }
