"""spaCy pipeline components, registered by name with declarative default config.

One ``Doc`` is one turn of a conversation. ``doc._.speaker``/``doc._.turn`` say whose turn it is;
the segmenter cuts the turn into segments (sentences, and clauses where a stance cue needs them)
that every later component annotates in place (``doc._.segments``). Only user segments in a
language the gate can read are embedded; assistant turns get cheap lexicon and rule passes only,
which is all the conversation logic needs from them.

Typical order: ``sentencizer`` → ``ise_segmenter`` → ``ise_encoder`` → ``ise_protected`` →
``ise_interests`` → ``ise_stance`` → ``ise_intent``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from extractor.categories import PROTECTED_CATEGORIES
from extractor.config import (
    INTEREST_SUPPORT_MARGIN,
    INTEREST_THRESHOLD,
    PROTECTED_CATEGORY_SUPPORT_MARGINS,
    PROTECTED_CLAUSE_MIN_WORDS,
    PROTECTED_CLAUSE_SUPPORT_MARGIN,
    PROTECTED_CLAUSE_THRESHOLD,
    PROTECTED_LEXICAL_BAND,
    PROTECTED_LEXICAL_FLOOR,
    PROTECTED_SUPPORT_MARGIN,
    PROTECTED_THRESHOLD,
    PROTECTED_WITHHOLD_MARGIN,
)
from extractor.cues import load_cues
from extractor.encoder import EncoderDtype, SentenceEncoder
from extractor.heads import ModelHeads
from extractor.lexical import LexicalCheck
from extractor.privacy.language import detect_language, is_supported
from extractor.privacy.rules import ProtectedRules
from extractor.resources import (
    shared_encoder,
    shared_heads,
    shared_interest_support,
    shared_lexical,
    shared_rules,
    shared_support,
    shared_taxonomy,
)
from extractor.schema import NON_USER_SPEAKERS
from extractor.support import InterestSupport, SupportSet
from extractor.taxonomy import Taxonomy

for _name, _default in (("speaker", "user"), ("turn", 0), ("segments", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


@dataclass
class Segment:
    """A sentence or clause of one turn, and everything the components found in it."""

    turn: int
    start: int  # character offsets in the turn's text
    end: int
    text: str
    is_user: bool
    supported: bool = True
    language: str = "und"  # ISO 639-1 of the turn, "und" when too short to tell
    embedding: np.ndarray | None = None  # of the first window the encoder reads (see SentenceEncoder.windows)
    # The later windows of a segment too long for the encoder to read at once: the privacy gate reads them.
    tail_embeddings: np.ndarray | None = None
    protected: dict[str, float] = field(default_factory=dict)  # category -> confidence
    # decision trail: "rule:terms", "rule:patterns", "rule:proxies", "rule:places"; "model" (the sentence),
    # "model:window" (a later window of a long one), "model:clause", "model:without-lookalike"
    protected_sources: list[str] = field(default_factory=list)
    # head verdicts dropped because the segment is far from that category's examples (decision trail)
    protected_unsupported: dict[str, float] = field(default_factory=dict)
    # those of them that came within the withhold margin: reported nowhere, but the segment is not evidence
    protected_withheld: dict[str, float] = field(default_factory=dict)
    # supported head verdicts, barely, that the lexical check did not back: withheld too (decision trail)
    protected_unbacked: dict[str, float] = field(default_factory=dict)
    # supported head verdicts short of their category's stricter support margin: withheld too (decision trail)
    protected_below_category_margin: dict[str, float] = field(default_factory=dict)
    interests: dict[str, float] = field(default_factory=dict)  # node id -> score
    # keyword-less head readings dropped because the segment is far from that node's examples
    interests_unsupported: dict[str, float] = field(default_factory=dict)
    lexicon: set[str] = field(default_factory=set)  # node ids named by a keyword
    stance: str = "affirmed"
    gift: bool = False
    avowed: bool = False  # says outright that the user likes it ("I love hiking")
    uptake: bool = False
    purchase: float = 0.0


def segments_of(doc: Doc) -> list[Segment]:
    segs = doc._.segments
    if segs is None:
        raise ValueError("doc has no segments: add 'ise_segmenter' before this component")
    return segs


def _batched(docs: Iterable[Doc], size: int) -> Iterator[list[Doc]]:
    it = iter(docs)
    while chunk := list(islice(it, size)):
        yield chunk


class _BatchComponent:
    """Components that work on many docs at once implement ``process(list[Doc])``."""

    batch_size: int = 64

    def process(self, docs: list[Doc]) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        self.process([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int | None = None) -> Iterator[Doc]:
        for chunk in _batched(docs, batch_size or self.batch_size):
            self.process(chunk)
            yield from chunk


# --------------------------------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\n\s*")


def _lines(doc: Doc, text: str) -> Iterator[tuple[int, int]]:
    """Sentence spans of ``doc`` (whose text is ``text``), further cut at line breaks (chat text often
    has no full stops)."""
    for sent in doc.sents:
        prev = sent.start_char
        for m in _LINE_BREAK.finditer(text, sent.start_char, sent.end_char):
            if m.start() > prev:
                yield prev, m.start()
            prev = m.end()
        if sent.end_char > prev and text[prev : sent.end_char].strip():
            yield prev, sent.end_char


class Segmenter:
    def __init__(self, *, split_clauses: bool, language_gate: bool) -> None:
        self.split_clauses = split_clauses
        self.language_gate = language_gate

    def __call__(self, doc: Doc) -> Doc:
        cues = load_cues()
        # spaCy rebuilds Doc.text from its tokens on every access: read it once.
        whole = doc.text
        is_user = str(doc._.speaker).lower() not in NON_USER_SPEAKERS
        supported = is_supported(whole) if self.language_gate else True
        language = detect_language(whole) if self.language_gate else "und"
        segments: list[Segment] = []
        for start, end in _lines(doc, whole):
            text = whole[start:end]
            pieces = [(start, end)]
            if self.split_clauses:
                lowered = text.lower()
                if cues.stance_of(lowered) != "affirmed":
                    cuts = [m for m in cues.clause_split.finditer(lowered)]
                    if cuts:
                        pieces, prev = [], start
                        for m in cuts:
                            pieces.append((prev, start + m.start()))
                            prev = start + m.end()
                        pieces.append((prev, end))
            for s, e in pieces:
                piece = whole[s:e]
                lead = len(piece) - len(piece.lstrip())
                trail = len(piece) - len(piece.rstrip())
                s, e = s + lead, e - trail
                if e > s:
                    segments.append(Segment(doc._.turn, s, e, whole[s:e], is_user, supported, language))
        doc._.segments = segments
        return doc


@Language.factory(
    "ise_segmenter",
    default_config={"split_clauses": True, "language_gate": True},
    requires=["token.is_sent_start"],
)
def make_segmenter(nlp: Language, name: str, split_clauses: bool, language_gate: bool) -> Segmenter:
    return Segmenter(split_clauses=split_clauses, language_gate=language_gate)


# --------------------------------------------------------------------------------------------------


class Encoder(_BatchComponent):
    """Embeds user segments in the backbone's languages, batching across docs.

    The backbone and heads are English: text in another language the gate can read (es/pt/fr/de)
    is checked by the multilingual phrase rules only, and yields no interests rather than noise.
    """

    def __init__(
        self,
        *,
        batch_size: int,
        model_path: str | None,
        languages: Iterable[str],
        models_dir: str | None = None,
        dtype: EncoderDtype = "float32",
        encoder: SentenceEncoder | None = None,
    ) -> None:
        self.batch_size = batch_size
        self.model_path = model_path
        self.models_dir = models_dir
        self.dtype = dtype
        self.languages = frozenset(languages)
        self.encoder = encoder

    def process(self, docs: list[Doc]) -> None:
        encoder = self.encoder or shared_encoder(self.model_path, self.models_dir, self.dtype)
        todo = [s for d in docs for s in segments_of(d) if s.is_user and s.supported and s.language in self.languages]
        vectors = encoder.embed([s.text for s in todo], batch_size=self.batch_size)
        for seg, vec in zip(todo, vectors, strict=True):
            seg.embedding = vec
        # A run-on segment (chat often has no full stops) can be longer than the encoder reads at once;
        # its first window stands for it everywhere, and its later windows go to the privacy gate only.
        tails = [(seg, pieces[1:]) for seg in todo if len(pieces := encoder.windows(seg.text)) > 1]
        if tails:
            vectors = encoder.embed([p for _, pieces in tails for p in pieces], batch_size=self.batch_size)
            at = 0
            for seg, pieces in tails:
                seg.tail_embeddings, at = vectors[at : at + len(pieces)], at + len(pieces)


@Language.factory(
    "ise_encoder",
    default_config={
        "batch_size": 64,
        "model_path": None,
        "models_dir": None,
        "languages": ["en", "und"],
        "dtype": "float32",
    },
)
def make_encoder(
    nlp: Language,
    name: str,
    batch_size: int,
    model_path: str | None,
    models_dir: str | None,
    languages: list[str],
    dtype: EncoderDtype,
) -> Encoder:
    return Encoder(
        batch_size=batch_size, model_path=model_path, models_dir=models_dir, languages=languages, dtype=dtype
    )


_WORD_CHAR = re.compile(r"\w")


def _without(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with ``spans`` (character offsets, possibly overlapping) cut out."""
    out, prev = [], 0
    for start, end in sorted(spans):
        if start > prev:
            out.append(text[prev:start])
        prev = max(prev, end)
    out.append(text[prev:])
    return " ".join(" ".join(out).split())


def _stack(segments: list[Segment]) -> np.ndarray:
    """The segments' embeddings as one matrix (callers skip an empty list: its width is the backbone's)."""
    return np.stack([s.embedding for s in segments])


class _HeadsUser(_BatchComponent):
    models_dir: str | None
    heads: ModelHeads | None

    def _heads(self) -> ModelHeads:
        return self.heads or shared_heads(self.models_dir)


# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeadReading:
    """One text the protected head reads for a segment."""

    segment: Segment
    source: str  # decision-trail name: "model", "model:window", "model:clause", "model:without-lookalike"
    text: str  # what the lexical check reads (a later window's is its whole segment's)
    embedding: np.ndarray


@dataclass(frozen=True)
class HeadScores:
    """What the protected head, the support set and the lexical check make of a list of readings."""

    labels: tuple[str, ...]
    probs: np.ndarray  # [readings, labels]
    margins: np.ndarray  # support margins; -inf where not worked out
    backing: np.ndarray  # lexical probabilities; 1.0 where not worked out


class ProtectedDetector(_HeadsUser):
    """Phrase rules on every segment (any speaker, any language) plus the classifier head.

    The head reads every embedded segment whole (all of it: see ``SentenceEncoder.windows``) and, from
    ``clause_min_words`` words up, clause by clause too, since an interest in the same sentence dilutes
    a disclosure. A segment that holds a listed lookalike ("Christian Dior", "European Union") and no
    rule hit is read with the lookalike taken out, so the name neither triggers a verdict nor hides
    the rest of the sentence ("The European Union's open borders are destroying this country").
    A head verdict stands where the support set backs it, and where that backing is thin, where the
    lexical check (words, not the embedding) backs it too. ``process`` is ``read``, ``score`` and
    ``decide``, public so that ``benchmarks/gate_replay.py`` can score once and decide many times.
    """

    def __init__(
        self,
        *,
        threshold: float,
        models_dir: str | None,
        rules_path: str | None,
        support_margin: float | None = PROTECTED_SUPPORT_MARGIN,
        category_support_margins: Iterable[tuple[str, float]] = PROTECTED_CATEGORY_SUPPORT_MARGINS,
        clause_min_words: int | None = PROTECTED_CLAUSE_MIN_WORDS,
        clause_threshold: float = PROTECTED_CLAUSE_THRESHOLD,
        clause_support_margin: float | None = PROTECTED_CLAUSE_SUPPORT_MARGIN,
        withhold_margin: float | None = PROTECTED_WITHHOLD_MARGIN,
        lexical_floor: float | None = PROTECTED_LEXICAL_FLOOR,
        lexical_band: float = PROTECTED_LEXICAL_BAND,
        batch_size: int = 64,
        model_path: str | None = None,
        dtype: EncoderDtype = "float32",
        heads: ModelHeads | None = None,
        rules: ProtectedRules | None = None,
        support: SupportSet | None = None,
        encoder: SentenceEncoder | None = None,
        lexical: LexicalCheck | None = None,
    ) -> None:
        self.batch_size = batch_size
        self.threshold = threshold
        self.support_margin = support_margin
        self.category_support_margins = {str(c): float(m) for c, m in category_support_margins}
        if unknown := sorted(set(self.category_support_margins) - set(PROTECTED_CATEGORIES)):
            raise ValueError(f"category_support_margins: unknown categories {unknown}")
        self.clause_min_words = clause_min_words
        self.clause_threshold = clause_threshold
        self.clause_support_margin = clause_support_margin
        self.withhold_margin = withhold_margin
        self.lexical_floor = lexical_floor
        self.lexical_band = lexical_band
        self.models_dir = models_dir
        self.rules_path = rules_path
        self.model_path = model_path
        self.dtype = dtype
        self.heads = heads
        self.rules = rules
        self.support = support
        self.encoder = encoder
        self.lexical = lexical

    def resolved_support(self) -> SupportSet:
        return self.support or shared_support(self.models_dir)

    def resolved_lexical(self) -> LexicalCheck:
        return self.lexical or shared_lexical(self.models_dir)

    def resolved_rules(self) -> ProtectedRules:
        return self.rules or shared_rules(self.rules_path)

    def clauses(self, text: str) -> list[str]:
        """The clauses of 3 words or more of a sentence of at least ``clause_min_words`` words, where
        it has two or more such clauses."""
        if self.clause_min_words is None or len(text.split()) < self.clause_min_words:
            return []
        clauses = [c for c in load_cues().protected_clause_split.split(text) if c and len(c.split()) >= 3]
        return clauses if len(clauses) > 1 else []

    def resolved_encoder(self) -> SentenceEncoder:
        return self.encoder or shared_encoder(self.model_path, self.models_dir, self.dtype)

    def process(self, docs: list[Doc]) -> None:
        readings = self.read(docs)
        if readings:
            self.decide(readings, self.score(readings))

    def read(self, docs: Iterable[Doc]) -> list[HeadReading]:
        """Apply the phrase rules to every segment (their hits go straight into ``protected``) and list
        what the head is to read: each embedded segment whole and its later windows, its clauses, and
        for a segment with a listed lookalike and no rule hit, what is left once the lookalike is out."""
        rules = self.resolved_rules()
        readings: list[HeadReading] = []
        pieces: list[tuple[Segment, str, str]] = []  # (segment, trail name, text) still to embed
        for doc in docs:
            for seg in segments_of(doc):
                matches, lookalikes = rules.scan(seg.text)
                for m in matches:
                    seg.protected[m.category] = 1.0
                    seg.protected_sources.append(f"rule:{m.kind}")
                if seg.embedding is None:
                    continue
                if seg.protected or not lookalikes:
                    read = seg.text
                    readings.append(HeadReading(seg, "model", read, seg.embedding))
                    tails = () if seg.tail_embeddings is None else tuple(seg.tail_embeddings)
                    readings.extend(HeadReading(seg, "model:window", read, v) for v in tails)
                else:
                    # The classifier reads "Christian Dior" or "Union Station" as religion or unions:
                    # where a listed lookalike explains those words and no rule fired, it reads the rest.
                    read = _without(seg.text, lookalikes)
                    if _WORD_CHAR.search(read):
                        pieces.append((seg, "model:without-lookalike", read))
                pieces.extend((seg, "model:clause", c) for c in self.clauses(read))
        if pieces:
            encoder = self.resolved_encoder()
            windows = [(seg, source, w) for seg, source, text in pieces for w in encoder.windows(text)]
            vectors = encoder.embed([w for _, _, w in windows], batch_size=self.batch_size)
            readings.extend(HeadReading(seg, src, w, v) for (seg, src, w), v in zip(windows, vectors, strict=True))
        return readings

    def _bar(self, reading: HeadReading) -> tuple[float, float | None]:
        """(threshold, support margin) of a reading: a clause's is stricter."""
        if reading.source == "model:clause":
            return self.clause_threshold, self.clause_support_margin
        return self.threshold, self.support_margin

    def _category_bar(self, floor: float | None, category: str) -> float | None:
        """The support margin a verdict for ``category`` needs: the stricter of the reading's and the
        category's own (``category_support_margins``); None where the reading needs no support."""
        if floor is None:
            return None
        return max(floor, self.category_support_margins.get(category, floor))

    def score(self, readings: Sequence[HeadReading], *, complete: bool = False) -> HeadScores:
        """Head probabilities, support margins and lexical backing for ``readings``. Margins are worked
        out only where the head fires and the bar has a support margin, backing only where that margin
        falls under the lexical band; ``complete`` works out both everywhere (for replaying the
        decision under other settings, ``benchmarks/gate_replay.py``). Not worked out: margin -inf,
        backing 1."""
        head = self._heads().protected
        x = np.stack([r.embedding for r in readings]).astype(np.float32, copy=False)
        probs = head.predict(x)
        bars = [self._bar(r) for r in readings]
        thresholds = np.array([t for t, _ in bars], dtype=np.float32)[:, None]
        with_support = np.array([f is not None for _, f in bars])
        margins = np.full(probs.shape, -np.inf, dtype=np.float32)
        need = np.flatnonzero(with_support if complete else (probs >= thresholds).any(axis=1) & with_support)
        if len(need):
            margins[need] = self.resolved_support().margins(x[need], head.labels)
        backing = np.ones(probs.shape, dtype=np.float32)
        if complete or self.lexical_floor is not None:
            unsure = need if complete else need[(margins[need] < self.lexical_band).any(axis=1)]
            if len(unsure):
                backing[unsure] = self._lexical_backing([readings[i].text for i in unsure], head.labels)
        return HeadScores(labels=head.labels, probs=probs, margins=margins, backing=backing)

    def decide(self, readings: Sequence[HeadReading], scores: HeadScores) -> None:
        """Turn the head's verdicts into segment findings. A verdict stands only where the text is about
        as close to that category's training examples as to the ones without protected content (phrase
        rule hits never need support), as much closer as its category asks (``category_support_margins``),
        and, where it is barely so, where the words back it. A supported verdict that fails one of the last
        two is withheld rather than reported, and keeps its turn out of the evidence as a reported one
        would (``Extractor``'s taint): those checks lower what is reported, never what may be evidence."""
        for i, reading in enumerate(readings):
            seg = reading.segment
            threshold, floor = self._bar(reading)
            for j in np.flatnonzero(scores.probs[i] >= threshold):
                category, p, margin = scores.labels[j], float(scores.probs[i, j]), float(scores.margins[i, j])
                if floor is not None and margin < floor:
                    seg.protected_unsupported[category] = max(seg.protected_unsupported.get(category, 0.0), p)
                    if self.withhold_margin is not None and margin >= self.withhold_margin:
                        seg.protected_withheld[category] = max(seg.protected_withheld.get(category, 0.0), p)
                    continue
                category_floor = self._category_bar(floor, category)
                if category_floor is not None and margin < category_floor:
                    # Supported, but short of its category's stricter bar: withheld, not reported.
                    short = seg.protected_below_category_margin
                    short[category] = max(short.get(category, 0.0), p)
                    seg.protected_withheld[category] = max(seg.protected_withheld.get(category, 0.0), p)
                    continue
                if (
                    floor is not None
                    and self.lexical_floor is not None
                    and margin < self.lexical_band
                    and scores.backing[i, j] < self.lexical_floor
                ):
                    # Barely supported, and the words do not back it: withheld, not reported.
                    seg.protected_unbacked[category] = max(seg.protected_unbacked.get(category, 0.0), p)
                    seg.protected_withheld[category] = max(seg.protected_withheld.get(category, 0.0), p)
                    continue
                seg.protected[category] = max(seg.protected.get(category, 0.0), p)
                seg.protected_sources.append(reading.source)
        for reading in readings:  # a dropped verdict of one reading is moot where another one's stands
            seg = reading.segment
            for category in seg.protected:
                seg.protected_unsupported.pop(category, None)
                seg.protected_withheld.pop(category, None)
                seg.protected_unbacked.pop(category, None)
                seg.protected_below_category_margin.pop(category, None)

    def _lexical_backing(self, texts: list[str], labels: Sequence[str]) -> np.ndarray:
        """The lexical check's probabilities for ``texts``, in the head's label order."""
        lexical = self.resolved_lexical()
        # A head label the lexical check lacks is always backed (probability 1): fail closed.
        cols = [lexical.labels.index(c) if c in lexical.labels else -1 for c in labels]
        probs = lexical.predict(texts)
        return np.concatenate([probs, np.ones((len(texts), 1), dtype=probs.dtype)], axis=1)[:, cols]


@Language.factory(
    "ise_protected",
    default_config={
        "threshold": PROTECTED_THRESHOLD,
        "support_margin": PROTECTED_SUPPORT_MARGIN,
        # (category, margin) pairs, a list because spaCy merges a dict given with the default one
        "category_support_margins": [list(pair) for pair in PROTECTED_CATEGORY_SUPPORT_MARGINS],
        "clause_min_words": PROTECTED_CLAUSE_MIN_WORDS,
        "clause_threshold": PROTECTED_CLAUSE_THRESHOLD,
        "clause_support_margin": PROTECTED_CLAUSE_SUPPORT_MARGIN,
        "withhold_margin": PROTECTED_WITHHOLD_MARGIN,
        "lexical_floor": PROTECTED_LEXICAL_FLOOR,
        "lexical_band": PROTECTED_LEXICAL_BAND,
        "models_dir": None,
        "rules_path": None,
        "batch_size": 64,
        "model_path": None,
        "dtype": "float32",
    },
)
def make_protected(
    nlp: Language,
    name: str,
    threshold: float,
    support_margin: float | None,
    category_support_margins: list[Any],
    clause_min_words: int | None,
    clause_threshold: float,
    clause_support_margin: float | None,
    withhold_margin: float | None,
    lexical_floor: float | None,
    lexical_band: float,
    models_dir: str | None,
    rules_path: str | None,
    batch_size: int,
    model_path: str | None,
    dtype: EncoderDtype,
) -> ProtectedDetector:
    return ProtectedDetector(
        threshold=threshold,
        support_margin=support_margin,
        category_support_margins=category_support_margins,
        clause_min_words=clause_min_words,
        clause_threshold=clause_threshold,
        clause_support_margin=clause_support_margin,
        withhold_margin=withhold_margin,
        lexical_floor=lexical_floor,
        lexical_band=lexical_band,
        models_dir=models_dir,
        rules_path=rules_path,
        batch_size=batch_size,
        model_path=model_path,
        dtype=dtype,
    )


# --------------------------------------------------------------------------------------------------


class InterestDetector(_HeadsUser):
    """Classifier head on user segments, with taxonomy keywords as a precision boost.

    A keyword scores ``lexicon_score + (1 - lexicon_score) * p`` for the head's probability ``p``, so
    with the defaults (0.65, threshold 0.7) a keyword needs only weak support from the head. The
    head alone must clear the threshold, which is what lets paraphrases with no keyword in common
    with the taxonomy through. Such a keyword-less verdict also needs example support (see
    ``extractor.support.InterestSupport``): generic lines otherwise lean towards some topic.
    """

    def __init__(
        self,
        *,
        vocab_nlp: Language,
        threshold: float,
        lexicon_score: float,
        models_dir: str | None,
        taxonomy_path: str | None,
        support_margin: float | None = INTEREST_SUPPORT_MARGIN,
        batch_size: int = 64,
        heads: ModelHeads | None = None,
        taxonomy: Taxonomy | None = None,
        support: InterestSupport | None = None,
    ) -> None:
        self.batch_size = batch_size
        self.threshold = threshold
        self.lexicon_score = lexicon_score
        self.support_margin = support_margin
        self.support = support
        self.models_dir = models_dir
        self.taxonomy_path = taxonomy_path
        self.heads = heads
        self.taxonomy = taxonomy
        self._vocab_nlp = vocab_nlp
        self._matcher: PhraseMatcher | None = None

    def resolved_taxonomy(self) -> Taxonomy:
        return self.taxonomy or shared_taxonomy(self.taxonomy_path)

    def resolved_support(self) -> InterestSupport:
        return self.support or shared_interest_support(self.models_dir)

    def _phrase_matcher(self) -> PhraseMatcher:
        if self._matcher is None:
            matcher = PhraseMatcher(self._vocab_nlp.vocab, attr="LOWER")
            for node in self.resolved_taxonomy():
                phrases = {node.name.lower(), *node.keywords}
                matcher.add(node.id, [self._vocab_nlp.make_doc(p) for p in sorted(phrases)])
            self._matcher = matcher
        return self._matcher

    def process(self, docs: list[Doc]) -> None:
        matcher = self._phrase_matcher()
        embedded: list[Segment] = []
        for doc in docs:
            segs = segments_of(doc)
            for match_id, start, end in matcher(doc):
                span = doc[start:end]
                node_id = doc.vocab.strings[match_id]
                for seg in segs:
                    if seg.start <= span.start_char and span.end_char <= seg.end:
                        seg.lexicon.add(node_id)
                        break
            embedded.extend(s for s in segs if s.embedding is not None)
        if not embedded:
            return
        head = self._heads().interest
        column = {label: j for j, label in enumerate(head.labels)}
        x = _stack(embedded)
        probs = head.predict(x)
        for seg, row in zip(embedded, probs, strict=True):
            scores = {head.labels[j]: float(row[j]) for j in np.flatnonzero(row >= self.threshold)}
            for node_id in seg.lexicon:
                j = column.get(node_id)
                p = float(row[j]) if j is not None else 0.0
                scores[node_id] = max(scores.get(node_id, 0.0), self.lexicon_score + (1 - self.lexicon_score) * p)
            seg.interests = {k: v for k, v in scores.items() if v >= self.threshold}
        floor = self.support_margin
        if floor is None:
            return
        # Keyword-backed readings stand on the keyword; only the head's own readings need support.
        unbacked = [[n for n in seg.interests if n not in seg.lexicon] for seg in embedded]
        rows = [i for i, nodes in enumerate(unbacked) if nodes]
        if not rows:
            return
        margins = self.resolved_support().margins(x[rows], [unbacked[i] for i in rows])
        for i, found in zip(rows, margins, strict=True):
            seg = embedded[i]
            for node, margin in found.items():
                if margin < floor:
                    seg.interests_unsupported[node] = seg.interests.pop(node)


@Language.factory(
    "ise_interests",
    default_config={
        "threshold": INTEREST_THRESHOLD,
        "lexicon_score": 0.65,
        "support_margin": INTEREST_SUPPORT_MARGIN,
        "models_dir": None,
        "taxonomy_path": None,
        "batch_size": 64,
    },
)
def make_interests(
    nlp: Language,
    name: str,
    threshold: float,
    lexicon_score: float,
    support_margin: float | None,
    models_dir: str | None,
    taxonomy_path: str | None,
    batch_size: int,
) -> InterestDetector:
    return InterestDetector(
        vocab_nlp=nlp,
        threshold=threshold,
        lexicon_score=lexicon_score,
        support_margin=support_margin,
        models_dir=models_dir,
        taxonomy_path=taxonomy_path,
        batch_size=batch_size,
    )


# --------------------------------------------------------------------------------------------------


class StanceDetector:
    """Stance (negated, past, hypothetical, someone else's), gifts, avowals and uptakes: cue patterns on each
    clause-level segment."""

    def __call__(self, doc: Doc) -> Doc:
        cues = load_cues()
        for seg in segments_of(doc):
            lowered = seg.text.lower()
            seg.stance = cues.stance_of(lowered)
            seg.gift = bool(cues.gift.search(lowered))
            seg.avowed = bool(cues.avowal.search(lowered))
            seg.uptake = bool(cues.uptake.search(lowered))
        return doc


@Language.factory("ise_stance", default_config={})
def make_stance(nlp: Language, name: str) -> StanceDetector:
    return StanceDetector()


class IntentDetector(_HeadsUser):
    """Purchase intent: the intent head, or a purchase cue with the head at least half convinced."""

    def __init__(self, *, cue_threshold: float, models_dir: str | None, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self.cue_threshold = cue_threshold
        self.models_dir = models_dir
        self.heads: ModelHeads | None = None

    def process(self, docs: list[Doc]) -> None:
        cues = load_cues()
        # Sentences with an interest, and uptakes ("let's book those two"), whose intent is the offer's.
        embedded = [s for d in docs for s in segments_of(d) if s.embedding is not None and (s.interests or s.uptake)]
        if not embedded:
            return
        probs = self._heads().intent.predict(_stack(embedded))[:, 0]
        for seg, p in zip(embedded, probs, strict=True):
            cue = seg.gift or bool(cues.purchase.search(seg.text.lower()))
            # A cue makes a half-convinced head decisive (probability lifted to 0.5).
            seg.purchase = max(float(p), 0.5) if cue and p >= self.cue_threshold else float(p)


@Language.factory("ise_intent", default_config={"cue_threshold": 0.25, "models_dir": None, "batch_size": 64})
def make_intent(
    nlp: Language, name: str, cue_threshold: float, models_dir: str | None, batch_size: int
) -> IntentDetector:
    return IntentDetector(cue_threshold=cue_threshold, models_dir=models_dir, batch_size=batch_size)
