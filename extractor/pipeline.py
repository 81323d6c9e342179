"""The :class:`Extractor`: records in, redacted interest signals out.

Per record: validate → policy (region, consent, age) → spaCy pipeline over the turns →
conversation logic (taint, stance, assistant uptake, aggregation) → evidence redaction.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Any, Protocol

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import extractor.components  # noqa: F401  (registers the factories)
from extractor.categories import REDACTION_PLACEHOLDER
from extractor.components import Segment, segments_of
from extractor.config import ExtractorConfig
from extractor.cues import load_cues
from extractor.encoder import SentenceEncoder
from extractor.heads import ModelHeads
from extractor.lexical import LexicalCheck
from extractor.privacy.policy import decide
from extractor.privacy.rules import ProtectedRules
from extractor.schema import (
    Conversation,
    ErrorInfo,
    Evidence,
    ExtractionResult,
    InterestSignal,
    PolicyDecision,
    RecordError,
    Turn,
    parse_record,
)
from extractor.support import SupportSet
from extractor.taxonomy import Taxonomy

log = logging.getLogger(__name__)

_ANAPHORA = ("it ", "it's", "that ", "that's", "this ", "they ", "those ", "these ", "so ", "which ", "there ")
MIN_WORDS_FOR_LANGUAGE_NOTE = 3


def build_nlp(config: ExtractorConfig) -> Language:
    """The default spaCy pipeline for ``config``; every step is a registered factory."""
    models_dir = str(config.models_dir) if config.models_dir else None
    backbone = str(config.backbone_path) if config.backbone_path else None
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("ise_segmenter", config={"language_gate": config.language_gate})
    nlp.add_pipe(
        "ise_encoder", config={"models_dir": models_dir, "model_path": backbone, "dtype": config.encoder_dtype}
    )
    nlp.add_pipe(
        "ise_protected",
        config={
            "threshold": config.protected_threshold,
            "support_margin": config.protected_support_margin,
            "category_support_margins": [list(pair) for pair in config.protected_category_support_margins],
            "clause_min_words": config.protected_clause_min_words,
            "clause_threshold": config.protected_clause_threshold,
            "clause_support_margin": config.protected_clause_support_margin,
            "withhold_margin": config.protected_withhold_margin,
            "lexical_floor": config.protected_lexical_floor,
            "lexical_band": config.protected_lexical_band,
            "models_dir": models_dir,
            "model_path": backbone,
            "dtype": config.encoder_dtype,
        },
    )
    nlp.add_pipe(
        "ise_interests",
        config={
            "threshold": config.interest_threshold,
            "support_margin": config.interest_support_margin,
            "models_dir": models_dir,
        },
    )
    nlp.add_pipe("ise_stance")
    nlp.add_pipe("ise_intent", config={"models_dir": models_dir})
    return nlp


class PiiFinder(Protocol):
    """What the extractor needs of a PII detector (``extractor.privacy.pii.PiiScrubber`` by default)."""

    def find_batch(self, texts: Sequence[str]) -> list[list[Any]]:
        """Spans (objects with ``start`` and ``end``) of PII in each text."""
        ...


@dataclass
class Decision:
    """One line of the decision trail: why an interest was kept or dropped."""

    turn: int
    segment: str
    node: str
    score: float
    kept: bool
    reason: str


@dataclass
class _Draft:
    conv: Conversation
    picked: list[tuple[_Candidate, list[Segment]]]
    notes: tuple[str, ...]
    audit: dict[str, int]
    trail: list[Decision] | None = None


@dataclass
class _Candidate:
    node: str
    score: float
    purchase: bool
    segments: list[Segment] = field(default_factory=list)
    mass: float = 0.0  # sum of mention scores: ranks interests a long chat keeps returning to
    # The purchase sentences of branches it stands for (``_stand_in``): shown as evidence, but not what
    # the interest rests on (``_shadowed`` reads ``segments`` only).
    purchase_segments: list[Segment] = field(default_factory=list)


class Extractor:
    """Extract interest signals from chat transcripts, with a fail-closed privacy gate.

    Every engine dependency is injectable; by default models load lazily from the installed
    backbone package and this project's ``models/`` folder, once per process.
    """

    def __init__(
        self,
        *,
        config: ExtractorConfig | None = None,
        nlp: Language | None = None,
        taxonomy: Taxonomy | None = None,
        encoder: SentenceEncoder | None = None,
        heads: ModelHeads | None = None,
        rules: ProtectedRules | None = None,
        support: SupportSet | None = None,
        lexical: LexicalCheck | None = None,
        pii: PiiFinder | None = None,
    ) -> None:
        self.config = config or ExtractorConfig()
        self.nlp = nlp or build_nlp(self.config)
        self._taxonomy = taxonomy
        self._pii = pii
        self._rules = rules
        for pipe_name, attr, value in (
            ("ise_encoder", "encoder", encoder),
            ("ise_protected", "encoder", encoder),
            ("ise_protected", "heads", heads),
            ("ise_protected", "rules", rules),
            ("ise_protected", "support", support),
            ("ise_protected", "lexical", lexical),
            ("ise_interests", "heads", heads),
            ("ise_interests", "taxonomy", taxonomy),
            ("ise_intent", "heads", heads),
        ):
            if value is not None and pipe_name in self.nlp.pipe_names:
                setattr(self.nlp.get_pipe(pipe_name), attr, value)

    # -- resources ---------------------------------------------------------------------------------

    @property
    def taxonomy(self) -> Taxonomy:
        if self._taxonomy is None:
            self._taxonomy = self.nlp.get_pipe("ise_interests").resolved_taxonomy()
        return self._taxonomy

    @property
    def rules(self) -> ProtectedRules:
        """The phrase rules the ``ise_protected`` component uses, so evidence is re-checked with the same."""
        if self._rules is None:
            self._rules = self.nlp.get_pipe("ise_protected").resolved_rules()
        return self._rules

    @property
    def pii(self) -> PiiFinder:
        if self._pii is None:
            from extractor.privacy.pii import PiiScrubber

            self._pii = PiiScrubber()
        return self._pii

    def warm_up(self) -> Extractor:
        """Load every model now rather than on the first record."""
        self.extract({"id": "warm-up", "turns": [{"speaker": "user", "text": "I like hiking, call me at 555-0100."}]})
        # The support sets and the lexical check are loaded only when a head first needs them otherwise.
        for name in ("ise_protected", "ise_interests"):
            pipe = self.nlp.get_pipe(name) if name in self.nlp.pipe_names else None
            if pipe is not None and getattr(pipe, "support_margin", None) is not None:
                pipe.resolved_support()
            if pipe is not None and getattr(pipe, "lexical_floor", None) is not None:
                pipe.resolved_lexical()
        return self

    # -- public API ----------------------------------------------------------------------------------

    def extract(self, record: Mapping[str, Any] | str | bytes) -> ExtractionResult:
        return next(self.pipe([record]))

    def pipe(
        self, records: Iterable[Mapping[str, Any] | str | bytes], *, batch_size: int = 64
    ) -> Iterator[ExtractionResult]:
        """Lazily yield one result per record, in input order. Bad records become error results."""
        it = iter(records)
        while chunk := list(islice(it, batch_size)):
            yield from self._process_chunk(chunk)

    def protected_categories(self, text: str) -> set[str]:
        """Protected categories found in ``text`` (rules and classifier), for audits and evaluation."""
        return self._protected_sets([text])[0]

    def _protected_sets(self, texts: Sequence[str]) -> list[set[str]]:
        """``protected_categories`` for many texts, each read as a user turn, in one batch."""
        docs = self.make_docs(Conversation(id="texts", turns=tuple(_user_turn(t) for t in texts))) if texts else []
        return [{c for seg in segments_of(doc) for c in seg.protected} for doc in self.nlp.pipe(docs)]

    def explain(self, record: str | Mapping[str, Any]) -> tuple[ExtractionResult, list[Segment], list[Decision]]:
        """The result, segments and decision trail for one text (read as a user turn) or one record.

        The trail has a line for every interest reading of a user sentence and for every candidate
        interest that did not make the output, with the reason. A record the region policy excludes
        gives its ``excluded`` result, no segments and an empty trail. Raises :class:`RecordError`
        for a record that does not validate.
        """
        if isinstance(record, str):
            conv = Conversation(id="explain", turns=(_user_turn(record),))
        else:
            conv = parse_record(record)
            decision = decide(conv, self.config)
            if decision.excluded:
                return _excluded(conv, decision), [], []
        docs = list(self.nlp.pipe(self.make_docs(conv)))
        trail: list[Decision] = []
        result = self._finish([self._aggregate(conv, docs, trail)])[0]
        return result, [s for d in docs for s in segments_of(d)], trail

    # -- internals -----------------------------------------------------------------------------------

    def make_docs(self, conv: Conversation) -> list[Doc]:
        """One unprocessed ``Doc`` per turn, tagged with its speaker and turn index."""
        docs = []
        for i, turn in enumerate(conv.turns):
            doc = self.nlp.make_doc(turn.text)
            doc._.speaker = turn.speaker
            doc._.turn = i
            docs.append(doc)
        return docs

    def _process_chunk(self, chunk: list[Any]) -> list[ExtractionResult]:
        results: list[ExtractionResult | None] = [None] * len(chunk)
        todo: list[tuple[int, Conversation]] = []
        for i, raw in enumerate(chunk):
            try:
                conv = parse_record(raw)
            except RecordError as err:
                results[i] = ExtractionResult.from_error(err)
                continue
            decision = decide(conv, self.config)
            if decision.excluded:
                results[i] = _excluded(conv, decision)
            else:
                todo.append((i, conv))
        try:
            for i, res in zip((i for i, _ in todo), self._run(c for _, c in todo), strict=True):
                results[i] = res
        except Exception:
            log.warning("batch of %d records failed; retrying them one by one", len(todo))
            for i, conv in todo:
                try:
                    results[i] = next(iter(self._run([conv])))
                except Exception as exc:
                    log.error("record %r failed: %s", conv.id, type(exc).__name__)
                    results[i] = ExtractionResult(
                        id=conv.id,
                        status="error",
                        error=ErrorInfo(code="internal_error", message=f"record {conv.id!r}: {type(exc).__name__}"),
                    )
        return [r for r in results if r is not None]

    def process(self, convs: Iterable[Conversation]) -> list[tuple[Conversation, list[Doc]]]:
        """Each conversation with its turn docs after ``self.nlp``, all turns run as one batch."""
        convs = list(convs)
        docs = [d for c in convs for d in self.make_docs(c)]
        processed = iter(self.nlp.pipe(docs, batch_size=max(len(docs), 1)))
        return [(conv, [next(processed) for _ in conv.turns]) for conv in convs]

    def results(self, processed: Iterable[tuple[Conversation, list[Doc]]]) -> list[ExtractionResult]:
        """Results for conversations ``process`` already ran through the pipeline: only the steps after
        it (taint, aggregation, evidence), under this extractor's config. The docs are read, not changed,
        so ``benchmarks/aggregation_replay.py`` runs the pipeline once and calls this under many configs."""
        return self._finish([self._aggregate(conv, docs, None) for conv, docs in processed])

    def _run(self, convs: Iterable[Conversation]) -> list[ExtractionResult]:
        return self.results(self.process(convs))

    def _aggregate(self, conv: Conversation, docs: list[Doc], trail: list[Decision] | None) -> _Draft:
        """Everything but the evidence text, which ``_finish`` redacts for many records at once."""
        cfg = self.config
        segs = [s for d in docs for s in segments_of(d)]
        audit: dict[str, int] = {}

        def count(key: str, n: int = 1) -> None:
            audit[key] = audit.get(key, 0) + n

        # 1. Taint: protected segments, widened to their scope and to what depends on them. A head verdict
        # the lexical check did not back, or short of its category's stricter support margin, is reported
        # nowhere but taints as far as a reported one, with no category: those checks may lower what is
        # reported, never what may serve as evidence.
        protected = [s for s in segs if s.protected or s.protected_unbacked or s.protected_below_category_margin]
        for s in protected:
            for category in s.protected:
                count(f"redacted.{category}")
        tainted: dict[int, set[str]] = {}  # id(segment) -> categories that taint it

        def taint(seg: Segment, categories: Iterable[str]) -> None:
            tainted.setdefault(id(seg), set()).update(categories)

        for p in protected:
            for s in segs:
                if s is p or cfg.taint_scope == "conversation" or (cfg.taint_scope == "turn" and s.turn == p.turn):
                    taint(s, p.protected)
        # A verdict the support check dropped by a small margin taints its sentence with no category:
        # it is reported nowhere, but the sentence (and what refers back to it) is not evidence.
        for s in segs:
            for category in s.protected_withheld:
                count(f"withheld.{category}")
            if s.protected_withheld and id(s) not in tainted:
                taint(s, ())
        back_reference = load_cues().back_reference
        last_user: Segment | None = None  # the user's previous sentence, across assistant turns
        for s in segs:
            if not s.is_user:
                continue
            before, last_user = last_user, s
            if id(s) in tainted:
                continue
            lowered = s.text.lower()
            # It depends on the sentence before: anaphora in the same turn ("It's for my ..."), or a
            # reference back across the assistant's turn ("What bread machine should I get for that?").
            if (
                before is not None
                and id(before) in tainted
                and ((before.turn == s.turn and lowered.startswith(_ANAPHORA)) or back_reference.search(lowered))
            ):
                taint(s, tainted[id(before)])
                continue
            if s.embedding is None:
                continue
            for p in protected:
                if p.embedding is None or (p.turn, p.start) >= (s.turn, s.start):
                    continue
                if float(np.dot(s.embedding, p.embedding)) >= cfg.taint_similarity:
                    taint(s, p.protected)
                    break

        # 2. Candidates from the user's own words, then from assistant suggestions taken up.
        candidates: dict[str, _Candidate] = {}

        def note(seg: Segment, node: str, score: float, kept: bool, reason: str) -> None:
            if trail is not None:
                trail.append(_decision(seg, node, score, kept, reason))

        def drop(cand: _Candidate, reason: str) -> None:
            """A whole candidate left out of the output, noted at its first evidence sentence."""
            note(cand.segments[0], cand.node, cand.score, False, reason)

        def add(node: str, score: float, purchase: bool, evidence: list[Segment]) -> None:
            cand = candidates.setdefault(node, _Candidate(node=node, score=0.0, purchase=False))
            cand.score = 1.0 - (1.0 - cand.score) * (1.0 - score)  # noisy-or over mentions
            cand.mass += score
            cand.purchase = cand.purchase or purchase
            cand.segments.extend(evidence)

        notes: set[str] = set()
        for s in segs:
            if not s.is_user:
                continue
            if not s.supported:
                if len(s.text.split()) >= MIN_WORDS_FOR_LANGUAGE_NOTE:
                    notes.add("unsupported_language")
                continue
            for node, score in s.interests_unsupported.items():
                note(s, node, score, False, "no keyword, and the sentence is not near that interest's examples")
            if id(s) in tainted:
                reason = "tainted by protected content" if tainted[id(s)] else "withheld: a near-miss protected reading"
                for node, score in s.interests.items():
                    note(s, node, score, False, reason)
                    for category in tainted[id(s)]:
                        count(f"suppressed.{category}")
                continue
            purchase = s.purchase >= cfg.purchase_threshold
            for node, score in s.interests.items():
                if s.stance == "affirmed":
                    avowal = cfg.avowal_score if _avows(s, node) else None
                    if avowal is not None:
                        score = max(score, avowal)
                    add(node, score, purchase, [s])
                    note(s, node, score, True, "user interest" if avowal is None else "user interest, said outright")
                elif s.stance == "other_person" and s.gift:
                    add(node, score, True, [s])
                    note(s, node, score, True, "gift for someone else")
                else:
                    note(s, node, score, False, f"stance: {s.stance}")
            # "That sounds fun!" names nothing itself (whatever generic topic the head reads into
            # it): the interest is in what the assistant just offered, if it offered one or two things.
            if s.uptake and not s.lexicon and s.stance == "affirmed":
                offered = [
                    a for a in segs if a.turn == s.turn - 1 and not a.is_user and a.lexicon and id(a) not in tainted
                ]
                nodes = {n for a in offered for n in a.lexicon}
                if 1 <= len(nodes) <= 2:
                    for node in sorted(nodes):
                        add(node, cfg.uptake_score, purchase, [s, *(a for a in offered if node in a.lexicon)])
                        note(s, node, cfg.uptake_score, True, "assistant suggestion taken up")
                elif purchase and not nodes:
                    # "Great, let's book those two" after the assistant confirmed details that name
                    # nothing: the purchase is of what the user was arranging in their last turn.
                    last = max((u.turn for u in segs if u.is_user and u.turn < s.turn and u.interests), default=None)
                    asked = [u for u in segs if u.is_user and u.turn == last and u.interests and id(u) not in tainted]
                    for u in asked:
                        for node in u.interests:
                            cand = candidates.get(node)
                            if cand is not None and not cand.purchase and any(x is u for x in cand.segments):
                                cand.purchase = True
                                cand.purchase_segments.append(s)
                                note(s, node, cand.score, True, "purchase confirmed for the user's last request")

        # 3. Most specific nodes only, best first.
        taxonomy = self.taxonomy
        user_segments = sum(1 for s in segs if s.is_user)
        long_chat = user_segments >= cfg.long_conversation_segments
        min_score = cfg.min_interest_score_long if long_chat else cfg.min_interest_score
        bar = f"the long-chat bar ({min_score})" if long_chat else f"the short-chat bar ({min_score})"
        # A long chat in which nothing clears its bar still has a subject when one reading comes close
        # (a wedding named once in the opening line, then venue and photographer questions): the
        # strongest such reading is reported, and only that one (see the cut after ranking below).
        fallback = (
            long_chat
            and cfg.long_chat_fallback is not None
            and not any(c.node in taxonomy and c.score >= min_score for c in candidates.values())
        )
        if fallback:
            min_score = cfg.long_chat_fallback
            bar += f" and the fallback bar ({min_score})"
        # Why each candidate that is not reported was left out, for the trail (first reason wins).
        left_out: dict[str, str] = {}
        for c in candidates.values():
            if c.node in taxonomy and c.score < min_score:
                left_out[c.node] = f"combined score under {bar}"
        chosen = [c for c in candidates.values() if c.node in taxonomy and c.score >= min_score]
        covered = {a for c in chosen for a in taxonomy.ancestors(c.node)}
        for c in chosen:
            if c.node in covered:
                left_out[c.node] = "a more specific interest in its branch stands for it"
        # A chosen node stands in for the chosen ancestors it covers, and so for how much of the chat
        # they held and for a purchase said in their words (as ``_specialize`` does for a branch): a
        # leaf named a few times in a chat that kept returning to its topic must not rank below a side
        # topic, nor set the bar side topics are held to (``min_relative_mass``); and "What binoculars
        # should I get?" in a birdwatching chat is a purchase there, though it reads as Hobbies only.
        # A purchase sentence that is another reported interest's own evidence stays with it ("find us a
        # car at SFO" in a road-trip chat is a car-rental purchase, not a road-trip one).
        branches = {c.node: c for c in chosen if c.node in covered}
        chosen = [c for c in chosen if c.node not in covered]
        claimed = _claims(chosen)
        chosen = [
            _stand_in(
                c, [branches[a] for a in taxonomy.ancestors(c.node) if a in branches], claimed, cfg.purchase_threshold
            )
            for c in chosen
        ]
        if cfg.specialize:
            claimed = _claims(chosen)
            for i, cand in enumerate(chosen):
                leaf = self._specialize(cand, candidates, cfg.min_interest_score, claimed)
                if leaf is not cand:
                    note(leaf.segments[0], leaf.node, leaf.score, True, f"most specific interest under {cand.node}")
                    left_out[cand.node] = f"reported as its most specific interest, {leaf.node}"
                    left_out.pop(leaf.node, None)
                    chosen[i] = leaf
        # A one-line request is all a short chat gives, so every reading of it counts; a long chat
        # brushes past topics, and a sentence's weaker reading there is rarely the user's interest.
        if long_chat and cfg.shadow_margin is not None:
            shadowed = self._shadowed(chosen, cfg.shadow_margin)
            for cand in chosen:
                if cand.node in shadowed:
                    drop(cand, f"a side reading of {shadowed[cand.node]}")
            chosen = [c for c in chosen if c.node not in shadowed]
        chosen.sort(key=lambda c: (-c.mass, -c.score, c.node))
        if fallback:
            for c in chosen[1:]:
                drop(
                    c, f"a long chat with no interest over its bar reports only its strongest reading, {chosen[0].node}"
                )
            chosen = chosen[:1]
        if chosen:
            floor = chosen[0].mass * cfg.min_relative_mass
            # A topic the user said outright they like is theirs however briefly the chat dwells on it, and
            # one the chat spends `side_topic_min_mass` on is one of its topics whatever its share.
            side = {
                c.node
                for c in chosen
                if c.mass < floor
                and not (cfg.avowal_score is not None and _avowed(c))
                and not (cfg.side_topic_min_mass is not None and c.mass >= cfg.side_topic_min_mass)
            }
            for c in chosen:
                if c.node in side:
                    drop(c, f"a side topic: under {cfg.min_relative_mass} of the weight of {chosen[0].node}")
            chosen = [c for c in chosen if c.node not in side]
        for c in chosen[cfg.max_interests :]:
            drop(c, f"over the limit of interests per record (max_interests={cfg.max_interests})")
        reported = {c.node for c in chosen}
        for node, reason in left_out.items():
            if node not in reported:
                drop(candidates[node], reason)
        picked = []
        for cand in chosen[: cfg.max_interests]:
            evidence: dict[tuple[int, int], Segment] = {}
            for seg in sorted(cand.segments, key=lambda s: (s.turn, s.start)):
                evidence.setdefault((seg.turn, seg.start), seg)
            shown = list(evidence.values())[: cfg.max_evidence]
            # A purchase that comes from the branch's words shows one of them, so that the evidence says why.
            bought = [s for s in cand.purchase_segments if (s.turn, s.start) not in evidence]
            if bought and cfg.max_evidence > 1:
                shown = sorted([*shown[: cfg.max_evidence - 1], bought[0]], key=lambda s: (s.turn, s.start))
            picked.append((cand, shown))
        return _Draft(conv=conv, picked=picked, notes=tuple(sorted(notes)), audit=audit, trail=trail)

    def _shadowed(self, chosen: Sequence[_Candidate], margin: float) -> dict[str, str]:
        """Chosen interests that are only a side reading of another's sentences: node -> that other node.

        A candidate is shadowed when every sentence it rests on is also evidence for another chosen
        interest that scores more than ``margin`` higher on each of them ("My turntable is an
        entry-level LP60" is audio equipment, not music production). No two chosen interests lie on
        one line of the taxonomy (ancestors of a chosen node are dropped before this), so the other
        is always elsewhere in it. The relation is transitive, so the trail names one that is kept.
        """
        evidence = {c.node: {id(s) for s in c.segments} for c in chosen}
        by: dict[str, list[str]] = {}
        for cand in chosen:
            for other in chosen:
                if other is cand or not evidence[cand.node] <= evidence[other.node]:
                    continue
                if all(
                    s.interests.get(other.node, 0.0) > s.interests.get(cand.node, 0.0) + margin
                    for s in cand.segments
                    if s.is_user
                ):
                    by.setdefault(cand.node, []).append(other.node)
        return {node: next((o for o in others if o not in by), others[0]) for node, others in by.items()}

    def _specialize(
        self, cand: _Candidate, candidates: Mapping[str, _Candidate], floor: float, claimed: Mapping[int, set[str]]
    ) -> _Candidate:
        """The most-mentioned descendant of ``cand`` scoring at least ``floor``, in its place.

        A long chat holds a branch to a high bar (``min_interest_score_long``); once the branch has
        cleared it, a leaf inside it needs only the bar of a short chat to say which part of it.
        """
        taxonomy = self.taxonomy
        below = [
            c
            for c in candidates.values()
            if c.node in taxonomy and c.score >= floor and cand.node in taxonomy.ancestors(c.node)
        ]
        if not below:
            return cand
        best = max(below, key=lambda c: (c.mass, c.score, c.node))
        return _stand_in(best, [cand], claimed, self.config.purchase_threshold)

    def _finish(self, drafts: list[_Draft]) -> list[ExtractionResult]:
        texts = sorted({seg.text for d in drafts for _, segs in d.picked for seg in segs})
        redacted = dict(zip(texts, self._redact_many(texts), strict=True))
        # Replacing PII changes the text the gate saw ("Ann testified before congress" reads as
        # politics once the name is gone): such evidence is checked again and dropped if it now
        # looks protected, and an interest left without evidence is dropped with it.
        changed = sorted({red for red, n_pii in redacted.values() if n_pii})
        found = self._protected_sets([t.replace(REDACTION_PLACEHOLDER, " ") for t in changed])
        unsafe = {t for t, categories in zip(changed, found, strict=True) if categories}
        taxonomy = self.taxonomy
        out = []
        for draft in drafts:
            audit = dict(draft.audit)
            interests = []
            for cand, segs in draft.picked:
                node = taxonomy[cand.node]
                evidence = []
                for seg in segs:
                    text, n_pii = redacted[seg.text]
                    if text in unsafe:
                        continue
                    if n_pii:
                        audit["pii.redacted"] = audit.get("pii.redacted", 0) + n_pii
                    evidence.append(Evidence(turn=seg.turn, text=text))
                if not evidence:
                    if draft.trail is not None:
                        draft.trail.append(
                            _decision(
                                segs[0],
                                cand.node,
                                cand.score,
                                False,
                                "no evidence left: each evidence sentence reads as protected once its PII is replaced",
                            )
                        )
                    continue
                interests.append(
                    InterestSignal(
                        id=node.id,
                        name=node.name,
                        path=node.path,
                        iab_id=node.iab_id,
                        ad_categories=node.ad_categories,
                        intent="purchase" if cand.purchase else "interest",
                        score=round(min(cand.score, 0.999), 3),
                        evidence=tuple(evidence),
                    )
                )
            conv = draft.conv
            out.append(
                ExtractionResult(
                    id=conv.id,
                    status="ok",
                    interests=tuple(interests),
                    policy=PolicyDecision(notes=draft.notes),
                    user_id=conv.user_id,
                    timestamp=conv.timestamp,
                    audit=tuple(sorted(audit.items())),
                )
            )
        return out

    def _redact_many(self, texts: list[str]) -> list[tuple[str, int]]:
        """Evidence texts with protected spans (defence in depth) and PII replaced, then shortened.

        Returns each redacted text with its number of PII spans (for the audit counters).
        """
        pii = self.pii.find_batch(texts) if self.config.scrub_pii and texts else [[] for _ in texts]
        out = []
        for text, found in zip(texts, pii, strict=True):
            # A listed lookalike ("Black Sabbath", "Prison Break") is a thing, not a person's name.
            matches, safe = self.rules.scan(text)
            pii_spans = [p for p in found if not any(s <= p.start and p.end <= e for s, e in safe)]
            spans = [(m.start, m.end) for m in matches] + [(p.start, p.end) for p in pii_spans]
            for start, end in sorted(_merge(spans), reverse=True):
                text = text[:start] + REDACTION_PLACEHOLDER + text[end:]
            limit = self.config.max_evidence_chars
            if len(text) > limit:
                cut = text.rfind(" ", 0, limit - 1)
                text = text[: cut if cut > limit // 2 else limit - 1].rstrip() + "…"
            out.append((text, len(pii_spans)))
        return out


def _excluded(conv: Conversation, decision: PolicyDecision) -> ExtractionResult:
    return ExtractionResult(
        id=conv.id, status="excluded", policy=decision, user_id=conv.user_id, timestamp=conv.timestamp
    )


def _decision(seg: Segment, node: str, score: float, kept: bool, reason: str) -> Decision:
    return Decision(seg.turn, seg.text, node, round(score, 4), kept, reason)


def _avows(seg: Segment, node: str) -> bool:
    """Whether ``seg`` names ``node`` by keyword while saying outright that the user likes it."""
    return seg.avowed and node in seg.lexicon


def _avowed(cand: _Candidate) -> bool:
    """Whether a sentence of ``cand`` avows it (``_avows``)."""
    return any(_avows(s, cand.node) for s in cand.segments)


def _claims(chosen: Sequence[_Candidate]) -> dict[int, set[str]]:
    """id(segment) -> the chosen interests it is evidence for."""
    claims: dict[int, set[str]] = {}
    for c in chosen:
        for seg in c.segments:
            claims.setdefault(id(seg), set()).add(c.node)
    return claims


def _stand_in(
    cand: _Candidate, branches: Sequence[_Candidate], claimed: Mapping[int, set[str]], purchase_threshold: float
) -> _Candidate:
    """``cand`` standing in for candidates above it in the taxonomy: their mass, and their purchases.

    The user's purchase sentences among the branches' evidence count for ``cand`` (and are kept to show
    why it is a purchase), unless another chosen interest (in ``claimed``; ``cand`` and the branches
    themselves aside) rests on them.
    """
    if not branches:
        return cand
    ours = {cand.node, *(b.node for b in branches)}
    have = {id(s) for s in (*cand.segments, *cand.purchase_segments)}
    bought: list[Segment] = []
    for branch in branches:
        if not branch.purchase:
            continue
        for seg in (*branch.segments, *branch.purchase_segments):
            if seg.is_user and seg.purchase >= purchase_threshold and id(seg) not in have:
                if claimed.get(id(seg), set()) - ours:
                    continue
                have.add(id(seg))
                bought.append(seg)
    return replace(
        cand,
        mass=max([cand.mass, *(b.mass for b in branches)]),
        purchase=cand.purchase or bool(bought),
        purchase_segments=[*cand.purchase_segments, *bought],
    )


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _user_turn(text: str) -> Turn:
    return Turn(speaker="user", text=text)
