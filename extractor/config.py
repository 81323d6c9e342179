"""Validated configuration of an :class:`~extractor.pipeline.Extractor`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from extractor.categories import ProtectedCategory
from extractor.encoder import EncoderDtype


def _policy_data() -> dict:
    return json.loads(resources.files("extractor.data").joinpath("policy.json").read_text(encoding="utf-8"))


def default_excluded_regions() -> frozenset[str]:
    """EU and EEA member states, the United Kingdom and South Korea (see ``data/policy.json``)."""
    return frozenset(_policy_data()["excluded_regions"])


# Defaults shared by ExtractorConfig and the spaCy components' default configs, so a pipeline built
# either way behaves the same. The support margin was chosen on the dev split (README "Accuracy",
# knob table).
INTEREST_THRESHOLD = 0.7
PROTECTED_THRESHOLD = 0.5
PROTECTED_SUPPORT_MARGIN = 0.005
PROTECTED_CLAUSE_MIN_WORDS = 8
PROTECTED_CLAUSE_THRESHOLD = 0.8
PROTECTED_CLAUSE_SUPPORT_MARGIN = 0.08
PROTECTED_WITHHOLD_MARGIN = -0.04
PROTECTED_LEXICAL_FLOOR = 0.1
PROTECTED_LEXICAL_BAND = 0.05
# Categories whose head verdicts need more support than `protected_support_margin` (see
# ExtractorConfig.protected_category_support_margins), as (category, margin) pairs: none by default.
PROTECTED_CATEGORY_SUPPORT_MARGINS: tuple[tuple[ProtectedCategory, float], ...] = ()
INTEREST_SUPPORT_MARGIN = -0.05


Margin = Annotated[float, Field(ge=-1.0, le=1.0)]


class ExtractorConfig(BaseModel):
    """Every knob of the pipeline. Immutable; build a new one with ``model_copy(update=...)``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    excluded_regions: frozenset[str] = Field(default_factory=default_excluded_regions)
    # Records without a region: "allow" treats them as in scope (the platform decides where a
    # transcript comes from); "exclude" fails closed and excludes them.
    unknown_region: Literal["allow", "exclude"] = "allow"
    minimum_age: int = Field(default=18, ge=0, le=150)
    # Which text a protected finding taints (plus later sentences that depend on it): its whole turn,
    # since a request in the same message as a disclosure is the likeliest to be there because of it;
    # only its sentence; or the whole conversation.
    taint_scope: Literal["sentence", "turn", "conversation"] = "turn"
    # Later user sentences this similar (cosine of sentence embeddings) to a tainted one are tainted too.
    taint_similarity: float = Field(default=0.55, ge=0.0, le=1.0)
    interest_threshold: float = Field(default=INTEREST_THRESHOLD, ge=0.0, le=1.0)
    protected_threshold: float = Field(default=PROTECTED_THRESHOLD, ge=0.0, le=1.0)
    # A protected-head verdict also needs the segment to be at least this much closer (mean cosine to
    # the 3 nearest) to that category's training examples than to the examples with no protected
    # content; None trusts the head alone. Phrase rules never need it.
    protected_support_margin: float | None = Field(default=PROTECTED_SUPPORT_MARGIN, ge=-1.0, le=1.0)
    # Per category, a stricter support margin for a head verdict (the stricter of this and the
    # reading's own bar applies), given as {category: margin}. A verdict between the two is not
    # reported, but its turn is kept out of the evidence as a reported verdict's would be (as for
    # `protected_lexical_floor`): this lowers what `protected_categories` reports, never what may serve
    # as evidence, so it can trade recall for precision in one category without a leak. Off by default:
    # 0.03 for philosophical beliefs and ethnic origin cleared 7 dev controls but missed 16 of our own
    # probes' disclosures (models/README.md). Ignored where `protected_support_margin` is None.
    protected_category_support_margins: tuple[tuple[ProtectedCategory, Margin], ...] = (
        PROTECTED_CATEGORY_SUPPORT_MARGINS
    )
    # A user sentence of at least this many words is also read clause by clause (cut at commas and
    # conjunctions, clauses of 3 words or more) by the protected head: an interest in the same sentence
    # dilutes a disclosure ("I love baking bread and I've been sober for two years"). A clause's verdict
    # needs the stricter bar below (a few words out of context are easily misread). None: whole
    # sentences only.
    protected_clause_min_words: int | None = Field(default=PROTECTED_CLAUSE_MIN_WORDS, ge=2)
    protected_clause_threshold: float = Field(default=PROTECTED_CLAUSE_THRESHOLD, ge=0.0, le=1.0)
    protected_clause_support_margin: float | None = Field(default=PROTECTED_CLAUSE_SUPPORT_MARGIN, ge=-1.0, le=1.0)
    # A head verdict that falls short of its support margin but whose margin is at least this one is
    # not reported as protected, and its sentence is not used as interest evidence either (fail
    # closed): a disclosure wrapped in a shopping request sits near the interest examples, which is
    # how most such disclosures got past the support check. None: a dropped verdict withholds nothing.
    protected_withhold_margin: float | None = Field(default=PROTECTED_WITHHOLD_MARGIN, ge=-1.0, le=1.0)
    # A supported head verdict whose support margin is under `protected_lexical_band` (barely clear)
    # also needs the lexical check (models/protected_lexical.safetensors: words and word pairs, not the
    # embedding) to give its category at least this probability; otherwise it is not reported, but its
    # turn is still kept out of the evidence as a reported verdict's would be. The head and the support
    # check read the same embedding and share its confusions ("we must have faith" in a baseball post).
    # None: off.
    protected_lexical_floor: float | None = Field(default=PROTECTED_LEXICAL_FLOOR, ge=0.0, le=1.0)
    protected_lexical_band: float = Field(default=PROTECTED_LEXICAL_BAND, ge=-1.0, le=1.0)
    # The same check for interest-head verdicts that no keyword backs: the segment must be at least
    # this close to the node's examples relative to training lines that name no interest (negative:
    # a little further is still fine). None trusts the head alone.
    interest_support_margin: float | None = Field(default=INTEREST_SUPPORT_MARGIN, ge=-1.0, le=1.0)
    purchase_threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    # A conversation-level interest needs this aggregated score (noisy-or over its mentions) ...
    min_interest_score: float = Field(default=0.7, ge=0.0, le=1.0)
    # ... and, in a conversation with at least `long_conversation_segments` user segments, this one:
    # one lukewarm mention in a long chat is not an interest, while a one-line request is all we get.
    min_interest_score_long: float = Field(default=0.95, ge=0.0, le=1.0)
    long_conversation_segments: int = Field(default=6, ge=1)
    # A long chat in which no interest clears `min_interest_score_long` reports its one strongest
    # interest that clears this bar instead of none. None: such a chat reports nothing.
    long_chat_fallback: float | None = Field(default=0.9, ge=0.0, le=1.0)
    # ... and at least this share of the top interest's mention mass (a node counts the mass of the
    # chosen ancestors it stands in for), so a long chat keeps the topics it dwells on rather than
    # every topic it brushes past.
    min_relative_mass: float = Field(default=0.5, ge=0.0, le=1.0)
    # ... unless its own mass reaches this: a topic the chat spends four or more confident sentences on
    # is one of its topics, however much more it spends on another (two people trading facts about
    # films and then comics). None: the relative bar alone.
    side_topic_min_mass: float | None = Field(default=4.0, ge=0.0)
    max_interests: int = Field(default=5, ge=1)
    # Report the best-supported leaf under a chosen interest when it clears `min_interest_score`.
    specialize: bool = True
    # In a long chat, drop a chosen interest whose every sentence scores more than this much higher
    # for another chosen interest outside its own line of the taxonomy: a side reading of what was
    # said ("my turntable is an LP60" is audio equipment, not music production). None keeps them all.
    shadow_margin: float | None = Field(default=0.05, ge=0.0, le=1.0)
    # Score of a topic the user names by keyword while saying outright that they like it ("We both love
    # hiking"): one such sentence clears the long-chat bar, and the topic is kept however little of the
    # chat it takes (`min_relative_mass` does not apply). None: it counts like any other mention.
    avowal_score: float | None = Field(default=0.95, ge=0.0, le=1.0)
    # Score of an assistant suggestion the user explicitly takes up ("That sounds fun!").
    uptake_score: float = Field(default=0.8, ge=0.0, le=1.0)
    max_evidence: int = Field(default=2, ge=1)
    max_evidence_chars: int = Field(default=300, ge=40)
    scrub_pii: bool = True
    language_gate: bool = True
    models_dir: Path | None = None
    # A local sentence-transformers folder (config.json, tokenizer, model.safetensors) to embed with
    # instead of the installed MiniLM; `models_dir` must hold heads trained on it.
    backbone_path: Path | None = None
    # "bfloat16": the encoder's forward pass under bfloat16 autocast, about 2x the sentences/s on a CPU
    # with native bfloat16 (AVX512-BF16, AMX) at a cosine of 0.9999 to float32; the dev figures and the
    # red team are unchanged (benchmarks/RESULTS.md, session 19). Can be slower on CPUs without it.
    encoder_dtype: EncoderDtype = "float32"

    @field_validator("protected_category_support_margins", mode="before")
    @classmethod
    def _margins_from_mapping(cls, value: Any) -> Any:
        # Given as {category: margin}; held as sorted pairs, so the frozen config holds nothing mutable.
        if isinstance(value, Mapping):
            return tuple(sorted(value.items()))
        return value

    @field_validator("protected_category_support_margins")
    @classmethod
    def _one_margin_per_category(
        cls, value: tuple[tuple[ProtectedCategory, float], ...]
    ) -> tuple[tuple[ProtectedCategory, float], ...]:
        repeated = sorted({c for c, _ in value if sum(1 for d, _ in value if d == c) > 1})
        if repeated:
            raise ValueError(f"more than one margin for {repeated}")
        return value

    @field_validator("excluded_regions", mode="before")
    @classmethod
    def _upper_regions(cls, value: object) -> object:
        if isinstance(value, list | tuple | set | frozenset):
            return frozenset(str(v).strip().upper() for v in value)
        return value
