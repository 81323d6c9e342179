"""benchmarks/label_audit.py and the audited rows of benchmarks/quality.py, on hand-made records."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


la = _load("label_audit")
q = _load("quality")


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


SENSITIVE = [
    {"id": "s1", "labels": {"sensitive": ["politics"]}},  # both auditors: politics
    {"id": "s2", "labels": {"sensitive": ["politics"]}},  # both: no politics in it
    {"id": "s3", "labels": {"sensitive": ["politics"]}},  # they disagree
    {"id": "s4", "labels": {"sensitive": ["religion", "philosophical_beliefs"]}},  # religion only
]
SENSITIVE_AUDIT = [
    {"id": "s1", "a": {"politics": "yes"}, "b": {"politics": "yes"}},
    {"id": "s2", "a": {"politics": "no"}, "b": {"politics": "no"}},
    {"id": "s3", "a": {"politics": "yes"}, "b": {"politics": "borderline"}},
    {
        "id": "s4",
        "a": {"religion": "yes", "philosophical_beliefs": "no"},
        "b": {"religion": "yes", "philosophical_beliefs": "borderline"},
    },
]
CONTROLS = [{"id": "c1"}, {"id": "c2"}, {"id": "c3"}, {"id": "h1"}]
CONTROLS_AUDIT = [
    {"id": "c1", "a": {}, "b": {}},
    {"id": "c2", "a": {"health": "yes"}, "b": {"health": "yes"}},
    {"id": "c3", "a": {"politics": "borderline"}, "b": {}},
    {"id": "h1", "a": {}, "b": {}},
]
HARD = [False, False, False, True]


@pytest.fixture
def audit(tmp_path: Path) -> la.LabelAudit:
    _write(tmp_path / la.SENSITIVE_AUDIT, SENSITIVE_AUDIT)
    _write(tmp_path / la.CONTROLS_AUDIT, CONTROLS_AUDIT)
    loaded = la.LabelAudit.from_dir(tmp_path)
    assert loaded is not None
    return loaded


def test_label_audit_absent_folder_is_none(tmp_path: Path) -> None:
    assert la.LabelAudit.from_dir(tmp_path) is None


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"id": "x", "a": {"politics": "maybe"}, "b": {}}], "not yes/borderline/no"),
        ([{"id": "x", "a": {}}], "auditor 'b' has no judgments"),
        ([{"a": {}, "b": {}}], "string 'id'"),
        ([{"id": "x", "a": {}, "b": {}}, {"id": "x", "a": {}, "b": {}}], "listed twice"),
    ],
)
def test_label_audit_bad_file_names_line_and_problem(tmp_path: Path, rows: list[dict], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        la.read_audit(_write(tmp_path / "audit.jsonl", rows))


def test_label_audit_agreement_reads_both_auditors(audit: la.LabelAudit) -> None:
    s4 = audit.sensitive["s4"]
    assert s4.content() == {"religion"}
    assert not s4.agreed("philosophical_beliefs", "no")  # one "borderline" is not agreement
    assert audit.controls["c1"].clean()
    assert not audit.controls["c3"].clean()  # a borderline from either auditor is not clean
    assert audit.controls["c2"].content() == {"health"}


def test_label_audit_covers_only_judged_records(audit: la.LabelAudit) -> None:
    assert audit.covers(SENSITIVE, CONTROLS)
    assert not audit.covers([*SENSITIVE, {"id": "s9", "labels": {"sensitive": []}}], CONTROLS)


def test_label_audit_recall_counts_agreed_texts_only(audit: la.LabelAudit) -> None:
    predictions = [{"politics"}, {"politics"}, set(), {"religion"}]
    cells = la.audited_recall(audit, SENSITIVE, predictions)
    assert cells["politics"] == {"labelled": 3, "agreed": 1, "found": 1, "absent": 1, "reported_absent": 1}
    assert cells["religion"]["agreed"] == cells["religion"]["found"] == 1
    assert cells["philosophical_beliefs"] == {
        "labelled": 1,
        "agreed": 0,
        "found": 0,
        "absent": 0,
        "reported_absent": 0,
    }
    pairs = la.audited_pairs(audit, SENSITIVE, predictions)
    assert [gold for gold, _ in pairs] == [{"politics"}, set(), set(), {"religion"}]


def test_label_audit_fpr_on_clean_controls(audit: la.LabelAudit) -> None:
    predictions = [{"politics"}, {"health"}, {"politics"}, {"religion"}]
    fpr = la.audited_fpr(audit, CONTROLS, predictions, HARD)
    # c1 is clean and flagged; c2 is flagged for what both auditors found; c3 is not clean.
    assert fpr["controls"] == {
        "controls": 3,
        "clean": 1,
        "flagged_clean": 1,
        "flagged": 3,
        "flagged_confirmed": 1,
        "rate": 1.0,
    }
    assert fpr["hard_negatives"] == {
        "controls": 1,
        "clean": 1,
        "flagged_clean": 1,
        "flagged": 1,
        "flagged_confirmed": 0,
        "rate": 1.0,
    }


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ([True, False, True, False], [True, False, True, False], 1.0),
        ([True, True, False, False], [False, False, True, True], -1.0),
        ([True], [True], None),
        ([False, False], [False, False], None),
    ],
)
def test_label_audit_kappa(first: list[bool], second: list[bool], expected: float | None) -> None:
    assert la.kappa(first, second) == expected


def test_label_audit_agreement_share_and_kappa(audit: la.LabelAudit) -> None:
    items = [("s1", "politics"), ("s2", "politics"), ("s3", "politics")]
    got = la.agreement(list(audit.sensitive.values()), items)
    assert got["items"] == 3
    assert got["same_judgment"] == pytest.approx(2 / 3)
    assert got["kappa_yes"] == pytest.approx(0.4)


def test_quality_audited_figures_per_system(audit: la.LabelAudit) -> None:
    systems = {
        "ours": ([{"politics"}, set(), set(), {"religion"}], [set(), set(), set(), set()]),
        "norp": ([set(), set(), set(), set()], [{"politics"}, set(), set(), set()]),
    }
    got = q.audited_figures(
        audit, SENSITIVE, CONTROLS, HARD, systems, ["philosophical_beliefs", "politics", "religion"]
    )
    assert got["ours"]["recall"]["politics"]["rate"] == 1.0
    assert "philosophical_beliefs" not in got["ours"]["recall"]  # no text both auditors agree has it
    assert got["ours"]["mean_recall"] == pytest.approx(2 / 3)  # a category with no agreed text counts 0
    assert got["ours"]["fpr"]["controls"]["rate"] == 0.0
    assert got["norp"]["mean_recall_norp_categories"] == 0.0
    assert got["norp"]["fpr"]["controls"]["rate"] == 1.0
    assert set(got["norp"]["recall"]) <= q.NORP_CATEGORIES


CONVERSATIONS = [
    {"id": "t1", "source": "chat", "labels": {"topics": ["music", "science"]}},
    {"id": "t2", "source": "chat", "labels": {"topics": ["travel"]}},
]
CONVERSATIONS_AUDIT = [
    # The label misses movies and names science, which the chat never discusses.
    {
        "id": "t1",
        "a": {"music": "yes", "science": "no", "movies": "yes", "books": "no"},
        "b": {"music": "yes", "science": "no", "movies": "yes", "books": "borderline"},
    },
    {"id": "t2", "a": {"travel": "yes", "food_dining": "no"}, "b": {"travel": "yes", "food_dining": "no"}},
]


@pytest.fixture
def topic_audit(tmp_path: Path) -> la.LabelAudit:
    _write(tmp_path / la.CONVERSATIONS_AUDIT, CONVERSATIONS_AUDIT)
    loaded = la.LabelAudit.from_dir(tmp_path)
    assert loaded is not None
    return loaded


def test_label_audit_topics_alone_cover_conversations_only(topic_audit: la.LabelAudit) -> None:
    assert topic_audit.covers_conversations(CONVERSATIONS)
    assert not topic_audit.covers(SENSITIVE, CONTROLS)  # no one-turn file in that folder


def test_label_audit_topic_pairs_score_against_auditors(topic_audit: la.LabelAudit) -> None:
    label_pairs = [({"music", "science"}, {"music", "books", "sports"}), ({"travel"}, {"food_dining"})]
    pairs = la.audited_topic_pairs(topic_audit, CONVERSATIONS, label_pairs)
    # Truth is what both auditors found, label or not; books (borderline) is left out; sports was
    # never judged and counts as wrong.
    assert pairs == [({"music", "movies"}, {"music", "sports"}), ({"travel"}, {"food_dining"})]
    assert la.rejected_labels(topic_audit, CONVERSATIONS) == {"music": 0, "science": 1, "travel": 0}


def test_quality_audited_topic_figures(topic_audit: la.LabelAudit) -> None:
    cmap = q.CoarseMap.from_dict(
        {"topics": ["music", "science", "movies", "books", "sports", "travel", "food_dining"], "prefixes": {}}
    )
    label_pairs = [({"music", "science"}, {"music", "books", "sports"}), ({"travel"}, {"food_dining"})]
    pairs = {"ours": la.audited_topic_pairs(topic_audit, CONVERSATIONS, label_pairs)}
    got = q.audited_topic_figures(topic_audit, CONVERSATIONS, pairs, cmap)
    assert got["ours"]["micro"]["recall"] == pytest.approx(1 / 3)
    assert got["ours"]["micro"]["precision"] == pytest.approx(1 / 3)
    assert got["agreed_topics"] == 3
    assert got["rejected_labels"]["science"] == 1
    assert got["ours"]["unjudged"] == 1  # sports was never judged


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        (la.SENSITIVE_AUDIT, set(la.CATEGORIES)),
        (la.CONTROLS_AUDIT, set(la.CATEGORIES)),
        (la.CONVERSATIONS_AUDIT, set(q.CoarseMap.from_disk().topics)),
    ],
)
def test_label_audit_shipped_files_hold_no_text(name: str, allowed: set[str]) -> None:
    """The committed audit holds ids and judgments only: no record text may reach the repository."""
    path = la.AUDIT_DIR / name
    if not path.is_file():
        pytest.skip("no audit committed")
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert set(row) == {"id", "a", "b"}
        for auditor in ("a", "b"):
            assert set(row[auditor]) <= allowed
            assert set(row[auditor].values()) <= la.JUDGMENTS
    assert la.read_audit(path)


def test_label_audit_inputs_say_nothing_about_any_system() -> None:
    sens = [{"id": "s1", "turns": [{"speaker": "user", "text": "Vote!"}], "labels": {"sensitive": ["politics"]}}]
    ctrl = [{"id": "c1", "turns": [{"speaker": "user", "text": "Nice bike."}], "labels": {"sensitive": []}}]
    convs = [
        {"id": "t1", "turns": [{"speaker": "speaker_a", "text": "Seen Dune?"}], "labels": {"topics": ["movies"]}},
        {"id": "t2", "turns": [{"speaker": "speaker_a", "text": "Hi."}], "labels": {"topics": []}},  # unscored
    ]
    got = la.auditor_inputs(sens, ctrl, convs, {"t1": ["books", "movies"]})
    assert got["sensitive"] == [{"id": "s1", "text": "Vote!", "ask": ["politics"]}]
    assert got["controls"] == [{"id": "c1", "text": "Nice bike."}]
    # One sorted pool: which system proposed a topic, or whether the label did, cannot be told.
    assert got["conversations"] == [{"id": "t1", "text": "speaker_a: Seen Dune?", "topics": ["books", "movies"]}]


MERGE_INPUTS = [{"id": "t1", "topics": ["books", "movies"]}, {"id": "t2", "topics": ["travel"]}]
GOOD_A = [{"id": "t1", "judgments": {"movies": "yes", "books": "no"}}, {"id": "t2", "judgments": {"travel": "yes"}}]
GOOD_B = [
    {"id": "t2", "judgments": {"travel": "borderline"}},
    {"id": "t1", "judgments": {"books": "no", "movies": "yes"}},
]


def test_label_audit_merge_keeps_input_order() -> None:
    merged = la.merge_judgments("conversations", MERGE_INPUTS, GOOD_A, GOOD_B)
    assert [m["id"] for m in merged] == ["t1", "t2"]
    assert merged[1] == {"id": "t2", "a": {"travel": "yes"}, "b": {"travel": "borderline"}}


@pytest.mark.parametrize(
    ("second", "message"),
    [
        (GOOD_B[:1], "1 records not judged, the first t1"),
        ([*GOOD_B, GOOD_B[0]], "t2 is judged twice"),
        ([*GOOD_B, {"id": "t9", "judgments": {}}], "'t9' was not in the input"),
        (
            [GOOD_B[0], {"id": "t1", "judgments": {"movies": "yes"}}],
            "t1 has judgments that do not match what was asked: \\['books'\\]",
        ),
        ([GOOD_B[0], {"id": "t1", "judgments": {"movies": "yes", "books": "maybe"}}], "yes, borderline or no"),
    ],
)
def test_label_audit_merge_rejects_incomplete_output(second: list[dict], message: str) -> None:
    with pytest.raises(ValueError, match=f"auditor b: .*{message}"):
        la.merge_judgments("conversations", MERGE_INPUTS, GOOD_A, second)


def test_label_audit_merge_controls_list_only_what_was_found() -> None:
    inputs = [{"id": "c1"}]
    merged = la.merge_judgments("controls", inputs, [{"id": "c1", "judgments": {}}], [{"id": "c1", "judgments": {}}])
    assert merged == [{"id": "c1", "a": {}, "b": {}}]
    with pytest.raises(ValueError, match="do not match what was asked: \\['golf'\\]"):
        la.merge_judgments(
            "controls", inputs, [{"id": "c1", "judgments": {}}], [{"id": "c1", "judgments": {"golf": "yes"}}]
        )


def test_label_audit_prepare_refuses_a_folder_in_the_repository(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="inside the repository"):
        la.main(["prepare", "--out", str(ROOT / "benchmarks" / "audit_inputs")])
    assert not (ROOT / "benchmarks" / "audit_inputs").exists()
