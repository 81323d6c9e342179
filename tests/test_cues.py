"""Cue patterns of ``extractor/data/cues.json``: taking up an offer, saying outright one likes something."""

from __future__ import annotations

import pytest

from extractor.cues import load_cues

UPTAKES = [
    "That sounds fun!",
    "Codenames and Dixit sound perfect, we're a loud group.",
    "Kyoto sounds dreamy.",
    "The blue one it is!",
    "I'll order that plus the expansion.",
    "Great, let's book those two.",
    # a decision after the assistant laid out options
    "I'm sold.",
    "Going with the 8-inch and a red-dot finder.",
    "I'll go with the Rega then.",
    "We've decided on the blue one.",
    "Okay, you've talked me into it.",
    # signing up for what was just priced or described
    "Great, signing us up now!",
    "Just signed up.",
]

NOT_UPTAKES = [
    "That doesn't sound fun.",
    "It doesn't really sound great.",
    "No, that sounds awful.",
    "It is what it is.",
    "Whatever it is, I'm not buying it.",
    "I'm going with my sister to the lake.",
    "I'll go with whatever time works for the team.",
    "We're just going with the flow this weekend.",
    "She sold her bike last week.",
    "Thanks, I'll think about it.",
    "I'm signing up for the newsletter so I don't miss the schedule.",
    "The contract is ready for signing.",
]


@pytest.mark.parametrize("text", UPTAKES)
def test_cues_uptake_matches_taking_up_an_offer(text: str) -> None:
    assert load_cues().uptake.search(text.lower())


@pytest.mark.parametrize("text", NOT_UPTAKES)
def test_cues_uptake_ignores_other_senses(text: str) -> None:
    assert not load_cues().uptake.search(text.lower())


AVOWALS = [
    "We both love hiking too.",
    "I'm really into bouldering these days.",
    "I'm a huge fan of the Lakers.",
    "Gardening is my thing.",
    "My favourite hobby is birdwatching.",
    "I've been collecting vinyl for two years.",
]

NOT_AVOWALS = [
    "Do you love hiking?",
    "My sister loves hiking.",
    "I'd love a table for two at eight.",
    "I'm not into golf at all.",
    "I collect the kids from school at three.",
]


@pytest.mark.parametrize("text", AVOWALS)
def test_cues_avowal_matches_saying_outright_one_likes_it(text: str) -> None:
    assert load_cues().avowal.search(text.lower())


@pytest.mark.parametrize("text", NOT_AVOWALS)
def test_cues_avowal_ignores_questions_and_other_people(text: str) -> None:
    assert not load_cues().avowal.search(text.lower())
