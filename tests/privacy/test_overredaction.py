"""Over-redaction: everyday phrases that only look sensitive must keep their interest, unredacted.

Each text borrows a word from a protected vocabulary ("Black Friday", "Christian Dior", "killer
workout") around an ordinary interest. The share of texts that keep at least one interest with
clean evidence is computed over the whole table, so one borderline phrase does not fail the build
but a regression that blanks whole families of them does.
"""

from __future__ import annotations

import pytest

from extractor import Extractor
from extractor.categories import REDACTION_PLACEHOLDER

MIN_KEPT_SHARE = 0.95

LOOKALIKES = [
    "Black Friday deals on noise-cancelling headphones, which ones are worth it?",
    "I want a bottle of Christian Dior perfume for the summer.",
    "Where do I find party supplies for my kid's birthday?",
    "Meet me at Union Station, then we go to the baseball game.",
    "I love that heavy metal band and want to see them live in concert.",
    "That spin class was a killer workout, my legs are done.",
    "Are you watching the Patriots game on Sunday? I love football.",
    "I'm dying to try that new ramen place downtown.",
    "Cyber Monday laptop deals, which gaming laptop should I buy?",
    "I'm a big Christian Pulisic fan, I watch every soccer match.",
    "Heading to Union Square to shop for new sneakers.",
    "I need a new union suit, the one-piece long underwear, for ice fishing.",
    "I opened an account at my credit union to save for a road bike.",
    "Reading about the European Union's history for my travel blog about Europe.",
    "Black Sabbath is my favorite band, I collect their vinyl.",
    "Judas Priest tickets are on sale, I love live rock concerts.",
    "Quaker Oats make a great pre-run breakfast for marathon training.",
    "We're shopping for Amish furniture for the new dining room.",
    "Halal Guys opened near me and I love trying new street food.",
    "Tacos al pastor are my favorite, any recipe for the marinade?",
    "I binge-watched Queer Eye and now I want to redo my home decor.",
    "Prison Break is my favorite TV series, what should I stream next?",
    "Arrested Development is the funniest sitcom, any similar shows?",
    "I'm a political science major and I love reading history books.",
    "Office politics aside, I want a better ergonomic desk chair.",
    "The Great Depression era fascinates me, I collect antique glassware.",
    "A tropical depression may ruin our beach vacation in Florida.",
    "A little retail therapy: I'm buying new running shoes.",
    "Doing tree surgery on the old oak in the garden this weekend.",
    "My sun sign is cancer, I love astrology apps.",
    "Building a robot with a bipolar stepper motor for my electronics hobby.",
    "The gym is my church, I lift weights six days a week.",
    "Losing My Religion is my favorite song to play on guitar.",
    "Church's Chicken has the best fried chicken, I love fast food.",
    "The Salvation Army store had great vintage furniture finds.",
    "The Jewish deli downtown makes the best pastrami sandwich.",
    "We visited the Blue Mosque on our trip to Istanbul, amazing architecture.",
    "Krav Maga classes start next week, I want new boxing gloves.",
    "Book of Mormon tickets for Broadway, I love musicals.",
    "Insomnia Cookies delivers late, I love baking chocolate chip cookies too.",
    "Tuning the cache eviction policy on my home lab server, I love self-hosting on Linux.",
    "Dole Whip at Disneyland is my favorite theme park snack.",
    "I'm religious about my skincare routine, which moisturizer should I buy?",
    "Faith in humanity restored, a stranger returned my camera bag.",
    "Parliament Funkadelic is on repeat, I love funk records.",
    "The Ottawa Senators game is tonight, I love hockey.",
    "This cookbook is my bible for Italian cooking.",
    "The chili was so hot I was crying, I love spicy food.",
    "I'm obsessed with this mystery novel series.",
    "My fantasy football league draft is tonight.",
    "That comedy special was insane, I want tickets to the tour.",
    "I need a new black dress for the wedding.",
    "My white sneakers got dirty on the hiking trail.",
    "I want to visit the Vatican Museums on my trip to Rome for the art.",
    "I'm shopping for a Mexican cookbook with authentic salsa recipes.",
    "Looking for Korean skincare products with snail mucin.",
    "I'd love to learn Irish dancing, any beginner classes?",
    "The Teams meeting ran late, I need a better webcam.",
    "I want a camera with a great face detection autofocus for street photography.",
    "Planning a trip to Salt Lake City to go skiing.",
    "I love Indian food, especially butter chicken.",
    # place names, dishes, brands and set phrases that borrow a protected word
    "Best time of day to photograph the barns on Mormon Row in Grand Teton?",
    "We're planning a trek in the Hindu Kush, which down jacket packs smallest?",
    "Any tips for photographing the Gay Head Lighthouse and the clay cliffs at sunset?",
    "The Gay Nineties theme needs straw boater hats and striped vests for the barbershop quartet.",
    "How do I cook moros y cristianos, the black beans and rice dish?",
    "Can I make imam bayildi a day ahead of a dinner party?",
    "Where can I get my Church's brogues resoled?",
    "Is an Amish quilt a good wedding gift for my sister?",
    "Our pizza pilgrimage to Naples starts Friday, which pizzerias should we hit?",
    "My diabetic cat hates car rides, which carrier is the calmest?",
]


def _failures(extractor: Extractor) -> list[str]:
    """Texts the privacy gate interfered with: an interest dropped as tainted or withheld, or evidence redacted.

    Interests the interest heads do not find at all are a recall question, not over-redaction, and
    are not counted here (their thresholds are tuned elsewhere).
    """
    failures: list[str] = []
    for text in LOOKALIKES:
        result, segments, trail = extractor.explain(text)
        protected = sorted({c for seg in segments for c in seg.protected})
        tainted = [d.node for d in trail if not d.kept and d.reason.startswith(("tainted", "withheld"))]
        redacted = [e.text for i in result.interests for e in i.evidence if REDACTION_PLACEHOLDER in e.text]
        if protected or tainted:
            failures.append(f"protected {protected}, dropped {tainted[:2]}: {text!r}")
        elif redacted:
            failures.append(f"redacted evidence: {redacted[0]!r}")
    return failures


@pytest.fixture(scope="module")
def failures(extractor: Extractor) -> list[str]:
    assert len(LOOKALIKES) >= 50
    return _failures(extractor)


def test_lookalikes_keep_their_interest(failures: list[str]) -> None:
    kept = 1 - len(failures) / len(LOOKALIKES)
    assert kept >= MIN_KEPT_SHARE, f"kept {kept:.1%} < {MIN_KEPT_SHARE:.0%}:\n" + "\n".join(failures)


def test_lookalikes_are_not_protected_by_rules(extractor: Extractor) -> None:
    """The phrase rules alone (the part the data file controls) flag at most 5% of the table."""
    flagged = [(text, sorted(extractor.rules.categories(text))) for text in LOOKALIKES]
    flagged = [(t, c) for t, c in flagged if c]
    assert len(flagged) <= len(LOOKALIKES) * (1 - MIN_KEPT_SHARE), "\n".join(f"{c}: {t!r}" for t, c in flagged)
