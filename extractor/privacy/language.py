"""Language identification: can the privacy gate read this text?

The gate's rules and models cover English, Spanish, Portuguese, French and German. Text mostly in
a non-Latin script is never supported. Latin-script text that is too short to carry interests in a
foreign language (fewer than 3 words or 15 letters) is accepted as is. Everything else is classified
by py3langid (a naive Bayes byte n-gram model shipped inside the wheel: offline, deterministic and
~25k sentences/s), restricted to a fixed set of widely written languages so rare labels (Walloon,
Nigerian Pidgin...) cannot capture short chat lines.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Collection
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

__all__ = ["CANDIDATE_LANGUAGES", "SUPPORTED_LANGUAGES", "LanguageGuess", "detect_language", "identify", "is_supported"]

SUPPORTED_LANGUAGES: frozenset[str] = frozenset({"en", "es", "pt", "fr", "de"})
# Languages the classifier chooses among (ISO 639-1): the supported ones plus the languages most
# likely to appear instead of them, Latin-script and not.
CANDIDATE_LANGUAGES: tuple[str, ...] = tuple(
    "en es pt fr de it nl ca gl eu la ro pl cs sk sl hr bs sr hu fi et lv lt da sv no is ga cy lb af sq mt tr az "
    "id ms tl vi sw ru uk be bg mk el ka hy kk ar fa ur he hi bn ta th zh ja ko eo".split()
)
UNDETERMINED = "und"
MIN_WORDS = 3
MIN_LETTERS = 15
MIN_CONFIDENCE = 0.5  # below this detect_language answers "und"
MIN_FOREIGN_CONFIDENCE = 0.6  # an unsupported guess below this does not withhold text

_NOISE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|[@#]\w+|\d+")


class LanguageGuess(NamedTuple):
    """Classifier output: ISO 639-1 code (or "und") and its normalised probability."""

    language: str
    confidence: float


@lru_cache(maxsize=4096)
def _is_latin(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith(("LATIN", "FULLWIDTH LATIN"))


def _letter_counts(text: str) -> tuple[int, int]:
    """(Latin letters, letters of other scripts) in ``text``."""
    if text.isascii():
        return sum(ch.isalpha() for ch in text), 0
    latin = other = 0
    for ch in text:
        if ch.isalpha():
            if ch.isascii() or _is_latin(ch):
                latin += 1
            else:
                other += 1
    return latin, other


_identifier: LanguageIdentifier | None = None
_identifier_lock = threading.Lock()


def _get_identifier() -> LanguageIdentifier:
    global _identifier
    if _identifier is None:
        with _identifier_lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                identifier.set_languages(list(CANDIDATE_LANGUAGES))
                _identifier = identifier
    return _identifier


def identify(text: str) -> LanguageGuess:
    """Most likely candidate language of ``text`` regardless of length ("und" without letters)."""
    cleaned = _NOISE.sub(" ", text)
    if not any(ch.isalpha() for ch in cleaned):
        return LanguageGuess(UNDETERMINED, 0.0)
    language, confidence = _get_identifier().classify(cleaned)
    return LanguageGuess(str(language), float(confidence))


def _is_short(text: str, letters: int) -> bool:
    return letters < MIN_LETTERS or len(text.split()) < MIN_WORDS


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``, or "und" when it is too short or unclear to tell."""
    latin, other = _letter_counts(text)
    if latin + other == 0:
        return UNDETERMINED
    if other <= latin and _is_short(text, latin + other):
        return UNDETERMINED
    guess = identify(text)
    return guess.language if guess.confidence >= MIN_CONFIDENCE else UNDETERMINED


def is_supported(text: str, supported: Collection[str] = SUPPORTED_LANGUAGES) -> bool:
    """Whether the privacy gate can read ``text`` (see the module docstring for the rules)."""
    latin, other = _letter_counts(text)
    if other > latin:
        return False
    if _is_short(text, latin + other):
        return True
    guess = identify(text)
    # Only a confident guess of another language withholds the text: English chat full of names,
    # numbers and jargon ("Is 32 GB of RAM overkill?") often gets a weak foreign top guess, while
    # real foreign sentences score near 1.0.
    return guess.language in supported or guess.confidence < MIN_FOREIGN_CONFIDENCE
