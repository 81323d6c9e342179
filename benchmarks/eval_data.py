"""Labelled evaluation files: where they are and what a record must hold.

``quality.py`` reads two JSONL files from an evaluation folder: ``conversations_<split>.jsonl``
(multi-turn chats with coarse topic labels) and ``sensitive_<split>.jsonl`` (one-turn texts, each a
``sensitive`` text with its protected categories or a ``control``). The dev split's names are
preferred; a folder holding one file of each kind under another split name (``_test``, ``_heldout``,
your own labels) is read the same way, so the one command measures any split in this schema.

Every record is validated before anything runs. A bad record stops the run with an error that names
the file, line, record id and field, never the record's text, and lists every bad record, not only
the first, so no record is left out of a figure without a word.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

PREFERRED_SPLIT = "dev"
KINDS = ("conversations", "sensitive")
# Errors listed in one message; the count says how many more there were.
MAX_LISTED_ERRORS = 20


class EvalDataError(ValueError):
    """An evaluation file that cannot be used as it is (missing, ambiguous or holding bad records)."""


class _Turn(BaseModel):
    model_config = ConfigDict(extra="allow")

    speaker: str
    text: str


class _Labels(BaseModel):
    model_config = ConfigDict(extra="allow")

    topics: list[str] = Field(default_factory=list)
    sensitive: list[str] = Field(default_factory=list)


class EvalRecord(BaseModel):
    """One labelled record; fields the scorer does not read (``meta``, ``license``...) are kept as they are."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    turns: list[_Turn] = Field(min_length=1)
    labels: _Labels = Field(default_factory=_Labels)
    source: str = "unknown"
    original_label: str = ""
    group: Literal["sensitive", "control"] | None = None

    @model_validator(mode="after")
    def _group_agrees_with_labels(self) -> EvalRecord:
        if self.group == "sensitive" and not self.labels.sensitive:
            raise ValueError("a 'sensitive' text needs at least one category in labels.sensitive")
        if self.group == "control" and self.labels.sensitive:
            raise ValueError("a 'control' text must have no labels.sensitive categories")
        return self


def find_file(eval_dir: Path, kind: str) -> Path | None:
    """The ``kind`` file of ``eval_dir``: the dev split's, else the only ``<kind>_*.jsonl``; None if none.

    Raises :class:`EvalDataError` when the folder holds several splits and none is the dev one.
    """
    preferred = eval_dir / f"{kind}_{PREFERRED_SPLIT}.jsonl"
    if preferred.is_file():
        return preferred
    found = sorted(p for p in eval_dir.glob(f"{kind}_*.jsonl") if p.is_file())
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise EvalDataError(f"{eval_dir} holds several {kind} files ({names}): name one with --{kind} FILE")
    return found[0] if found else None


def read_records(
    path: Path,
    *,
    kind: Literal["conversations", "sensitive"],
    topics: Iterable[str],
    categories: Iterable[str],
) -> list[dict[str, Any]]:
    """Validated records of one evaluation file, as dicts with the optional fields filled in.

    ``topics`` and ``categories`` are the label vocabularies (coarse topics, protected categories): a
    label outside them could never be predicted and would count as a silent miss, so it is an error.
    In a ``sensitive`` file every record needs a ``group``.
    """
    known_topics, known_categories = frozenset(topics), frozenset(categories)
    records: list[dict[str, Any]] = []
    errors: list[str] = []
    first_line: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path.name} line {lineno}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(raw, dict):
                errors.append(f"{where}: expected a JSON object, got {type(raw).__name__}")
                continue
            rid = raw.get("id")
            label = f"{where} (record {rid!r})" if isinstance(rid, str) and rid else where
            try:
                record = EvalRecord.model_validate(raw)
            except ValidationError as exc:
                errors.extend(f"{label}: {problem}" for problem in _problems(exc))
                continue
            problems = _vocabulary_problems(record, kind, known_topics, known_categories)
            if record.id in first_line:
                problems.append(f"id also used on line {first_line[record.id]}")
            else:
                first_line[record.id] = lineno
            if problems:
                errors.extend(f"{label}: {problem}" for problem in problems)
                continue
            records.append(record.model_dump())
    if errors:
        listed = errors[:MAX_LISTED_ERRORS]
        more = f"\n  ... and {len(errors) - len(listed)} more" if len(errors) > len(listed) else ""
        raise EvalDataError(
            f"{path}: {len(errors)} bad record(s); nothing was scored:\n  " + "\n  ".join(listed) + more
        )
    return records


def _problems(exc: ValidationError) -> list[str]:
    """Field and message of each validation error; pydantic's own text would quote the input (record text)."""
    out = []
    for err in exc.errors(include_input=False, include_url=False):
        field = ".".join(str(p) for p in err["loc"]) or "record"
        out.append(f"{field}: {err['msg']}")
    return out


def _vocabulary_problems(
    record: EvalRecord, kind: str, known_topics: frozenset[str], known_categories: frozenset[str]
) -> list[str]:
    problems = []
    if kind == "sensitive" and record.group is None:
        problems.append("group: required in a sensitive file ('sensitive' or 'control')")
    unknown_topics = _unknown(record.labels.topics, known_topics)
    if unknown_topics:
        problems.append(f"labels.topics: not in the coarse topic vocabulary: {unknown_topics}")
    unknown_categories = _unknown(record.labels.sensitive, known_categories)
    if unknown_categories:
        problems.append(f"labels.sensitive: not a protected category: {unknown_categories}")
    return problems


def _unknown(values: Sequence[str], known: frozenset[str]) -> list[str]:
    return sorted({v for v in values if v not in known})
