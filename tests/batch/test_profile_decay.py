"""Per-user profiles: time decay (worked example), support, top-k, exclusions, reading results."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from extractor.batch.errors import BatchError
from extractor.batch.profile import ProfileBuilder, ProfileOptions, parse_time
from extractor.batch.sinks import records_table
from extractor.cli import app

NOW = "2024-03-15T00:00:00Z"  # 1710460800
WEEK_AGO = 1_709_856_000  # 2024-03-08T00:00:00Z, as epoch seconds
TWO_WEEKS_AGO = "2024-03-01T00:00:00+00:00"


def _rec(cid: str, user: str | None, ts: Any, interests: dict[str, float], status: str = "ok") -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": cid,
        "status": status,
        "interests": [{"id": k, "name": k.title(), "score": v} for k, v in interests.items()],
        "policy": {"excluded": status == "excluded", "reason": None, "notes": []},
    }
    if user is not None:
        out["user_id"] = user
    if ts is not None:
        out["timestamp"] = ts
    return out


RECORDS = [
    _rec("a1", "alice", NOW, {"hiking": 0.8, "coffee": 0.9}),
    _rec("a2", "alice", WEEK_AGO, {"hiking": 0.6}),
    _rec("a3", "alice", TWO_WEEKS_AGO, {"coffee": 0.4, "guitar": 1.0}),
    _rec("b1", "bob", NOW, {"hiking": 0.9}),
    _rec("b2", "bob", WEEK_AGO, {"hiking": 0.9}),
    _rec("b3", "bob", WEEK_AGO, {}, status="excluded"),  # bob opted out in one conversation: no profile
    _rec("c1", "carol", NOW, {"baking": 0.7}),  # one conversation only: below the support of 2
    _rec("e1", "alice", NOW, {}, status="error"),
    _rec("n1", None, NOW, {"hiking": 1.0}),
]

# Worked example, half-life 7 days, reference time NOW:
#   hiking = 0.8 * 1 (today) + 0.6 * 0.5 (one half-life ago)              = 1.1   in 2 conversations
#   coffee = 0.9 * 1 (today) + 0.4 * 0.25 (two half-lives ago)            = 1.0   in 2 conversations
#   guitar = 1.0 * 0.25, but in 1 conversation < min_conversations 2      -> dropped
ALICE = {
    "user_id": "alice",
    "interests": [
        {"id": "hiking", "name": "Hiking", "score": 1.1, "conversations": 2},
        {"id": "coffee", "name": "Coffee", "score": 1.0, "conversations": 2},
    ],
    "conversations": 3,
}


def _profiles(records: list[dict[str, Any]], **kw: Any) -> list[dict[str, Any]]:
    return list(ProfileBuilder(ProfileOptions(**kw)).add_all(records).profiles())


def test_worked_example_with_explicit_now() -> None:
    assert _profiles(RECORDS, now=parse_time(NOW)) == [ALICE]


def test_reference_time_defaults_to_latest_timestamp_and_order_does_not_matter() -> None:
    shuffled = RECORDS[:]
    random.Random(3).shuffle(shuffled)
    assert _profiles(shuffled) == [ALICE]
    assert _profiles(list(reversed(RECORDS))) == [ALICE]


def test_top_k_support_and_half_life() -> None:
    assert [i["id"] for i in _profiles(RECORDS, top_k=1)[0]["interests"]] == ["hiking"]
    (alice, carol) = _profiles(RECORDS, min_conversations=1)
    assert [i["id"] for i in alice["interests"]] == ["hiking", "coffee", "guitar"]
    assert alice["interests"][2]["score"] == pytest.approx(0.25)
    assert carol["user_id"] == "carol"
    (slow,) = _profiles(RECORDS, half_life_days=14)
    assert slow["interests"][0]["score"] == pytest.approx(0.8 + 0.6 * 0.5**0.5)


def test_future_timestamps_count_as_now_and_undated_ones_at_full_weight() -> None:
    (early,) = _profiles(RECORDS, now=float(WEEK_AGO))
    assert early["interests"][0] == {"id": "hiking", "name": "Hiking", "score": 1.4, "conversations": 2}
    records = [_rec("x1", "dave", None, {"coffee": 0.5}), _rec("x2", "dave", WEEK_AGO, {"coffee": 0.5})]
    (dave,) = _profiles(records, now=parse_time(NOW))
    assert dave["interests"][0]["score"] == pytest.approx(0.5 + 0.25)


def test_a_user_excluded_after_earlier_conversations_loses_the_profile() -> None:
    records = [*RECORDS, _rec("a9", "alice", NOW, {}, status="excluded"), _rec("a10", "alice", NOW, {"tea": 1})]
    builder = ProfileBuilder().add_all(records)
    assert list(builder.profiles()) == []
    assert builder.stats.users_excluded == 2


def test_parse_time_accepts_iso_and_epoch() -> None:
    assert parse_time(NOW) == 1_710_460_800
    assert parse_time("2024-03-15T00:00:00") == 1_710_460_800  # naive means UTC
    assert parse_time("1710460800.0") == parse_time(1_710_460_800) == 1_710_460_800
    assert parse_time("yesterday") is None and parse_time(True) is None and parse_time(float("nan")) is None


def test_options_are_validated() -> None:
    with pytest.raises(BatchError):
        ProfileOptions(top_k=0)
    with pytest.raises(BatchError):
        ProfileOptions(half_life_days=0)


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_profile_command_reads_results_and_writes_jsonl(tmp_path: Path, fmt: str) -> None:
    results = tmp_path / f"results.{fmt}"
    if fmt == "parquet":
        pq.write_table(records_table(RECORDS), results)
    else:
        results.write_text("".join(json.dumps(r) + "\n" for r in RECORDS) + "{torn\n")
    out = tmp_path / "profiles.jsonl"
    result = CliRunner().invoke(app, ["profile", str(results), "-o", str(out), "--now", NOW])
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line) for line in out.read_text().splitlines()] == [ALICE]
    assert "1 profiles" in result.stderr
    bad = CliRunner().invoke(app, ["profile", str(results), "-o", str(out), "--now", "soon"])
    assert bad.exit_code == 1 and "--now" in bad.stderr
