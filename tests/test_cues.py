"""Cue patterns of ``extractor/data/cues.json``: taking up an offer, saying outright one likes something,
referring back to an earlier sentence."""

from __future__ import annotations

import pytest

from extractor.cues import load_cues

# (cue, text, whether the cue matches it)
CASES = [
    ("uptake", "That sounds fun!", True),
    ("uptake", "Great, let's book those two.", True),
    # taking up a named option
    ("uptake", "Codenames and Dixit sound perfect, we're a loud group.", True),
    ("uptake", "Kyoto sounds dreamy.", True),
    ("uptake", "The blue one it is!", True),
    ("uptake", "I'll order that plus the expansion.", True),
    # a decision after the assistant laid out options
    ("uptake", "I'm sold.", True),
    ("uptake", "Going with the 8-inch and a red-dot finder.", True),
    ("uptake", "I'll go with the Rega then.", True),
    ("uptake", "We've decided on the blue one.", True),
    ("uptake", "Okay, you've talked me into it.", True),
    # signing up for what was just priced or described
    ("uptake", "Great, signing us up now!", True),
    ("uptake", "Just signed up.", True),
    ("uptake", "That doesn't sound fun.", False),
    ("uptake", "It doesn't really sound great.", False),
    ("uptake", "No, that sounds awful.", False),
    ("uptake", "It is what it is.", False),
    ("uptake", "Whatever it is, I'm not buying it.", False),
    ("uptake", "I'm going with my sister to the lake.", False),
    ("uptake", "I'll go with whatever time works for the team.", False),
    ("uptake", "We're just going with the flow this weekend.", False),
    ("uptake", "She sold her bike last week.", False),
    ("uptake", "Thanks, I'll think about it.", False),
    ("uptake", "I'm signing up for the newsletter so I don't miss the schedule.", False),
    ("uptake", "The contract is ready for signing.", False),
    ("avowal", "We both love hiking too.", True),
    ("avowal", "I'm really into bouldering these days.", True),
    ("avowal", "I'm a huge fan of the Lakers.", True),
    ("avowal", "Gardening is my thing.", True),
    ("avowal", "My favourite hobby is birdwatching.", True),
    ("avowal", "I've been collecting vinyl for two years.", True),
    ("avowal", "Do you love hiking?", False),
    ("avowal", "My sister loves hiking.", False),
    ("avowal", "I'd love a table for two at eight.", False),
    ("avowal", "I'm not into golf at all.", False),
    ("avowal", "I collect the kids from school at three.", False),
    # referring back to what the user said before
    ("back_reference", "What bread machine should I get for that?", True),
    ("back_reference", "Is there an app that helps with it?", True),
    ("back_reference", "Which bars are good for meeting guys like me?", True),
    ("back_reference", "Any shoes that work because of it?", True),
    ("back_reference", "What bread machine should I get?", False),
    ("back_reference", "I like meeting new people.", False),
    ("back_reference", "Is it worth it for a beginner?", False),
]


@pytest.mark.parametrize(("cue", "text", "matches"), CASES)
def test_cues_pattern_matches_its_wordings_only(cue: str, text: str, matches: bool) -> None:
    assert bool(getattr(load_cues(), cue).search(text.lower())) is matches


# (text, stance): "back in the day" is the speaker's own past only beside a first-person subject; a
# fact about a company or a band told "back in the day" is not a lapsed interest of the speaker's.
STANCE_CASES = [
    ("I played rugby back in the day.", "past"),
    ("Back in the day we skated every weekend.", "past"),
    ("Back when I was in school I drew comics.", "past"),
    ("Apple had a clothing line back in the day.", "affirmed"),
    ("Back in the day this band sold out stadiums.", "affirmed"),
]


@pytest.mark.parametrize(("text", "stance"), STANCE_CASES)
def test_cues_stance_of_a_sentence(text: str, stance: str) -> None:
    assert load_cues().stance_of(text.lower()) == stance
