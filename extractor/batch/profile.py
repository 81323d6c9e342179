"""Per-user interest profiles aggregated from extraction results (``extractor profile``).

For each ``user_id``, every interest's score in each of the user's conversations (``status: ok``)
is weighted by its age and summed::

    score(interest) = sum over conversations c of  score_c * 0.5 ** ((now - t_c) / half_life)

where ``now`` is ``--now`` or the latest timestamp in the results. A conversation without a usable
timestamp counts as if it happened at ``now`` (weight 1); timestamps after ``now`` count as ``now``.
An interest must appear in at least ``min_conversations`` conversations; the ``top_k`` best remain
(default 5, as in the Topics API's weekly top five). A user with any ``excluded`` record (opted
out, under age, excluded region) gets no profile at all, nor does a user left with no interest.

One pass over the results; memory grows with users x interests, never with conversations: each
user keeps one running sum per interest, relative to the user's latest timestamp so far (an
"anchor"), rescaled when a later conversation moves the anchor, so no ``now`` is needed until the end.
"""

from __future__ import annotations

import datetime as dt
import gzip
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.batch.errors import BatchError
from extractor.batch.sinks import encode_json_line

SECONDS_PER_DAY = 86_400.0


def parse_time(value: Any) -> float | None:
    """Epoch seconds from epoch seconds (number or numeric string) or ISO 8601 (naive means UTC)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        number = float(text)
    except ValueError:
        pass
    else:
        return number if math.isfinite(number) else None
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.timestamp()


@dataclass(frozen=True)
class ProfileOptions:
    top_k: int = 5
    half_life_days: float = 7.0
    min_conversations: int = 2
    #: Reference time in epoch seconds; ``None`` means the latest timestamp in the results.
    now: float | None = None

    def __post_init__(self) -> None:
        if self.top_k < 1:
            raise BatchError("--top-k must be at least 1")
        if not self.half_life_days > 0:
            raise BatchError("--half-life-days must be positive")
        if self.min_conversations < 1:
            raise BatchError("--min-conversations must be at least 1")


class _Interest:
    __slots__ = ("conversations", "dated", "name", "undated")

    def __init__(self, name: str) -> None:
        self.name = name
        self.dated = 0.0  # sum of score * 0.5 ** ((anchor - t) / half_life)
        self.undated = 0.0  # sum of scores of conversations without a timestamp
        self.conversations = 0


class _User:
    __slots__ = ("anchor", "conversations", "interests")

    def __init__(self) -> None:
        self.anchor: float | None = None
        self.conversations = 0
        self.interests: dict[str, _Interest] = {}


@dataclass
class ProfileStats:
    records: int = 0
    used: int = 0
    skipped_no_user: int = 0
    skipped_error: int = 0
    skipped_unreadable: int = 0
    undated: int = 0
    users_excluded: int = 0
    users_without_profile: int = 0
    profiles: int = 0


class ProfileBuilder:
    """Feed output records with :meth:`add`, then read :meth:`profiles`."""

    def __init__(self, options: ProfileOptions | None = None) -> None:
        self.options = options or ProfileOptions()
        self._half_life = self.options.half_life_days * SECONDS_PER_DAY
        self._users: dict[str, _User] = {}
        self._excluded: set[str] = set()
        self._latest: float | None = None
        self.stats = ProfileStats()

    def _decay(self, seconds: float) -> float:
        return 0.5 ** (max(seconds, 0.0) / self._half_life)

    def add(self, record: Mapping[str, Any]) -> None:
        """Account one output record (``ExtractionResult.to_dict()`` shape)."""
        self.stats.records += 1
        user_id = record.get("user_id")
        if not isinstance(user_id, str) or not user_id:
            self.stats.skipped_no_user += 1
            return
        status = record.get("status")
        policy = record.get("policy") or {}
        if status == "excluded" or (isinstance(policy, Mapping) and policy.get("excluded")):
            self._excluded.add(user_id)
            self._users.pop(user_id, None)
            return
        if status != "ok":
            self.stats.skipped_error += 1
            return
        if user_id in self._excluded:
            return
        self.stats.used += 1
        user = self._users.get(user_id)
        if user is None:
            user = self._users[user_id] = _User()
        user.conversations += 1
        t = parse_time(record.get("timestamp"))
        weight = 0.0
        if t is None:
            self.stats.undated += 1
        else:
            if self.options.now is not None:
                t = min(t, self.options.now)
            self._latest = t if self._latest is None else max(self._latest, t)
            if user.anchor is None:
                user.anchor = t
            elif t > user.anchor:
                factor = self._decay(t - user.anchor)
                for interest in user.interests.values():
                    interest.dated *= factor
                user.anchor = t
            weight = self._decay(user.anchor - t)
        best: dict[str, tuple[float, str]] = {}
        for item in record.get("interests") or ():
            if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
                continue
            score = item.get("score")
            if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
                continue
            iid = item["id"]
            if iid not in best or score > best[iid][0]:
                best[iid] = (float(score), str(item.get("name") or iid))
        for iid, (score, name) in best.items():
            interest = user.interests.get(iid)
            if interest is None:
                interest = user.interests[iid] = _Interest(name)
            interest.conversations += 1
            if t is None:
                interest.undated += score
            else:
                interest.dated += score * weight

    def add_all(self, records: Iterable[Mapping[str, Any]]) -> ProfileBuilder:
        for record in records:
            self.add(record)
        return self

    @property
    def reference_time(self) -> float | None:
        return self.options.now if self.options.now is not None else self._latest

    def profiles(self) -> Iterator[dict[str, Any]]:
        """Profiles in ``user_id`` order."""
        now = self.reference_time
        opts = self.options
        self.stats.users_excluded = len(self._excluded)
        for user_id in sorted(self._users):
            user = self._users[user_id]
            factor = self._decay(now - user.anchor) if user.anchor is not None and now is not None else 1.0
            ranked = sorted(
                (
                    (interest.dated * factor + interest.undated, interest.conversations, iid, interest.name)
                    for iid, interest in user.interests.items()
                    if interest.conversations >= opts.min_conversations
                ),
                key=lambda x: (-x[0], -x[1], x[2]),
            )[: opts.top_k]
            if not ranked:
                self.stats.users_without_profile += 1
                continue
            self.stats.profiles += 1
            yield {
                "user_id": user_id,
                "interests": [
                    {"id": iid, "name": name, "score": round(score, 6), "conversations": n}
                    for score, n, iid, name in ranked
                ],
                "conversations": user.conversations,
            }


def read_results(path: str) -> Iterator[dict[str, Any]]:
    """Output records from a results file or directory (JSON Lines, gzipped or not, or Parquet)."""
    from extractor.batch.sources import record_objects, resolve_inputs

    for value in record_objects(resolve_inputs(path)):
        yield value if value is not None else {"status": "unreadable"}


def write_profiles(profiles: Iterable[dict[str, Any]], path: str | Path) -> int:
    """Write profiles as JSON Lines (gzipped for ``.gz``); returns how many."""
    out = Path(path)
    tmp = out.with_name(out.name + ".tmp")
    n = 0
    try:
        with gzip.open(tmp, "wb") if out.name.endswith(".gz") else open(tmp, "wb") as fh:
            for profile in profiles:
                fh.write(encode_json_line(profile))
                n += 1
        tmp.replace(out)
    except OSError as exc:
        raise BatchError(f"cannot write profiles {out}: {exc}") from None
    return n


def build_profiles(results: str, output: str, options: ProfileOptions | None = None) -> ProfileStats:
    """Read results, aggregate per user and write the profiles; returns the counts."""
    builder = ProfileBuilder(options)
    for record in read_results(results):
        if record.get("status") == "unreadable":
            builder.stats.records += 1
            builder.stats.skipped_unreadable += 1
            continue
        builder.add(record)
    write_profiles(builder.profiles(), output)
    return builder.stats
