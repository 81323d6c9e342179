"""High-precision phrase rules for protected content, compiled from ``data/protected_terms.json``.

Rules run on normalised text (case, accents, lookalike letters, spacing and leetspeak folded) and
report spans in the original text's offsets, so a redaction covers what the user actually wrote.
Safe phrases ("Black Friday", "Christian Dior", "Union Station") are blanked out first.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

from extractor.categories import PROTECTED_CATEGORIES
from extractor.privacy.normalize import normalize
from extractor.privacy.places import PlacesSpec, place_names


@dataclass(frozen=True)
class RuleMatch:
    category: str
    kind: str  # "terms", "patterns", "proxies" or "places"
    start: int  # offsets in the original text
    end: int


_WORD = re.compile(r"\w+")
# The longest place name a frame is followed by, in words ("bosnia and herzegovina").
MAX_PLACE_WORDS = 4
# What may stand between a place frame and its place: "my hometown, Accra", "back home in the Gambia",
# "from a village near Jalandhar".
_FRAME_GAP = re.compile(
    r"[\s,:-]*(?:(?:an?|the)\s+(?:small\s+|little\s+|tiny\s+)?(?:village|town|city|island|suburb|region|part|area)"
    r"(?:\s+just)?\s+(?:near|outside(?:\s+of)?|in|of|called)\s+)?(?:the\s+)?"
)


def folded_words(text: str) -> tuple[str, ...]:
    """The words of ``text`` as the rules see them (case, accents, lookalikes and spacing folded)."""
    return tuple(_WORD.findall(normalize(text).text))


# A named list in a pattern: "${origin}" stands for the alternation of the file's list "origin".
# A list's items may name other lists too ("labour(?! ${labour_other_senses}\\b)"), so an exclusion
# that several name lists share is also written once.
_LIST_NAME = r"[a-z_]+"
_LIST_REF = re.compile(rf"\$\{{({_LIST_NAME})\}}")


def _list_expander(lists: Mapping[str, list[str]]) -> Callable[[str, str], str]:
    """A function that replaces every ``${name}`` in a pattern with ``(?:item|item|...)``."""
    for name, items in lists.items():
        if not re.fullmatch(_LIST_NAME, name) or not items:
            raise ValueError(f"protected rules: list {name!r} needs a lower-case name and at least one item")
    alternations: dict[str, str] = {}

    def alternation(name: str, where: str, through: tuple[str, ...]) -> str:
        if name not in lists:
            raise ValueError(f"protected rules: {where} names the unknown list {name!r}")
        if name in through:
            raise ValueError(f"protected rules: list {name!r} names itself (through {' -> '.join(through)})")
        if name not in alternations:
            inner = (*through, name)
            items = (_LIST_REF.sub(lambda m: alternation(m.group(1), f"list {name!r}", inner), i) for i in lists[name])
            alternations[name] = "(?:" + "|".join(items) + ")"
        return alternations[name]

    for name in lists:
        alternation(name, f"list {name!r}", ())

    def expand(pattern: str, where: str) -> str:
        return _LIST_REF.sub(lambda m: alternation(m.group(1), f"a pattern in {where}", ()), pattern)

    return expand


def _phrase_regex(words: tuple[str, ...]) -> str:
    body = r"\W+".join(re.escape(w) for w in words)
    return rf"(?<!\w){body}(?!\w)"


class ProtectedRules:
    """Compiled phrase rules; immutable after construction."""

    def __init__(self, data: Mapping[str, Any], *, places: Mapping[str, str] | None = None) -> None:
        """``places`` (a place name -> its country code) replaces the gazetteer the file's ``places``
        section builds from GeoNames; the section's frames are still what reads them."""
        categories = data.get("categories", {})
        # Word lists that many patterns share (origins, heritage languages...) are written once.
        expand = _list_expander(data.get("lists", {}))
        # A shared group holds rules that disclose several categories at once (atheism is both a
        # religious and a philosophical stance); each of its matches reports every listed category.
        groups: list[tuple[tuple[str, ...], Mapping[str, Any]]] = [((c,), categories[c]) for c in categories]
        for name, group in data.get("shared", {}).items():
            if not group.get("categories"):
                raise ValueError(f"protected rules: shared group {name!r} names no categories")
            groups.append((tuple(group["categories"]), group))
        unknown = {c for names, _ in groups for c in names} - set(PROTECTED_CATEGORIES)
        if unknown:
            raise ValueError(f"protected rules: unknown categories {sorted(unknown)}")
        # Literal terms and proxies are looked up as word n-grams (a dict probe per n-gram is far
        # cheaper than scanning a thousand-way regex alternation); only patterns are regexes.
        self._ngrams: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        # Languages written without spaces between words (or with particles glued on) have their patterns
        # read as substrings; such a language's patterns only run on text holding its script, so the
        # rest of the text is not searched character by character for them.
        scripts: dict[str, re.Pattern[str]] = {}
        for lang, chars in data.get("scripts", {}).items():
            try:
                scripts[lang] = re.compile(f"[{chars}]")
            except re.error as e:
                raise ValueError(f"protected rules: scripts: {lang!r} is not a character class ({e})") from None
        self._patterns: list[tuple[tuple[str, ...], re.Pattern[str] | None, re.Pattern[str]]] = []
        for names, spec in groups:
            for category in names:
                for kind in ("terms", "proxies"):
                    for entries in spec.get(kind, {}).values():
                        for entry in entries:
                            # The normaliser folds a few capitals to another Latin lookalike than their
                            # small letters (Greek N and Y), so a term is also looked up as its capitals fold.
                            for words in (folded_words(entry), folded_words(entry.upper())):
                                if words and (category, kind) not in self._ngrams.get(words, []):
                                    self._ngrams.setdefault(words, []).append((category, kind))
            where = "/".join(names)
            by_script: dict[str, list[str]] = {}
            for lang, entries in spec.get("patterns", {}).items():
                key = lang if lang in scripts else ""
                by_script.setdefault(key, []).extend(f"(?:{expand(p, where)})" for p in entries)
            for key, patterns in by_script.items():
                if patterns:
                    self._patterns.append((names, scripts.get(key), re.compile("|".join(patterns))))
        self._max_n = max((len(k) for k in self._ngrams), default=0)
        # Every proper prefix of a phrase: the scan stops growing an n-gram once it is no phrase's start.
        self._prefixes = frozenset(k[:n] for k in self._ngrams for n in range(1, len(k)))
        safe_words = [w for entries in data.get("safe_phrases", {}).values() for p in entries if (w := folded_words(p))]
        safe = sorted((_phrase_regex(w) for w in safe_words), key=len, reverse=True)
        self._safe = re.compile("|".join(safe)) if safe else None
        # A safe phrase can only match where its first two words (its one word) are consecutive tokens:
        # most text has none and skips the (comparatively slow) alternation.
        self._safe_heads = frozenset(w[:2] for w in safe_words)
        self._place_category = ""
        self._place_frames: re.Pattern[str] | None = None
        self._places: dict[tuple[str, ...], str] = {}
        if "places" in data:
            try:
                spec = PlacesSpec.model_validate(data["places"])
            except ValueError as e:
                raise ValueError(f"protected rules: places: {e}") from None
            frames = [f"(?:{expand(f, 'places')})" for entries in spec.frames.values() for f in entries]
            if frames:
                self._place_category = spec.category
                self._place_frames = re.compile("|".join(frames))
                names = (
                    place_names(spec, folded_words)
                    if places is None
                    else {folded_words(k): v for k, v in places.items()}
                )
                self._places = {k: v for k, v in names.items() if k and len(k) <= MAX_PLACE_WORDS}

    @classmethod
    def default(cls) -> ProtectedRules:
        text = resources.files("extractor.data").joinpath("protected_terms.json").read_text(encoding="utf-8")
        return cls(json.loads(text))

    @classmethod
    def from_disk(cls, path: str | Path) -> ProtectedRules:
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def scan(self, text: str) -> tuple[list[RuleMatch], list[tuple[int, int]]]:
        """Protected spans and lookalike spans of ``text`` (original offsets), from one normalisation."""
        norm = normalize(text)
        folded = norm.text
        safe: list[tuple[int, int]] = []
        tokens = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(folded)]
        words = [t[0] for t in tokens]
        if self._safe is not None and self._may_hold_safe_phrase(words):
            safe = [norm.to_original(m.start(), m.end()) for m in self._safe.finditer(folded)]
            if safe:
                folded = self._safe.sub(lambda m: " " * (m.end() - m.start()), folded)
                tokens = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(folded)]
                words = [t[0] for t in tokens]
        found: list[RuleMatch] = []
        for i in range(len(words)):
            for n in range(1, min(self._max_n, len(words) - i) + 1):
                gram = tuple(words[i : i + n])
                hits = self._ngrams.get(gram)
                if hits:
                    start, end = norm.to_original(tokens[i][1], tokens[i + n - 1][2])
                    found.extend(RuleMatch(category=c, kind=k, start=start, end=end) for c, k in hits)
                if gram not in self._prefixes:
                    break
        for word, start, end in tokens:
            # Normalisation joins a spaced run whole, so "I'm a t e a m s t e r s" reads "ateamsters":
            # a one-letter word before spaced letters cannot be told from the word's own first letter.
            # For a token that was joined, also look the word up without a leading "a" or "i".
            if len(word) > 4 and word[0] in "ai" and (hits := self._ngrams.get((word[1:],))):
                o_start, o_end = norm.to_original(start, end)
                if o_end - o_start > end - start:
                    found.extend(RuleMatch(category=c, kind=k, start=o_start, end=o_end) for c, k in hits)
        has_script: dict[re.Pattern[str], bool] = {}
        for names, script, pattern in self._patterns:
            if script is not None:
                if script not in has_script:
                    has_script[script] = script.search(folded) is not None
                if not has_script[script]:
                    continue
            for m in pattern.finditer(folded):
                if m.end() > m.start():
                    start, end = norm.to_original(m.start(), m.end())
                    found.extend(RuleMatch(category=c, kind="patterns", start=start, end=end) for c in names)
        if self._place_frames is not None:
            found.extend(self._place_matches(self._place_frames, folded, tokens, norm.to_original))
        found.sort(key=lambda r: (r.start, -r.end, r.category))
        return found, safe

    def _place_matches(
        self,
        frames: re.Pattern[str],
        folded: str,
        tokens: list[tuple[str, int, int]],
        to_original: Callable[[int, int], tuple[int, int]],
    ) -> list[RuleMatch]:
        """A frame ("my parents grew up in") followed by a place abroad, longest place name first."""
        starts = [t[1] for t in tokens]
        found: list[RuleMatch] = []
        for m in frames.finditer(folded):
            gap = _FRAME_GAP.match(folded, m.end())  # every part is optional: it always matches
            place_start = gap.end() if gap else m.end()
            i = bisect_left(starts, place_start)
            if i >= len(tokens) or starts[i] != place_start:
                continue
            for n in range(min(MAX_PLACE_WORDS, len(tokens) - i), 0, -1):
                if tuple(t[0] for t in tokens[i : i + n]) in self._places:
                    start, end = to_original(m.start(), tokens[i + n - 1][2])
                    found.append(RuleMatch(category=self._place_category, kind="places", start=start, end=end))
                    break
        return found

    def _may_hold_safe_phrase(self, words: list[str]) -> bool:
        heads = self._safe_heads
        return any((w,) in heads for w in words) or any(pair in heads for pair in pairwise(words))

    def find(self, text: str) -> list[RuleMatch]:
        """Every protected span in ``text``, in original offsets, sorted by position."""
        return self.scan(text)[0]

    def categories(self, text: str) -> set[str]:
        return {m.category for m in self.find(text)}
