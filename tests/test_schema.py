"""Input validation: every kind of bad record gets a specific error that never quotes the text."""

from __future__ import annotations

import json

import pytest

from extractor.schema import MAX_TURN_CHARS, MAX_TURNS, RecordError, parse_record

SECRET = "zebra-quartz-7731"  # planted in texts: must never appear in an error message


def _ok(**extra: object) -> dict:
    return {"id": "r1", "turns": [{"speaker": "user", "text": f"I like chess {SECRET}"}], **extra}


BAD_RECORDS = [
    ("not json", b"{this is not json " + SECRET.encode(), "invalid_json"),
    ("not utf8", b'{"id": "x", "turns": "\xff\xfe"}', "invalid_encoding"),
    ("array", json.dumps([SECRET]), "not_an_object"),
    ("string", json.dumps(SECRET), "not_an_object"),
    ("no id", {"turns": [{"speaker": "user", "text": SECRET}]}, "missing_field"),
    ("id wrong type", {"id": [1], "turns": [{"speaker": "user", "text": SECRET}]}, "wrong_type"),
    ("id empty", {"id": "  ", "turns": [{"speaker": "user", "text": SECRET}]}, "empty_field"),
    ("id too long", {"id": "x" * 300, "turns": [{"speaker": "user", "text": SECRET}]}, "too_large"),
    ("no turns", {"id": "r1"}, "missing_field"),
    ("turns not list", {"id": "r1", "turns": SECRET}, "wrong_type"),
    ("turns empty", {"id": "r1", "turns": []}, "empty_field"),
    ("turn not object", {"id": "r1", "turns": [SECRET]}, "wrong_type"),
    ("no speaker", {"id": "r1", "turns": [{"text": SECRET}]}, "missing_field"),
    ("speaker wrong type", {"id": "r1", "turns": [{"speaker": 3, "text": SECRET}]}, "wrong_type"),
    ("no text", {"id": "r1", "turns": [{"speaker": "user"}]}, "missing_field"),
    ("text wrong type", {"id": "r1", "turns": [{"speaker": "user", "text": {"t": SECRET}}]}, "wrong_type"),
    ("text empty", {"id": "r1", "turns": [{"speaker": "user", "text": "   \n"}]}, "empty_text"),
    ("text huge", {"id": "r1", "turns": [{"speaker": "user", "text": SECRET * (MAX_TURN_CHARS // 10)}]}, "too_large"),
    ("too many turns", {"id": "r1", "turns": [{"speaker": "user", "text": SECRET}] * (MAX_TURNS + 1)}, "too_large"),
    ("region bad", _ok(region="Europe"), "invalid_value"),
    ("consent wrong type", _ok(consent="no"), "wrong_type"),
    ("age out of range", _ok(age=-3), "invalid_value"),
    ("timestamp wrong type", _ok(timestamp=[2024]), "wrong_type"),
    ("messages wrong role type", {"id": "r1", "messages": [{"role": None, "content": SECRET}]}, "missing_field"),
]


@pytest.mark.parametrize(("label", "raw", "code"), BAD_RECORDS, ids=[c[0] for c in BAD_RECORDS])
def test_schema_bad_input_gets_specific_error(label: str, raw: object, code: str) -> None:
    with pytest.raises(RecordError) as info:
        parse_record(raw)  # type: ignore[arg-type]
    assert info.value.code == code
    assert SECRET not in info.value.message
    assert "zebra" not in str(info.value)


def test_schema_error_names_the_record_when_id_is_known() -> None:
    with pytest.raises(RecordError) as info:
        parse_record({"id": "conv-42", "turns": [{"speaker": "user", "text": ""}]})
    assert info.value.record_id == "conv-42"
    assert "conv-42" in info.value.message
    assert "turns[0]" in info.value.message


def test_schema_accepts_openai_messages_alias() -> None:
    conv = parse_record(
        {"id": "m", "messages": [{"role": "user", "content": "hello"}, {"role": "assistant", "content": "hi"}]}
    )
    assert [t.speaker for t in conv.turns] == ["user", "assistant"]
    assert conv.turns[0].is_user and not conv.turns[1].is_user


def test_schema_normalises_region_and_integer_id() -> None:
    conv = parse_record({"id": 7, "region": " de ", "turns": [{"speaker": "User", "text": "x"}]})
    assert conv.id == "7" and conv.region == "DE" and conv.turns[0].speaker == "user"


def test_schema_parses_json_lines_as_bytes_and_str() -> None:
    line = json.dumps(_ok(region="US", timestamp="2026-01-02T03:04:05Z", user_id="u1"))
    assert parse_record(line) == parse_record(line.encode())
