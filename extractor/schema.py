"""Input and output records.

Input parsing never raises anything but :class:`RecordError`, whose message names the
record and the field at fault and never quotes transcript text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# Size limits: a record past these is rejected rather than processed slowly or truncated silently.
MAX_ID_CHARS = 256
MAX_TURNS = 2_000
MAX_TURN_CHARS = 50_000
MAX_RECORD_CHARS = 500_000
MAX_LINE_BYTES = 8 * MAX_RECORD_CHARS

_REGION_RE = re.compile(r"^[A-Za-z]{2}$")

# Every other speaker label ("user", "speaker_a", "customer"...) is a person speaking for themselves.
NON_USER_SPEAKERS = frozenset({"assistant", "system", "bot", "ai", "tool", "model"})

Status = Literal["ok", "excluded", "error"]
Intent = Literal["interest", "purchase"]


class RecordError(ValueError):
    """A record that cannot be processed. ``code`` is machine-readable; ``message`` is safe to log."""

    def __init__(self, code: str, message: str, *, record_id: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.record_id = record_id


class Turn(BaseModel):
    model_config = ConfigDict(frozen=True)

    speaker: str
    text: str

    @property
    def is_user(self) -> bool:
        return self.speaker not in NON_USER_SPEAKERS


class Conversation(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    turns: tuple[Turn, ...]
    user_id: str | None = None
    region: str | None = None
    timestamp: str | float | None = None
    consent: bool | None = None
    age: int | None = None


class Evidence(BaseModel):
    model_config = ConfigDict(frozen=True)

    turn: int
    text: str


class InterestSignal(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    path: tuple[str, ...]
    ad_categories: tuple[str, ...]
    intent: Intent
    score: float
    evidence: tuple[Evidence, ...]
    iab_id: str | None = None


class PolicyDecision(BaseModel):
    model_config = ConfigDict(frozen=True)

    excluded: bool = False
    reason: str | None = None
    # Record-level notes that reveal nothing about which protected category was seen,
    # e.g. "unsupported_language" when text was withheld because the gate cannot read it.
    notes: tuple[str, ...] = ()


class ErrorInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    message: str


class ExtractionResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str | None
    status: Status
    interests: tuple[InterestSignal, ...] = ()
    policy: PolicyDecision = Field(default_factory=PolicyDecision)
    error: ErrorInfo | None = None
    user_id: str | None = None
    timestamp: str | float | None = None
    # Aggregate-only counters for `--audit` ("redacted.health", "suppressed.religion", ...). They name
    # categories, so they are never part of the per-record output: `to_dict` leaves them out.
    audit: tuple[tuple[str, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "status": self.status,
            "interests": [
                {
                    "id": i.id,
                    "name": i.name,
                    "path": list(i.path),
                    "iab_id": i.iab_id,
                    "ad_categories": list(i.ad_categories),
                    "intent": i.intent,
                    "score": i.score,
                    "evidence": [{"turn": e.turn, "text": e.text} for e in i.evidence],
                }
                for i in self.interests
            ],
            "policy": {
                "excluded": self.policy.excluded,
                "reason": self.policy.reason,
                "notes": list(self.policy.notes),
            },
        }
        if self.user_id is not None:
            out["user_id"] = self.user_id
        if self.timestamp is not None:
            out["timestamp"] = self.timestamp
        if self.error is not None:
            out["error"] = {"code": self.error.code, "message": self.error.message}
        return out

    @classmethod
    def from_error(cls, err: RecordError) -> ExtractionResult:
        return cls(
            id=err.record_id,
            status="error",
            error=ErrorInfo(code=err.code, message=err.message),
        )


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _record_label(record_id: str | None) -> str:
    return f"record {record_id!r}" if record_id is not None else "record without a usable id"


def parse_record(raw: Mapping[str, Any] | str | bytes) -> Conversation:
    """Validate one input record (a mapping, or one JSON line) into a :class:`Conversation`."""
    if isinstance(raw, bytes | bytearray):
        if len(raw) > MAX_LINE_BYTES:
            raise RecordError("too_large", f"record line is {len(raw)} bytes (limit {MAX_LINE_BYTES})")
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RecordError("invalid_encoding", f"record is not valid UTF-8 (byte {exc.start})") from None
    if isinstance(raw, str):
        if len(raw) > MAX_LINE_BYTES:
            raise RecordError("too_large", f"record line is {len(raw)} characters (limit {MAX_LINE_BYTES})")
        try:
            raw = json.loads(raw)
        except (json.JSONDecodeError, RecursionError) as exc:
            msg = getattr(exc, "msg", "nesting too deep")
            pos = getattr(exc, "pos", None)
            where = f" at character {pos}" if pos is not None else ""
            raise RecordError("invalid_json", f"record is not valid JSON: {msg}{where}") from None
    if not isinstance(raw, Mapping):
        raise RecordError("not_an_object", f"record must be a JSON object, got {_type_name(raw)}")

    rid = raw.get("id")
    if rid is None:
        raise RecordError("missing_field", "record has no 'id' field")
    if isinstance(rid, int) and not isinstance(rid, bool):
        rid = str(rid)
    if not isinstance(rid, str):
        raise RecordError("wrong_type", f"'id' must be a string, got {_type_name(rid)}")
    if not rid.strip():
        raise RecordError("empty_field", "'id' is empty")
    if len(rid) > MAX_ID_CHARS:
        raise RecordError("too_large", f"'id' is {len(rid)} characters (limit {MAX_ID_CHARS})")
    label = _record_label(rid)

    def fail(code: str, message: str) -> RecordError:
        return RecordError(code, f"{label}: {message}", record_id=rid)

    if "turns" in raw and raw["turns"] is not None:
        turns_raw, field, speaker_key, text_key = raw["turns"], "turns", "speaker", "text"
    elif "messages" in raw and raw["messages"] is not None:
        turns_raw, field, speaker_key, text_key = raw["messages"], "messages", "role", "content"
    else:
        raise fail("missing_field", "has neither 'turns' nor 'messages'")
    if not isinstance(turns_raw, list):
        raise fail("wrong_type", f"'{field}' must be a list, got {_type_name(turns_raw)}")
    if not turns_raw:
        raise fail("empty_field", f"'{field}' is empty")
    if len(turns_raw) > MAX_TURNS:
        raise fail("too_large", f"'{field}' has {len(turns_raw)} entries (limit {MAX_TURNS})")

    turns: list[Turn] = []
    total = 0
    for i, t in enumerate(turns_raw):
        where = f"{field}[{i}]"
        if not isinstance(t, Mapping):
            raise fail("wrong_type", f"{where} must be an object, got {_type_name(t)}")
        speaker = t.get(speaker_key, t.get("speaker", t.get("role")))
        text = t.get(text_key, t.get("text", t.get("content")))
        if speaker is None:
            raise fail("missing_field", f"{where} has no '{speaker_key}'")
        if not isinstance(speaker, str) or not speaker.strip():
            raise fail("wrong_type", f"{where}.{speaker_key} must be a non-empty string")
        if text is None:
            raise fail("missing_field", f"{where} has no '{text_key}'")
        if not isinstance(text, str):
            raise fail("wrong_type", f"{where}.{text_key} must be a string, got {_type_name(text)}")
        if not text.strip():
            raise fail("empty_text", f"{where}.{text_key} is empty")
        if len(text) > MAX_TURN_CHARS:
            raise fail("too_large", f"{where}.{text_key} is {len(text)} characters (limit {MAX_TURN_CHARS})")
        total += len(text)
        turns.append(Turn(speaker=speaker.strip().lower(), text=text))
    if total > MAX_RECORD_CHARS:
        raise fail("too_large", f"transcript is {total} characters in all (limit {MAX_RECORD_CHARS})")

    user_id = raw.get("user_id")
    if user_id is not None:
        if isinstance(user_id, int) and not isinstance(user_id, bool):
            user_id = str(user_id)
        if not isinstance(user_id, str) or len(user_id) > MAX_ID_CHARS:
            raise fail("wrong_type", f"'user_id' must be a string of at most {MAX_ID_CHARS} characters")
    region = raw.get("region")
    if region is not None:
        if not isinstance(region, str) or not _REGION_RE.match(region.strip()):
            raise fail("invalid_value", "'region' must be an ISO 3166-1 alpha-2 code such as 'US'")
        region = region.strip().upper()
    timestamp = raw.get("timestamp")
    if timestamp is not None and (isinstance(timestamp, bool) or not isinstance(timestamp, str | int | float)):
        got = _type_name(timestamp)
        raise fail("wrong_type", f"'timestamp' must be an ISO 8601 string or epoch seconds, got {got}")
    consent = raw.get("consent")
    if consent is not None and not isinstance(consent, bool):
        raise fail("wrong_type", f"'consent' must be true or false, got {_type_name(consent)}")
    age = raw.get("age")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 150):
        raise fail("invalid_value", "'age' must be an integer between 0 and 150")
    return Conversation(
        id=rid,
        turns=tuple(turns),
        user_id=user_id,
        region=region,
        timestamp=timestamp,
        consent=consent,
        age=age,
    )
