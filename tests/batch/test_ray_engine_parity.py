"""``--engine ray`` on a local two-CPU Ray gives the same results as the local engine."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from batch_fakes import HERE, make_fake, package_root, read_output, write_input

from extractor.batch.errors import BatchError
from extractor.batch.ray_engine import import_ray
from extractor.batch.runner import RunOptions, run_batch


def test_missing_ray_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(BatchError, match=r"pip install .*\[ray\]"):
        import_ray()


ray = pytest.importorskip("ray", reason="the ray extra is not installed")
pytestmark = pytest.mark.ray


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    # Ray workers inherit the driver's environment: let them import the extractor and batch_fakes.
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(package_root()), str(HERE), old) if p)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old


def _options(inp: Path, out: Path | str, **kw: Any) -> RunOptions:
    return RunOptions(str(inp), str(out), progress=False, checkpoint_every=100, **kw)


def _ray(inp: Path, out: Path | str, **kw: Any) -> Any:
    return run_batch(_options(inp, out, engine="ray", workers=2, ray_cpus_per_worker=0.5, **kw), make_fake)


def test_ray_file_output_is_identical_to_local(tmp_path: Path, local_ray: None) -> None:
    inp = write_input(tmp_path / "in.jsonl", 700, malformed_every=13)
    run_batch(_options(inp, tmp_path / "local.jsonl", audit=str(tmp_path / "local.json")), make_fake)
    summary = _ray(inp, tmp_path / "ray.jsonl", audit=str(tmp_path / "ray.json"), batch_size=32)
    assert summary.processed == 700
    assert (tmp_path / "ray.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert json.loads((tmp_path / "ray.json").read_text()) == json.loads((tmp_path / "local.json").read_text())


def test_ray_parquet_dataset_in_and_out_matches_local(tmp_path: Path, local_ray: None) -> None:
    dataset = tmp_path / "transcripts"
    dataset.mkdir()
    write_input(dataset / "part-0.parquet", 250)
    write_input(dataset / "part-1.parquet", 180)
    run_batch(_options(dataset, tmp_path / "local.parquet"), make_fake)
    summary = _ray(dataset, f"{tmp_path / 'results.parquet'}/", audit=str(tmp_path / "ray.json"))
    assert summary.processed == 430
    parts = sorted((tmp_path / "results.parquet").iterdir())
    assert parts and all(p.name.startswith("part-") and p.suffix == ".parquet" for p in parts)
    rows = [r for p in parts for r in pq.read_table(p).to_pylist()]
    assert rows == read_output(tmp_path / "local.parquet")
    with pytest.raises(BatchError, match="not empty"):
        _ray(dataset, f"{tmp_path / 'results.parquet'}/")
    with pytest.raises(BatchError, match="--resume needs a file output"):
        _ray(dataset, f"{tmp_path / 'results.parquet'}/", resume=True)


def test_ray_resumes_a_file_output_left_by_a_crash(tmp_path: Path, local_ray: None) -> None:
    inp = write_input(tmp_path / "in.jsonl.gz", 400, malformed_every=31)
    run_batch(_options(inp, tmp_path / "local.jsonl.gz"), make_fake)
    out = tmp_path / "ray.jsonl.gz"
    data = (tmp_path / "local.jsonl.gz").read_bytes()
    import gzip

    lines = gzip.decompress(data).splitlines(keepends=True)
    out.write_bytes(gzip.compress(b"".join(lines[:100]), mtime=0) + b"\x1f\x8b torn")
    summary = _ray(inp, out, resume=True)
    assert (summary.resumed_from, summary.processed) == (100, 300)
    assert gzip.decompress(out.read_bytes()) == gzip.decompress(data)
