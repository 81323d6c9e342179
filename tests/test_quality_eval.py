"""Scoring functions of benchmarks/quality.py, on tiny hand-made examples (no eval data, no models)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("quality_eval", ROOT / "benchmarks" / "quality.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


q = _load()

CMAP = q.CoarseMap.from_dict(
    {
        "topics": ["sports", "music", "live_events", "travel", "automotive"],
        "prefixes": {
            "sports": ["sports"],
            "sports.auto_racing": ["sports", "automotive"],
            "music": ["music"],
            "music.concerts": ["live_events", "music"],
            "hobbies": [],
            "hobbies.travel_photos": ["travel"],
        },
    }
)


class TestCoarseMap:
    def test_longest_prefix_wins(self) -> None:
        assert CMAP.topics_for("music.concerts") == ("live_events", "music")
        assert CMAP.topics_for("music.concerts.festivals") == ("live_events", "music")
        assert CMAP.topics_for("music.rock") == ("music",)
        assert CMAP.topics_for("sports.auto_racing.f1") == ("sports", "automotive")

    def test_prefix_is_whole_segments(self) -> None:
        assert CMAP.topics_for("sportswear") == ()
        assert CMAP.topics_for("musical_theatre") == ()

    def test_unmapped_and_explicitly_empty(self) -> None:
        assert CMAP.topics_for("pets.dogs") == ()
        assert CMAP.topics_for("hobbies.chess") == ()
        assert CMAP.topics_for("hobbies.travel_photos") == ("travel",)

    def test_unknown_topic_rejected(self) -> None:
        with pytest.raises(ValueError, match="not in the vocabulary"):
            q.CoarseMap.from_dict({"topics": ["sports"], "prefixes": {"x": ["nope"]}})

    def test_shipped_map_is_valid(self) -> None:
        data = json.loads(q.COARSE_TOPICS_PATH.read_text(encoding="utf-8"))
        cmap = q.CoarseMap.from_dict(data)
        assert len(cmap.topics) == 20
        assert cmap.topics_for("sports.hiking") == ("sports",)


class TestResolveTopics:
    def test_multi_topic_node_counts_for_gold_alternatives(self) -> None:
        assert q.resolve_topics([("live_events", "music")], {"music"}) == {"music"}
        assert q.resolve_topics([("live_events", "music")], {"music", "live_events"}) == {"music", "live_events"}

    def test_wrong_node_is_one_false_positive(self) -> None:
        assert q.resolve_topics([("live_events", "music")], {"travel"}) == {"live_events"}

    def test_unmapped_nodes_ignored(self) -> None:
        assert q.resolve_topics([(), ("sports",)], {"travel"}) == {"sports"}
        assert q.resolve_topics([()], {"travel"}) == set()


class TestPRF:
    def test_micro_and_per_topic(self) -> None:
        pairs = [
            ({"sports"}, {"sports"}),  # tp sports
            ({"music", "live_events"}, {"music", "travel"}),  # tp music, fn live_events, fp travel
            ({"travel"}, set()),  # fn travel
        ]
        per, micro = q.score_topics(pairs, ["sports", "music", "live_events", "travel", "automotive"])
        assert (micro.tp, micro.fp, micro.fn) == (2, 1, 2)
        assert micro.recall == pytest.approx(0.5)
        assert micro.precision == pytest.approx(2 / 3)
        assert micro.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
        assert (per["sports"].recall, per["sports"].precision) == (1.0, 1.0)
        assert per["live_events"].recall == 0.0 and per["live_events"].precision is None
        assert (per["travel"].tp, per["travel"].fp, per["travel"].fn) == (0, 1, 1)
        assert per["travel"].f1 == 0.0
        assert per["automotive"].recall is None and per["automotive"].f1 is None

    def test_interest_figures_score_each_source_apart(self) -> None:
        records = [
            {"source": "sgd", "labels": {"topics": ["sports"]}},
            {"source": "sgd", "labels": {"topics": ["music"]}},
            {"source": "chat", "labels": {"topics": ["travel"]}},
            {"source": "chat", "labels": {"topics": []}},  # unlabelled: not scored anywhere
        ]
        preds = [
            q.Prediction(nodes={"sports.auto_racing": ["ev"]}),
            q.Prediction(nodes={}),
            q.Prediction(nodes={"music": ["ev"]}),
            q.Prediction(nodes={"sports": ["ev"]}),
        ]
        figures = q.interest_figures(records, preds, CMAP)
        assert figures["per_source"]["sgd"]["scored"] == 2
        assert (figures["per_source"]["sgd"]["recall"], figures["per_source"]["sgd"]["precision"]) == (0.5, 1.0)
        assert figures["per_source"]["chat"]["scored"] == 1
        assert (figures["per_source"]["chat"]["recall"], figures["per_source"]["chat"]["precision"]) == (0.0, 0.0)
        assert figures["micro"]["tp"] == 1 and figures["scored"] == 3

    def test_topic_outside_vocabulary_still_counted(self) -> None:
        per, micro = q.score_topics([({"sports"}, {"other"})], ["sports"])
        assert per["other"].fp == 1 and micro.fp == 1 and micro.fn == 1


class TestProtectedScoring:
    def test_category_recall(self) -> None:
        pairs = [
            ({"religion", "philosophical_beliefs"}, {"religion"}),
            ({"religion"}, set()),
            ({"health"}, {"health", "politics"}),
        ]
        rates = q.category_recall(pairs)
        assert rates["religion"].value == pytest.approx(0.5)
        assert rates["philosophical_beliefs"].value == 0.0
        assert rates["health"].value == 1.0
        assert "politics" not in rates
        assert q.mean_recall(rates, ["religion", "health"]) == pytest.approx(0.75)
        assert q.mean_recall(rates, ["religion", "sexual_orientation"]) == pytest.approx(0.25)

    def test_fpr_split_hard_negatives(self) -> None:
        items = [
            (False, set()),
            (False, {"health"}),
            (False, set()),
            (False, set()),
            (True, {"politics"}),
            (True, set()),
        ]
        rates = q.false_positive_rates(items)
        assert (rates["controls"].hits, rates["controls"].total) == (1, 4)
        assert rates["hard_negatives"].value == pytest.approx(0.5)
        assert rates["all_controls"].value == pytest.approx(2 / 6)

    def test_empty_rate_is_none(self) -> None:
        assert q.false_positive_rates([])["hard_negatives"].value is None

    def test_hard_negative_detection(self) -> None:
        assert q.is_hard_negative({"group": "control", "source": "crows_pairs", "meta": {"hard_negative": True}})
        assert q.is_hard_negative({"group": "control", "source": "crows_pairs", "meta": {}})
        assert not q.is_hard_negative({"group": "control", "source": "20newsgroups", "meta": {}})
        assert not q.is_hard_negative({"group": "control", "source": "crows_pairs", "meta": {"hard_negative": False}})


class TestHelpers:
    def test_stratified_slice_round_robin(self) -> None:
        records = [{"g": "a", "i": i} for i in range(5)] + [{"g": "b", "i": i} for i in range(2)]
        picked = q.stratified_slice(records, 4, lambda r: r["g"])
        assert [(r["g"], r["i"]) for r in picked] == [("a", 0), ("b", 0), ("a", 1), ("b", 1)]
        picked = q.stratified_slice(records, 6, lambda r: r["g"])
        assert [(r["g"], r["i"]) for r in picked][-2:] == [("a", 2), ("a", 3)]
        assert q.stratified_slice(records, None, lambda r: r["g"]) == records

    def test_check_targets(self) -> None:
        figures = {
            "protected": {
                "ours": {
                    "recall": {"health": {"rate": 0.97}, "religion": {"rate": 0.9}},
                    "fpr": {"controls": {"rate": 0.05}},
                }
            },
            "leaks": {"ours": {"count": 0}},
            "interests": {"ours": {"micro": {"recall": 0.9, "precision": 0.6}}},
        }
        assert q.check_targets(figures, protected_only=True) == ["protected recall religion 0.900 < 0.95"]
        missed = q.check_targets(figures, protected_only=False)
        assert len(missed) == 3
        assert any("precision" in m for m in missed) and any("FPR" in m for m in missed)

    def test_check_targets_audited_floors(self) -> None:
        figures = {
            "protected": {"ours": {"recall": {"politics": {"rate": 0.7}}}},
            "label_audit": {"ours": {"recall": {"politics": {"rate": 0.88}, "health": {"rate": 1.0}}}},
            "leaks": {"ours": {"count": 0}},
        }
        floors = {"politics": 0.6}
        assert q.check_targets(figures, protected_only=True, floors=floors) == []
        missed = q.check_targets(figures, protected_only=True, floors=floors, audited_floors={"politics": 0.891})
        assert missed == ["audited protected recall politics 0.880 < 0.891"]
        # Without audited figures (the audit does not cover this eval split) there is nothing to check.
        del figures["label_audit"]
        assert q.check_targets(figures, protected_only=True, floors=floors, audited_floors={"politics": 0.891}) == []

    @pytest.mark.parametrize("name", ["ci_floors.json", "ci_floors_dev.json"])
    def test_ci_floors_files_name_known_categories(self, name: str) -> None:
        """A misspelt category would never be checked: every floor must name a gate category."""
        from extractor.categories import PROTECTED_CATEGORIES

        doc = json.loads((ROOT / "benchmarks" / name).read_text(encoding="utf-8"))
        for key in ("protected_recall", "audited_protected_recall"):
            for cat, floor in doc.get(key, {}).items():
                assert cat in PROTECTED_CATEGORIES
                assert 0.0 <= floor <= 1.0

    def test_missing_eval_dir_exits_zero(self, tmp_path: Path) -> None:
        assert q.main(["--eval-dir", str(tmp_path / "absent"), "--check"]) == 0

    def test_placeholder_stripped(self) -> None:
        assert "[REDACTED]" not in q.strip_placeholder("I went to [REDACTED] today")

    def test_beats_respects_direction(self) -> None:
        assert q._better(0.9, 0.5) == "yes"
        assert q._better(0.01, 0.09, lower=True) == "yes"
        assert q._better(3, 1, lower=True) == "no"
        assert q._better(0, 0, lower=True) == "tie"
        assert q._better(0.5, None) == "—"


def test_quality_eval_config_overrides_are_validated() -> None:
    config = q.config_from_overrides(["protected_threshold=0.7", "max_interests = 3"])
    assert config.protected_threshold == 0.7
    assert config.max_interests == 3
    assert q.config_from_overrides(["interest_support_margin=null"]).interest_support_margin is None
    assert q.config_from_overrides(["models_dir=/tmp/other models"]).models_dir == Path("/tmp/other models")
    with pytest.raises(ValueError, match="KEY=VALUE"):
        q.config_from_overrides(["protected_threshold"])
    with pytest.raises(ValueError):  # pydantic: unknown field
        q.config_from_overrides(["no_such_field=1"])
    with pytest.raises(ValueError):  # pydantic: out of range
        q.config_from_overrides(["protected_threshold=1.5"])


def _figures_with_baselines() -> tuple[dict, dict, dict]:
    """Figures, sensitive pairs and ordinary-control flags for ours, keyword and NORP on 40 + 40 + 40 records."""
    records = [{"source": "sgd", "labels": {"topics": [t]}} for t in ("sports", "music")] * 20
    ours = [q.Prediction(nodes={r["labels"]["topics"][0]: ["ev"]}) for r in records]
    # The keyword baseline misses one record of forty: within what resampling the records moves.
    keyword = [q.Prediction(nodes={}), *ours[1:]]
    sens_ours = [({"politics"}, {"politics"})] * 20 + [({"health"}, {"health"})] * 20
    sens_norp = [({"politics"}, {"politics"})] * 4 + [({"politics"}, set())] * 16 + [({"health"}, set())] * 20
    flags = {"ours": [False] * 39 + [True], "norp": [False] * 38 + [True] * 2}
    protected: dict = {"categories": ["health", "politics"]}
    for system, pairs in (("ours", sens_ours), ("norp", sens_norp)):
        rates = q.category_recall(pairs)
        fpr = q.false_positive_rates((False, {"politics"} if f else set()) for f in flags[system])
        protected[system] = {
            "recall": {c: v.to_dict() for c, v in rates.items()},
            "mean_recall": q.mean_recall(rates, ["health", "politics"]),
            "fpr": {k: v.to_dict() for k, v in fpr.items()},
        }
    protected["ours"]["mean_recall_norp_categories"] = q.mean_recall(q.category_recall(sens_ours), ["politics"])
    protected["norp"]["mean_recall_covered"] = q.mean_recall(q.category_recall(sens_norp), ["politics"])
    figures = {
        "records": {"controls": 40},
        "interests": {
            "ours": q.interest_figures(records, ours, CMAP),
            "keyword": q.interest_figures(records, keyword, CMAP),
        },
        "protected": protected,
        "leaks": {"ours": {"count": 0}, "keyword": {"count": 3}},
    }
    return figures, {"ours": sens_ours, "norp": sens_norp}, flags


def test_quality_eval_uncertainty_marks_differences_within_noise() -> None:
    figures, sens, flags = _figures_with_baselines()
    unc = q.uncertainty_figures(figures, sens, flags)
    ours = unc["ours"]
    low, high = ours["topic_recall"]
    assert low <= 1.0 == high  # ours is right on every record: the interval ends at the point
    assert ours["control_fpr"][0] < 1 / 40 < ours["control_fpr"][1]
    versus = unc["versus"]
    assert versus["topic_f1"]["keyword"]["verdict"] == "yes (n.s.)"
    assert versus["protected_mean_recall"]["norp"]["verdict"] == "yes"
    assert versus["protected_mean_recall"]["norp"]["difference"] == pytest.approx(1.0 - 0.1)
    assert versus["control_fpr"]["norp"]["verdict"] == "yes (n.s.)"  # 1 against 2 of 40


def test_quality_eval_headline_prints_intervals_and_verdicts() -> None:
    from rich.console import Console

    figures, sens, flags = _figures_with_baselines()
    figures["uncertainty"] = q.uncertainty_figures(figures, sens, flags)
    console = Console(record=True, width=240)
    q.print_headline(console, figures)
    text = console.export_text()
    recall_row = next(line for line in text.splitlines() if "topic micro recall" in line)
    assert "yes (n.s.)" in recall_row and "[1.000, 1.000]" in recall_row
    assert "Ours minus baseline" in text
    mean_row = next(line for line in text.splitlines() if "protected mean recall " in line and "NORP" in line)
    assert "+0.900" in mean_row


def test_quality_eval_control_fpr_like_for_like_counts_only_norp_categories() -> None:
    controls = [{"group": "control", "source": "20newsgroups"}] * 4 + [{"group": "control", "source": "crows_pairs"}]
    ours = [{"health"}, {"politics", "health"}, set(), {"religion"}, {"health"}]
    every = q.control_fpr_figures(controls, ours)
    like_for_like = q.control_fpr_figures(controls, ours, q.NORP_CATEGORIES)
    assert every["controls"]["hits"] == 3 and every["hard_negatives"]["hits"] == 1
    assert like_for_like["controls"]["hits"] == 2 and like_for_like["hard_negatives"]["hits"] == 0


def test_quality_eval_headline_has_a_like_for_like_fpr_row_against_norp() -> None:
    figures, sens, flags = _figures_with_baselines()
    figures["protected"]["ours"]["fpr_norp_categories"] = q.control_fpr_figures(
        [{"group": "control", "source": "x"}] * 40, [set()] * 40, q.NORP_CATEGORIES
    )
    flags = {**flags, "ours_norp_categories": [False] * 40}
    unc = q.uncertainty_figures(figures, sens, flags)
    assert unc["versus"]["control_fpr_norp_categories"]["norp"]["difference"] == pytest.approx(-2 / 40)
    row = next(r for r in q.headline_rows(figures) if r["key"] == "control_fpr_norp_categories")
    assert row["ours"] == 0.0 and row["norp"] == pytest.approx(2 / 40) and row["lower_is_better"]


def _conv(rid: str, topics: list[str]) -> dict:
    return {"id": rid, "labels": {"topics": topics, "sensitive": []}}


def test_quality_eval_topic_reliability_counts_each_topic_once_at_its_best_score_and_first_place() -> None:
    la = sys.modules["label_audit"]
    records = [_conv("a", ["sports", "music"]), _conv("b", ["music"]), _conv("c", ["travel"])]
    preds = [
        # Two nodes for sports: counted once, at 0.97, in first place; the concert node resolves to
        # music (labelled), in second place.
        q.Prediction(scores={"sports": 0.75, "sports.auto_racing": 0.97, "music.concerts": 0.85}),
        q.Prediction(scores={"music": 0.92, "sports": 0.81, "hobbies": 0.99}),  # hobbies maps to no topic
        q.Prediction(scores={"hobbies.travel_photos": 1.0}),
    ]
    audit = la.LabelAudit(
        sensitive={},
        controls={},
        conversations={
            "a": la.AuditRecord("a", ({"sports": "yes", "music": "yes"}, {"sports": "yes", "music": "borderline"})),
            "b": la.AuditRecord("b", ({"music": "yes", "sports": "no"}, {"music": "yes", "sports": "no"})),
            "c": la.AuditRecord("c", ({"travel": "no"}, {"travel": "no"})),
        },
    )
    rel = q.topic_reliability(records, preds, CMAP, audit)

    def cells(row: dict) -> tuple:
        return row["group"], row["n"], row["raw_precision"], row["judged"], row["audited_precision"]

    # 0.80-0.90: music in a (labelled; borderline for one auditor, so left out of theirs) and sports in
    # b (wrong both ways); 0.95 and over: sports in a (right) and travel in c (labelled, both say no).
    assert [cells(r) for r in rel["by_score"]] == [
        ("0.00-0.80", 0, None, 0, None),
        ("0.80-0.90", 2, 0.5, 1, 0.0),
        ("0.90-0.95", 1, 1.0, 1, 1.0),
        ("0.95-1.00", 2, 1.0, 2, 0.5),
    ]
    assert rel["by_score"][1]["mean_score"] == pytest.approx(0.83)
    assert [cells(r) for r in rel["by_rank"]] == [
        ("1", 3, 1.0, 3, pytest.approx(2 / 3)),
        ("2", 2, 0.5, 1, 0.0),
        ("3+", 0, None, 0, None),
    ]


def test_quality_eval_topic_reliability_without_an_audit_reports_raw_labels_only() -> None:
    rel = q.topic_reliability([_conv("a", ["sports"])], [q.Prediction(scores={"music": 0.91})], CMAP)
    band = next(r for r in rel["by_score"] if r["n"])
    assert (band["group"], band["raw_precision"], band["judged"], band["audited_precision"]) == (
        "0.90-0.95",
        0.0,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("score", "band"),
    [(0.0, "0.00-0.80"), (0.7999, "0.00-0.80"), (0.8, "0.80-0.90"), (0.95, "0.95-1.00"), (1.0, "0.95-1.00")],
)
def test_quality_eval_score_band_edges(score: float, band: str) -> None:
    assert q.score_band(score) == band


# -- evaluation files, --predictions, and a whole run on a split of our own ---------------------------


def _eval_dir(root: Path, split: str = "mine") -> Path:
    """A tiny evaluation folder in the dev schema, written for these tests (not dev records)."""
    convs = [
        {
            "id": "c-travel",
            "source": "ours",
            "turns": [
                {"speaker": "user", "text": "I'm planning a week in Lisbon and need a cheap hotel near the old town."},
                {"speaker": "assistant", "text": "Alfama and Baixa have small guesthouses within walking distance."},
            ],
            "labels": {"topics": ["travel"], "sensitive": []},
        },
        {
            "id": "c-music",
            "source": "ours",
            "turns": [{"speaker": "user", "text": "I've been learning jazz guitar and want a new amp for practice."}],
            "labels": {"topics": ["music"], "sensitive": []},
        },
        {
            "id": "c-unlabelled",
            "source": "ours",
            "turns": [{"speaker": "user", "text": "Can you help me word an email to my landlord about the boiler?"}],
            "labels": {"topics": [], "sensitive": []},
        },
    ]
    texts = [
        (
            "s-health",
            "sensitive",
            ["health"],
            "I was diagnosed with type 2 diabetes last month and I'm scared of the injections.",
        ),
        ("s-religion", "sensitive", ["religion"], "As a practising Muslim I pray five times a day, even at work."),
        ("k-hockey", "control", [], "The hockey game went to overtime and our goalie made forty saves."),
    ]
    sensitive = [
        {"id": i, "source": "ours", "group": g, "turns": [{"speaker": "user", "text": t}], "labels": {"sensitive": c}}
        for i, g, c, t in texts
    ]
    root.mkdir(parents=True, exist_ok=True)
    for name, rows in ((f"conversations_{split}.jsonl", convs), (f"sensitive_{split}.jsonl", sensitive)):
        (root / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return root


def test_quality_eval_files_found_under_any_split_name(tmp_path: Path) -> None:
    root = _eval_dir(tmp_path / "eval", split="heldout")
    convs, sens = q.eval_files(q.parse_args(["--eval-dir", str(root)]))
    assert (convs.name, sens.name) == ("conversations_heldout.jsonl", "sensitive_heldout.jsonl")


def test_quality_eval_files_named_on_the_command_line_win(tmp_path: Path) -> None:
    root = _eval_dir(tmp_path / "eval", split="dev")
    other = _eval_dir(tmp_path / "other", split="test")
    args = q.parse_args(["--eval-dir", str(root), "--conversations", str(other / "conversations_test.jsonl")])
    convs, sens = q.eval_files(args)
    assert convs == other / "conversations_test.jsonl"
    assert sens == root / "sensitive_dev.jsonl"


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        (["--sensitive", "absent.jsonl"], "--sensitive absent.jsonl: no such file"),
        (["--conversations", "{convs}"], "no sensitive file in"),
    ],
)
def test_quality_eval_named_files_must_exist_and_be_complete(
    tmp_path: Path, extra: list[str], problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    convs = _eval_dir(tmp_path / "eval") / "conversations_mine.jsonl"
    (tmp_path / "eval" / "sensitive_mine.jsonl").unlink()
    argv = ["--eval-dir", str(tmp_path / "empty"), *[a.format(convs=convs) for a in extra]]
    assert q.main(argv) == 2
    assert problem in capsys.readouterr().out.replace("\n", "")


def test_quality_eval_bad_record_stops_the_run_with_exit_2_and_no_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _eval_dir(tmp_path / "eval")
    path = root / "sensitive_mine.jsonl"
    rows = path.read_text(encoding="utf-8").splitlines()
    bad = json.loads(rows[0])
    bad["labels"]["sensitive"] = ["astrology"]
    path.write_text("\n".join([*rows, json.dumps(bad | {"id": "s-bad"})]) + "\n", encoding="utf-8")
    assert q.main(["--eval-dir", str(root), "--skip-baselines", "--label-audit", ""]) == 2
    out = capsys.readouterr().out.replace("\n", "")
    assert "sensitive_mine.jsonl line 4 (record 's-bad')" in out
    assert "astrology" in out
    assert "diabetes" not in out


def test_quality_eval_prediction_lines_hold_ids_and_labels_never_text() -> None:
    convs = [{"id": "c1", "source": "s", "original_label": "x", "labels": {"topics": ["sports"], "sensitive": []}}]
    preds = [q.Prediction(nodes={"sports.soccer": ["We watched the derby."]}, scores={"sports.soccer": 0.97})]
    sensitive = [{"id": "s1", "source": "s", "original_label": "y", "labels": {"sensitive": ["health"]}}]
    controls = [{"id": "k1", "source": "crows_pairs", "original_label": "age", "group": "control", "labels": {}}]
    lines = list(q.prediction_lines(convs, preds, sensitive, [{"health"}], controls, [set()], CMAP))
    assert lines == [
        {
            "part": "conversations",
            "id": "c1",
            "source": "s",
            "original_label": "x",
            "labels": ["sports"],
            "sensitive_labels": [],
            "topics": ["sports"],
            "nodes": ["sports.soccer"],
            "scores": {"sports.soccer": 0.97},
            "error": False,
        },
        {
            "part": "sensitive",
            "id": "s1",
            "source": "s",
            "original_label": "y",
            "labels": ["health"],
            "predicted": ["health"],
        },
        {
            "part": "controls",
            "id": "k1",
            "source": "crows_pairs",
            "original_label": "age",
            "hard_negative": True,
            "predicted": [],
        },
    ]
    assert "derby" not in json.dumps(lines)


def test_quality_eval_whole_run_on_a_split_of_our_own(tmp_path: Path) -> None:
    """The one command measures any split in the schema, and --predictions records what it decided."""
    root = _eval_dir(tmp_path / "eval")
    out, figures = tmp_path / "predictions.jsonl", tmp_path / "figures.json"
    argv = ["--eval-dir", str(root), "--skip-baselines", "--label-audit", ""]
    assert q.main([*argv, "--predictions", str(out), "--json", str(figures)]) == 0
    doc = json.loads(figures.read_text(encoding="utf-8"))
    assert doc["records"] == {"conversations": 3, "sensitive": 2, "controls": 1}
    assert doc["files"]["sensitive"].endswith("sensitive_mine.jsonl")
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["part"] == "run" and rows[0]["set"] == []
    by_id = {r["id"]: r for r in rows[1:]}
    assert set(by_id) == {"c-travel", "c-music", "c-unlabelled", "s-health", "s-religion", "k-hockey"}
    assert by_id["s-health"]["predicted"] == ["health"]
    assert by_id["s-religion"]["predicted"] == ["religion"]
    assert by_id["k-hockey"]["predicted"] == []
    assert "music" in by_id["c-music"]["topics"]
    assert doc["protected"]["ours"]["recall"]["health"]["rate"] == 1.0
    assert "Lisbon" not in out.read_text(encoding="utf-8")
