"""Normalisation folds obfuscation and keeps exact offsets back to the original text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.privacy.normalize import NormalizedText, _may_have_spaced_run, _spaced_deletions, normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # case, accents, NFKC
        ("Diabète", "diabete"),
        ("Straße", "strasse"),
        ("ｆｕｌｌｗｉｄｔｈ ＴＥＸＴ", "fullwidth text"),
        ("ﬁnance", "finance"),
        ("e\u0301te\u0301", "ete"),
        ("İstanbul", "istanbul"),
        # Latin letters with a stroke, which NFKD does not decompose
        ("Nam Định, Łódź, Ørsted", "nam dinh, lodz, orsted"),
        ("głosowałem", "glosowalem"),
        # invisible characters
        ("can\u200bcer", "cancer"),
        ("dia\u00adbetes", "diabetes"),
        ("\ufeffhello\u2060 world\u200d", "hello world"),
        # lookalike letters from other scripts
        ("R\u0435publican", "republican"),  # Cyrillic ie
        ("m\u03bfsque", "mosque"),  # Greek omicron
        ("\u0420\u0430\u0441\u0435", "pace"),  # Cyrillic capitals and small letters
        ("\u0399SLAM", "islam"),  # Greek capital iota
        # letters spaced or dotted apart
        ("m u s l i m", "muslim"),
        ("m.o.s.q.u.e", "mosque"),
        ("g-a-y pride", "gay pride"),
        ("I am c . a . t . h . o . l . i . c", "i am catholic"),
        ("c @ n c e r", "cancer"),
        ("U.S.A. trip", "usa. trip"),
        # typographic apostrophes and hyphens; the em dash parts clauses and stays
        ("I\u2019m, I`m, I\u00b4m", "i'm, i'm, i'm"),
        ("C\u2010section, non\u2011binary, 3\u20135 km", "c-section, non-binary, 3-5 km"),
        ("gay\u2014anyway", "gay\u2014anyway"),
        # a run of whitespace reads as one space
        ("my brother was  sickly", "my brother was sickly"),
        ("a\tb\n\nc", "a b c"),
        ("m u s l i m  centre", "muslim centre"),
        # leetspeak inside mixed tokens
        ("d1abetes", "diabetes"),
        ("c@ncer", "cancer"),
        ("$ex", "sex"),
        ("h3ll0 th3re", "hello there"),
        ("musl1m", "muslim"),
        ("d14betes", "diabetes"),
        ("1slam", "islam"),
        # ...but not numbers, units, mentions, punctuation, addresses
        ("I run 5km at 7am on the 3rd", "i run 5km at 7am on the 3rd"),
        ("covid19 and b12 in 2024", "covid19 and b12 in 2024"),
        ("$100 or $5k", "$100 or $5k"),
        ("@home wow! !important", "@home wow! !important"),
        ("mail jane@example.com now", "mail jane@example.com now"),
        ("see https://ex4mple.com/p4ge", "see https://ex4mple.com/p4ge"),
        # prose with single letters is not spacing
        ("il y a 3 ans", "il y a 3 ans"),
        ("il y a à boire", "il y a a boire"),
        ("e.g. this", "e.g. this"),
        ("plain ascii sentence.", "plain ascii sentence."),
        ("", ""),
    ],
)
def test_normalize_text(text: str, expected: str) -> None:
    assert normalize(text).text == expected


@pytest.mark.parametrize(
    ("text", "word", "original"),
    [
        ("Is the R\u0435publican party", "republican", "R\u0435publican"),
        ("I have d1abetes, sadly", "diabetes", "d1abetes"),
        ("went to the m u s l i m centre", "muslim", "m u s l i m"),
        ("my ca\u200bn\u00adcer diagnosis", "cancer", "ca\u200bn\u00adcer"),
        ("Straße und ﬁnance", "finance", "ﬁnance"),
        ("Große Straße", "strasse", "Straße"),
        ("\u200bdiabète", "diabete", "\u200bdiabète"),
        ("read the B\u0456ble daily", "bible", "B\u0456ble"),
        ("I am\n a  catholic", "i am a catholic", "I am\n a  catholic"),
    ],
)
def test_span_maps_back_to_what_the_user_wrote(text: str, word: str, original: str) -> None:
    norm = normalize(text)
    start = norm.text.index(word)
    s, e = norm.to_original(start, start + len(word))
    assert text[s:e] == original


def test_redaction_on_original_text() -> None:
    text = "Well, my d\u200b1abètes is back."
    norm = normalize(text)
    start = norm.text.index("diabetes")
    s, e = norm.to_original(start, start + len("diabetes"))
    assert text[:s] + "[X]" + text[e:] == "Well, my [X] is back."


def test_empty_spans_and_bounds() -> None:
    norm = normalize("a\u200bb")
    assert norm.text == "ab"
    assert norm.to_original(1, 1) == (2, 2)
    assert norm.to_original(2, 2) == (3, 3)
    with pytest.raises(ValueError):
        norm.to_original(0, 3)
    with pytest.raises(ValueError):
        norm.to_original(2, 1)
    only_invisible = normalize("\u200b\u200b")
    assert only_invisible.text == ""
    assert only_invisible.to_original(0, 0) == (0, 2)


def test_deterministic_and_frozen() -> None:
    text = "Ｍｙ c@ncer t r e a t m e n t, R\u0435ally"
    first, second = normalize(text), normalize(text)
    assert first == second
    assert [first.to_original(i, i + 1) for i in range(len(first.text))] == [
        second.to_original(i, i + 1) for i in range(len(second.text))
    ]
    with pytest.raises(AttributeError):
        first.text = "x"  # type: ignore[misc]


_TRICKY = st.sampled_from(
    [
        *"abcdeABCDE xyz.-_*/013457@$!?,\n\t",
        *("\u200b", "\u200d", "\u00ad", "\ufeff", "\u0301", "\u0308", "\u202e", "\u0435", "\u03bf", "\u0399"),
        *("ß", "ﬁ", "ｆ", "Ａ", "é", "İ", "ǅ", "①", "…", "½", "한", "が", "\U0001f600"),
    ]
)


def _check_offsets(text: str, norm: NormalizedText) -> None:
    n = len(norm.text)
    previous = (0, 0)
    for i in range(n):
        s, e = norm.to_original(i, i + 1)
        assert 0 <= s < e <= len(text)
        assert s >= previous[0] and e >= previous[1]  # monotone
        previous = (s, e)
    assert norm.to_original(0, n) == (0, len(text))  # the full span covers the whole original
    for i in range(1 if n == 0 else 0, n + 1):
        s, e = norm.to_original(i, i)
        assert 0 <= s == e <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TRICKY, max_size=40).map("".join))
def test_offsets_property_tricky_alphabet(text: str) -> None:
    _check_offsets(text, normalize(text))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_offsets_property_any_unicode(text: str) -> None:
    _check_offsets(text, normalize(text))


_SPACING = st.sampled_from([*"abcxyz013@$ .-_*/|~\u00b7\u2022,'", "  ", " . ", ". ", " -", "\n", "ab", "the", "I've"])


@pytest.mark.parametrize("text", ["a a  b.a", "x y z.q.", "a a  I've", "u-s-a"])
def test_spacing_precheck_fires_on_runs_that_continue_inside_a_token(text: str) -> None:
    assert _spaced_deletions(text)
    assert _may_have_spaced_run(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(_SPACING, max_size=30).map("".join))
def test_spacing_precheck_never_misses_a_run(text: str) -> None:
    """The cheap pre-check must fire whenever the full scan would join letters."""
    if _spaced_deletions(text):
        assert _may_have_spaced_run(text)
