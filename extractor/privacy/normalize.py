"""Text normalisation that defeats cheap obfuscation while keeping exact offsets to the original.

``normalize(text).text`` is what the privacy rules read: Unicode compatibility-folded (NFKC),
without invisible format characters or accents (a Latin letter with a stroke or hook that Unicode
does not decompose, "đ", "ł", "ø", reads as its base letter), with typographic apostrophes and hyphens folded to
"'" and "-", lookalike letters of other scripts folded to Latin, spaced-out letters joined
("m u s l i m" -> "muslim"), every run of whitespace read as one space ("was  sickly", a tab or a line
break between words), leetspeak folded inside mixed tokens ("d1abetes" -> "diabetes") and
case-folded. ``to_original`` maps any span of the normalised text back to the span of the original
text it came from, so a redaction can be applied to what the user actually wrote.

Genuine non-Latin text (Greek, Cyrillic...) is folded too; decide on the language from the
original text, not from this output.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources

__all__ = ["NormalizedText", "normalize"]

# Code points removed outright (besides every other format character, category Cf).
_REMOVED = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
# Typographic apostrophes, and the backtick some keyboards give for one, fold to "'" so contractions
# read alike ("I’m", "I`m" -> "i'm").
_APOSTROPHES = frozenset("\u2018\u2019\u02bc\u2032\u00b4`")
# Hyphens and the en dash that autocorrect puts in a compound fold to "-" ("C‐section" -> "c-section");
# the em dash stays: it parts clauses, not words.
_HYPHENS = frozenset("\u2010\u2011\u2012\u2013\u2212\ufe63")
# Nonspacing and enclosing marks: accents, variation selectors, keycaps.
_MARK_CATEGORIES = frozenset({"Mn", "Me"})

_LEET: dict[str, str] = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
_LEET_SYMBOLS = frozenset("@$!")
# A leading digit before these letters is a quantity, ordinal or unit ("3pm", "5km", "4th"), not leetspeak.
_UNIT_SUFFIXES = frozenset(
    "st nd rd th s am pm h hr hrs min mins sec secs d yo yr yrs k kg g mg mm cm km m ml l lb lbs oz ft in "
    "mb gb tb hz ghz mhz px x wd".split()
)
# Separators that may split a word into single letters; any whitespace counts as one kind.
_SPACING_PUNCT = ".-_*/|~\u00b7\u2022"
_SPACING_PUNCT_SET = frozenset(_SPACING_PUNCT)
_UNIT = r"(?:[^\W\d_]|[013457@$])"
# A letter right after an apostrophe ends a contraction ("I'm", "we'd"), it is not a spaced-out letter.
_ISOLATED = rf"(?<![^\W_]|[@$])(?<![^\W\d_]['\u2019]){_UNIT}(?![^\W_]|[@$])"
# Punctuation first: when parts are re-scanned, " . " must be one separator, not " " then ".".
_SEP = rf"(?:[^\S\n]*[{re.escape(_SPACING_PUNCT)}][^\S\n]*|[^\S\n]+)"
_SPACED_RUN = re.compile(rf"{_ISOLATED}(?:{_SEP}{_ISOLATED}){{2,}}")
_SPACED_PART = re.compile(rf"{_SEP}|{_UNIT}")
_WHITESPACE = re.compile(r"\s+")
# Whitespace that is not one plain space: the rules' patterns spell a word break as " ".
_EXTRA_WHITESPACE = re.compile(r"\s{2,}|[^\S ]")
# Single-letter words (en/es/pt/fr): a run of only these split by spaces is prose ("il y a à"), not spacing.
_ONE_LETTER_WORDS = frozenset("aeiouy")
_LEET_CHAR = re.compile(r"[013457@$!]")
_SUBTOKEN = re.compile(r"(?:[^\W_]|[@$!])+")
_EMAIL_OR_URL = re.compile(r"://|^www\.|@[^\W_][\w.-]*\.[^\W\d_]{2,}")


def _load_confusables() -> dict[str, str]:
    raw = resources.files("extractor.data").joinpath("confusables.json").read_text(encoding="utf-8")
    table = json.loads(raw)["map"]
    return {str(k): str(v) for k, v in table.items()}


_CONFUSABLES = _load_confusables()


def _strip_marks(text: str) -> str:
    return "".join(
        ch
        for ch in unicodedata.normalize("NFKD", text)
        if unicodedata.category(ch) not in _MARK_CATEGORIES and unicodedata.category(ch) != "Cf"
    )


# "LATIN SMALL LETTER D WITH STROKE": NFKD leaves such letters whole, so accent stripping misses them
# ("Nam Định", "Łódź", "Ørsted" would never match the plain spelling people type).
_LATIN_WITH = re.compile(r"LATIN (?:SMALL|CAPITAL) LETTER ([A-Z]) WITH .+")


def _latin_base(ch: str) -> str:
    """The base letter of a Latin letter with an undecomposable stroke, hook or bar; else ``ch``."""
    if ch.isascii():
        return ch
    m = _LATIN_WITH.fullmatch(unicodedata.name(ch, ""))
    return ch if m is None else (m.group(1).lower() if ch.islower() else m.group(1))


def _lookalike(ch: str) -> str:
    """The Latin letter ``ch`` imitates; a small letter without an entry imitates as its capital does (τ, к)."""
    hit = _CONFUSABLES.get(ch)
    if hit is None and ch.islower():
        upper = ch.upper()
        hit = _CONFUSABLES.get(upper) if len(upper) == 1 else None
    return ch if hit is None else hit


def _fold_char(ch: str) -> str:
    """Normalised form of one code point (possibly empty or several characters)."""
    if ch in _REMOVED or unicodedata.category(ch) == "Cf":
        return ""
    if ch in _APOSTROPHES:
        return "'"
    if ch in _HYPHENS:
        return "-"
    out = "".join(_lookalike(_latin_base(c)) for c in _strip_marks(ch))
    out = "".join(_lookalike(c) for c in _strip_marks(out.casefold()))
    return unicodedata.normalize("NFC", out)


class _FoldTable(dict[int, str]):
    """Lazily filled ``str.translate`` table; records code points that do not map to one character."""

    def __init__(self) -> None:
        super().__init__()
        self.non_unit: set[str] = set()

    def __missing__(self, key: int) -> str:
        value = _fold_char(chr(key))
        if len(value) != 1:
            self.non_unit.add(chr(key))  # few thousand at most: format chars, marks, ligatures
        if len(self) < _MAX_CACHED_CODE_POINTS:
            self[key] = value
        return value


_MAX_CACHED_CODE_POINTS = 1 << 16  # bounds memory against inputs that cycle through all of Unicode
_TABLE = _FoldTable()


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised text plus the map from its characters back to the original text."""

    text: str
    original: str
    # starts[i]/ends[i]: original span of normalised char i; None when the map is the identity.
    _starts: tuple[int, ...] | None = field(default=None, repr=False, compare=False)
    _ends: tuple[int, ...] | None = field(default=None, repr=False, compare=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Span of the original text that normalised ``text[start:end]`` came from."""
        n = len(self.text)
        if not 0 <= start <= end <= n:
            raise ValueError(f"span ({start}, {end}) outside normalised text of length {n}")
        if self._starts is None or self._ends is None:
            return start, end
        if n == 0:
            return 0, len(self.original)
        if start == end:
            pos = self._starts[start] if start < n else self._ends[-1]
            return pos, pos
        return self._starts[start], self._ends[end - 1]


def _fold_chars(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """Per-code-point folding; offsets are None while the mapping is one-to-one."""
    if text.isascii():
        folded = text.lower()
        return (folded.replace("`", "'") if "`" in folded else folded), None, None
    folded = text.translate(_TABLE)
    if _TABLE.non_unit.isdisjoint(text):
        return folded, None, None
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        rep = _TABLE[ord(ch)]
        if rep:
            for c in rep:
                chars.append(c)
                starts.append(i)
                ends.append(i + 1)
        elif ends:
            ends[-1] = i + 1  # a removed character belongs to the one before it
    if starts:
        starts[0] = 0  # ...or, at the very start, to the first one kept
        ends[-1] = len(text)
    return "".join(chars), starts, ends


def _separator_kind(sep: str) -> str:
    return _WHITESPACE.sub(" ", sep)


def _spaced_deletions(text: str) -> list[int]:
    """Indices of separators inside runs of >= 3 single letters split by the same separator."""
    deletions: list[int] = []
    for run in _SPACED_RUN.finditer(text):
        parts = [(m.group(), m.start()) for m in _SPACED_PART.finditer(text, run.start(), run.end())]
        units = parts[0::2]
        seps = parts[1::2]
        if len(units) != len(seps) + 1 or any(len(u) != 1 for u, _ in units):
            continue  # re-scan disagrees with the run's parse; leave the run as written
        i = 0
        while i < len(seps):
            kind = _separator_kind(seps[i][0])
            j = i
            while j + 1 < len(seps) and _separator_kind(seps[j + 1][0]) == kind:
                j += 1
            group_units = units[i : j + 2]
            letters = [u for u, _ in group_units if u.isalpha()]
            prose = kind == " " and all(u in _ONE_LETTER_WORDS for u, _ in group_units)
            if len(group_units) >= 3 and len(letters) >= 3 and not prose:
                for sep, pos in seps[i : j + 1]:
                    deletions.extend(range(pos, pos + len(sep)))
            i = j + 1
    return deletions


def _leet_positions(token: str) -> list[int]:
    """Positions in ``token`` (letters, digits, @$!) whose character is leetspeak for a letter."""
    n = len(token)
    if sum(c.isalpha() for c in token) < 2:
        return []
    # Trailing symbols are punctuation ("wow!"), a leading "@" is a mention.
    limit = n
    while limit > 0 and token[limit - 1] in _LEET_SYMBOLS:
        limit -= 1
    first = 1 if token[0] == "@" else 0
    interior = False
    i = 0
    while i < n:
        if token[i] in _LEET and not token[i].isalpha():
            j = i
            while j < n and token[j] in _LEET:
                j += 1
            if i > 0 and token[i - 1].isalpha() and j < n and token[j].isalpha():
                interior = True
                break
            i = j
        else:
            i += 1
    if interior:
        return [k for k in range(first, limit) if token[k] in _LEET]
    head = token[0]
    rest = token[1:]
    if head in "013457$" and len(rest) >= 2 and rest.isalpha() and rest not in _UNIT_SUFFIXES:
        return [0]
    return []


def _leet_hints(text: str) -> list[int]:
    """Positions of leetspeak characters next to a letter (cheap pre-check before token analysis)."""
    n = len(text)
    return [
        i
        for m in _LEET_CHAR.finditer(text)
        if ((i := m.start()) > 0 and text[i - 1].isalpha()) or (i + 1 < n and text[i + 1].isalpha())
    ]


def _leet_substitutions(text: str, hints: list[int]) -> list[int]:
    """Indices in ``text`` to replace by their leetspeak letter, looking only at chunks around ``hints``."""
    positions: list[int] = []
    n = len(text)
    chunk_end = -1
    for pos in hints:
        if pos < chunk_end:
            continue  # chunk already handled
        start = pos
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        chunk_end = pos
        while chunk_end < n and not text[chunk_end].isspace():
            chunk_end += 1
        word = text[start:chunk_end]
        if _EMAIL_OR_URL.search(word):
            continue
        for sub in _SUBTOKEN.finditer(word):
            base = start + sub.start()
            positions.extend(base + k for k in _leet_positions(sub.group()))
    return positions


def _is_unit_char(c: str) -> bool:
    return c.isalnum() or c in "@$"


def _may_have_spaced_run(text: str) -> bool:
    """Cheap superset test for ``_SPACED_RUN``: three single units in a row, or a dotted/dashed token.

    A unit is a letter, digit, "@" or "$" with no such character on either side. Runs continue across
    tokens and through short ones made only of units and separators ("a a b.a" is a run of four); a
    token such as "I've" can end a run with its first character and start one with its last.
    """
    run = 0
    for token in text.split():
        size = len(token)
        if token.isalnum():  # most tokens: one unit, or an ordinary word that ends any run
            run = run + 1 if size == 1 else 0
        elif size >= 5 and not _SPACING_PUNCT_SET.isdisjoint(token):
            return True
        else:
            unit = [_is_unit_char(c) for c in token]
            isolated = [
                u and (i == 0 or not unit[i - 1]) and (i == size - 1 or not unit[i + 1]) for i, u in enumerate(unit)
            ]
            if all(iso or c in _SPACING_PUNCT_SET for iso, c in zip(isolated, token, strict=True)):
                run += sum(isolated)  # a lone separator (" . ") adds nothing and keeps the run going
            elif run + isolated[0] >= 3:
                return True
            else:
                run = int(isolated[-1])
        if run >= 3:
            return True
    return False


def normalize(text: str) -> NormalizedText:
    """Normalise ``text`` for privacy matching; see the module docstring for the steps."""
    folded, starts, ends = _fold_chars(text)

    deletions = _spaced_deletions(folded) if _may_have_spaced_run(folded) else []
    blanks: list[int] = []
    # Any whitespace but a plain space is "unprintable" to Python, so two cheap string checks skip the
    # regex for most text.
    if "  " in folded or not folded.isprintable():
        for m in _EXTRA_WHITESPACE.finditer(folded):
            # A run of whitespace reads as its first character, made a plain space: the phrase rules
            # spell "was sickly", and "was  sickly" or "was\tsickly" must read the same.
            blanks.append(m.start())
            deletions.extend(range(m.start() + 1, m.end()))
    if deletions or blanks:
        if starts is None or ends is None:
            starts = list(range(len(folded)))
            ends = list(range(1, len(folded) + 1))
        dropped = set(deletions)
        spaces = set(blanks)
        chars: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        for i, ch in enumerate(folded):
            if i in dropped:
                new_ends[-1] = ends[i]  # what is dropped always follows a kept character
                continue
            chars.append(" " if i in spaces else ch)
            new_starts.append(starts[i])
            new_ends.append(ends[i])
        folded, starts, ends = "".join(chars), new_starts, new_ends

    hints = _leet_hints(folded)
    if hints:
        subs = _leet_substitutions(folded, hints)
        if subs:
            buf = list(folded)
            for i in subs:
                buf[i] = _LEET[buf[i]]
            folded = "".join(buf)

    if starts is None or ends is None:
        return NormalizedText(folded, text)
    return NormalizedText(folded, text, tuple(starts), tuple(ends))
