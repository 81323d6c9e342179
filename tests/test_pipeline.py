"""End-to-end behaviour of :class:`Extractor` on interest cases written by the team."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import pytest

from extractor import Decision, ExtractionResult, Extractor, ExtractorConfig, RecordError


def _one(ex: Extractor, *texts: str, **fields: object) -> ExtractionResult:
    turns = [{"speaker": "user", "text": t} for t in texts]
    return ex.extract({"id": "t", "region": "US", "turns": turns, **fields})


def _ids(result: ExtractionResult) -> list[str]:
    return [i.id for i in result.interests]


def _has(result: ExtractionResult, prefix: str) -> bool:
    return any(i == prefix or i.startswith(prefix + ".") for i in _ids(result))


def _turns(pairs: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    """Turns of a record from (speaker, text) pairs."""
    return [{"speaker": who, "text": text} for who, text in pairs]


# (text, node id (or an ancestor) that must be among the interests)
INTEREST_CASES = [
    # keyword present
    ("I've been getting into hiking, 20 miles on weekends.", "sports.hiking"),
    ("Which trail running shoes are best for muddy hikes?", "sports.hiking"),
    ("I want to learn how to bake sourdough bread at home.", "food_drink.baking"),
    ("Thinking about buying an espresso machine for my kitchen.", "food_drink.coffee"),
    ("We just adopted a puppy and need help with crate training.", "pets.dogs"),
    ("I've started knitting scarves for my friends.", "hobbies_and_interests.arts_and_crafts"),
    ("Can you recommend a beginner road bike under $1000?", "sports.cycling"),
    ("I'm training for my first marathon in April.", "sports.fitness.running"),
    ("What's a good telescope for looking at Saturn?", "hobbies_and_interests.astronomy"),
    ("I play guitar in a small cover band on weekends.", "music_and_audio"),
    ("We're planning a two-week trip to Japan next spring.", "travel"),
    ("I'm building a gaming PC with a new graphics card.", "video_gaming"),
    ("My houseplants keep dying, how often should I water a monstera?", "home_garden"),
    ("I'm saving for retirement and want to open a Roth IRA.", "personal_finance"),
    ("We're remodeling our kitchen and need cabinet ideas.", "home_garden"),
    ("Looking for a used electric car with good range.", "automotive"),
    ("I love watching the NBA playoffs with my roommates.", "sports.basketball"),
    ("What's the best camera for wildlife photography?", "hobbies_and_interests.photography"),
    ("Our board game night needs a new cooperative game.", "hobbies_and_interests.board_games_puzzles"),
    ("I'm learning Spanish on my lunch breaks.", "education.language_learning"),
    ("I need a skincare routine for dry skin in winter.", "beauty"),
    ("We're getting married in June and still need a venue.", "family_relationships.weddings"),
    ("Can you suggest some good sci-fi novels like Dune?", "books_and_literature"),
    ("I've been binge-watching anime all weekend.", "television"),
    ("I want to get better at chess openings.", "hobbies_and_interests.chess"),
    ("How do I start a vegetable garden in raised beds?", "home_garden.gardening"),
    ("I collect vintage jazz vinyl records.", "music_and_audio"),
    ("What tent should I get for camping in the Rockies?", "sports.camping"),
    ("I'm trying to get into rock climbing at the local gym.", "sports.climbing"),
    ("Any tips for a first-time home buyer looking at condos?", "real_estate"),
    ("I'm learning Python to switch careers into programming.", "technology_computing"),
    ("Going skiing in Colorado this winter, need new goggles.", "sports.skiing"),
    ("I'm obsessed with making homemade pasta from scratch.", "food_drink"),
    ("We want to take the kids to a beach resort in Mexico.", "travel"),
    ("I'm looking for a new smartwatch to track my workouts.", "technology_computing"),
    ("Which fantasy football players should I start this week?", "sports.american_football"),
    ("I've been going to pottery classes on Thursdays.", "hobbies_and_interests.arts_and_crafts.pottery"),
    ("What's a good wine to pair with grilled salmon?", "food_drink"),
    ("I'm thinking of getting a tattoo sleeve.", "style_fashion"),
    ("Best sneakers for everyday streetwear?", "style_fashion"),
    # paraphrases with no keyword of the node
    # long walks in the hills are Hiking, though the head read them as Travel before it saw any
    ("Twenty miles on forest paths every weekend, up and down the ridges.", "sports.hiking"),
    ("Most weekends I walk fifteen miles or so through the hills.", "sports.hiking"),
    ("Spent Saturday walking the whole ridge, about sixteen miles.", "sports.hiking"),
    ("My starter has been bubbling nicely, time to shape the loaves.", "food_drink"),
    # The protected head reads "shots" as health; the support check drops that verdict.
    ("Pulling shots every morning, but my crema is still thin.", "food_drink.coffee"),
    ("Teaching our new golden retriever to sit and stay is harder than I thought.", "pets.dogs"),
    ("I spent the weekend throwing bowls on the wheel and glazing them.", "hobbies_and_interests.arts_and_crafts"),
    ("We're swapping the old cabinets and tiling the backsplash ourselves.", "home_garden"),
    ("I want to put away more each month so I can stop working at 55.", "personal_finance"),
    ("Saw the band live last night, the crowd was electric.", "music_and_audio"),
    ("Nothing beats a long swim in the lake before breakfast.", "sports"),
    ("I've been sketching portraits with charcoal in the evenings.", "hobbies_and_interests.arts_and_crafts"),
    pytest.param(
        *("Our team lost in the bottom of the ninth again.", "sports.baseball"),
        marks=pytest.mark.xfail(strict=True, reason="known miss: only the Sports root"),
    ),
    ("I'm trying to figure out which gear to pack for a week on the trail.", "sports"),
    # going to games and shows in person
    ("We're going to the ballpark Sunday, where should we park?", "sports.live_sporting_events"),
    ("I want to take my dad to a football match in Manchester on the 14th.", "sports.live_sporting_events"),
    ("One seat for the play on Thursday, please.", "fine_art.theater"),
    ("Can you book two tickets for a show in Chicago on Friday?", "fine_art.theater"),
    ("I would really like to go see a show this weekend.", "fine_art.theater"),
    pytest.param(
        *("Any good plays on in Dublin next week?", "fine_art.theater"),
        marks=pytest.mark.xfail(strict=True, reason="known miss: 'plays' pulls towards Sports, no node passes 0.7"),
    ),
    # renting a car, and travellers in the middle of a trip
    ("Can I get a midsize car at the Tampa airport on Friday and leave it in Orlando?", "travel.car_rentals"),
    ("Will they charge extra if my brother also drives the rental?", "travel.car_rentals"),
    pytest.param(
        *("Could the front desk give us a wake-up call at six tomorrow?", "travel.hotels_lodging"),
        marks=pytest.mark.xfail(strict=True, reason="known miss: requests made during a hotel stay"),
    ),
    ("How many bags can I check on this flight before they charge me?", "travel.air_travel"),
    # cuisines with their own node, a cinema called a theatre, restaurant bookings, job interviews
    ("We order dim sum delivery every weekend.", "food_drink.world_cuisines.chinese"),
    ("I've been fermenting my own kimchi this month.", "food_drink.world_cuisines.korean"),
    ("Pad thai or massaman curry for dinner tonight?", "food_drink.world_cuisines.thai"),
    ("I saw the new Batman in an IMAX theatre last night.", "movies"),
    ("Please play the film on the bedroom TV.", "movies"),
    ("Can you book me a table for two at Nopa on Friday?", "food_drink.dining_out"),
    ("I have an interview for the receptionist job on Monday.", "careers.job_search"),
    # assistant suggestions taken up
]

NEGATIVE_CASES = [
    # (text, node id prefix that must NOT be an interest)
    ("I hate golf, it's so boring.", "sports.golf"),
    # walking that is not a walk in the hills
    ("We walked around the mall for hours looking for a gift.", "sports.hiking"),
    ("I walk to the bakery on the corner most mornings.", "sports.hiking"),
    ("I walk to work most days, it's only a mile.", "sports.hiking"),
    ("I'm not into video games at all.", "video_gaming"),
    ("I used to play rugby in college but quit years ago.", "sports.rugby"),
    ("My dad loves fishing.", "sports.fishing"),
    ("I can't stand country music.", "music_and_audio.country_music"),
    ("Honestly I've never been into cooking.", "food_drink.cooking"),
    ("If I ever won the lottery I'd buy a yacht.", "sports.sailing"),
    ("My sister is obsessed with K-pop.", "music_and_audio"),
    ("Can you fix the grammar in this paragraph for me?", "books_and_literature"),
    ("What's 18% of 240?", "personal_finance"),
    ("This could play a big role in next year's budget.", "sports"),
    ("Can you grab more towels from the dryer before the guests arrive?", "travel"),
    ("We're buying my daughter her first car, a used hatchback.", "travel.car_rentals"),
    ("I saw the new Batman in an IMAX theatre last night.", "fine_art.theater"),
    ("Let's catch the new Pixar movie at the theater on Saturday.", "fine_art.theater"),
    ("My boss wants the slides by noon.", "careers"),
    ("Perfect, let's book those.", "books_and_literature"),
    ("Please book it for Friday.", "books_and_literature"),
]


@pytest.mark.parametrize(("text", "node"), INTEREST_CASES)
def test_pipeline_detects_interest(extractor: Extractor, text: str, node: str) -> None:
    result = _one(extractor, text)
    assert result.status == "ok"
    assert _has(result, node), f"{node} not in {_ids(result)}"


@pytest.mark.parametrize(("text", "node"), NEGATIVE_CASES)
def test_pipeline_respects_stance_and_non_interest(extractor: Extractor, text: str, node: str) -> None:
    assert not _has(_one(extractor, text), node)


def test_pipeline_keeps_the_liked_half_of_a_contrast(extractor: Extractor) -> None:
    result = _one(extractor, "I can't stand golf but I love tennis.")
    assert _has(result, "sports.tennis") and not _has(result, "sports.golf")


def test_pipeline_gift_for_someone_else_is_purchase_intent(extractor: Extractor) -> None:
    result = _one(extractor, "My dad is obsessed with fly fishing, what gift could I get him?")
    fishing = [i for i in result.interests if i.id.startswith("sports.fishing")]
    assert fishing and fishing[0].intent == "purchase"


@pytest.mark.parametrize(
    "text",
    ["Which hiking boots should I buy for the Alps?", "What's the best espresso machine under $500?"],
)
def test_pipeline_marks_shopping_questions_as_purchase(extractor: Extractor, text: str) -> None:
    result = _one(extractor, text)
    assert result.interests and result.interests[0].intent == "purchase"


def test_pipeline_assistant_suggestion_counts_only_when_taken_up(extractor: Extractor) -> None:
    base = [
        {"speaker": "user", "text": "I need a new hobby to relax after work."},
        {"speaker": "assistant", "text": "You could try pottery: a weekly class is a great way to unwind."},
    ]
    ignored = extractor.extract({"id": "a", "turns": [*base, {"speaker": "user", "text": "Thanks, bye."}]})
    taken = extractor.extract({"id": "b", "turns": [*base, {"speaker": "user", "text": "That sounds fun!"}]})
    assert not _has(ignored, "hobbies_and_interests.arts_and_crafts.pottery")
    assert _has(taken, "hobbies_and_interests.arts_and_crafts.pottery")


GAME_NIGHT = (
    {"speaker": "user", "text": "We're having friends over on Saturday and need something to do together."},
    {"speaker": "assistant", "text": "Board games like Dixit or Ticket to Ride work well for mixed groups."},
)


@pytest.mark.parametrize(
    ("reply", "intent"),
    [
        ("Dixit sounds perfect.", "interest"),  # any named option, not only "that sounds ..."
        ("Dixit it is.", "interest"),
        ("I'll order that one.", "purchase"),
    ],
)
def test_pipeline_taking_up_a_named_option(extractor: Extractor, reply: str, intent: str) -> None:
    result = extractor.extract({"id": "g", "turns": [*GAME_NIGHT, {"speaker": "user", "text": reply}]})
    assert {i.id: i.intent for i in result.interests}.get("hobbies_and_interests.board_games_puzzles") == intent


@pytest.mark.parametrize("reply", ["Dixit doesn't sound like our crowd.", "Thanks, bye."])
def test_pipeline_turning_down_an_option_takes_nothing_up(extractor: Extractor, reply: str) -> None:
    result = extractor.extract({"id": "g", "turns": [*GAME_NIGHT, {"speaker": "user", "text": reply}]})
    assert not _has(result, "hobbies_and_interests.board_games_puzzles")


# A budgeting chat with one sentence that says outright the user likes a hobby.
BUDGET_AND_KNITTING = (
    ("user", "I want to start a monthly budget and finally build an emergency fund."),
    ("assistant", "A simple 50/30/20 split is a good place to start."),
    ("user", "How many months of expenses should the emergency fund cover?"),
    ("assistant", "Three to six months is the usual advice."),
    ("user", "Should it sit in a high-yield savings account? And how do I stop overspending on takeout?"),
    ("assistant", "Yes, a high-yield account keeps it safe and separate. Meal planning helps with takeout."),
    ("user", "I love knitting, so maybe a small hobby line in the budget too."),
)
KNITTING = "hobbies_and_interests.arts_and_crafts.knitting_crochet"


def test_pipeline_a_topic_said_outright_is_kept_beside_the_main_one(extractor: Extractor) -> None:
    turns = _turns(BUDGET_AND_KNITTING)
    result, _, trail = extractor.explain({"id": "b", "turns": turns})
    assert _has(result, "personal_finance") and _has(result, KNITTING)
    assert any(d.node == KNITTING and d.reason == "user interest, said outright" for d in trail)


def test_pipeline_config_avowal_score_none_treats_it_as_a_side_topic() -> None:
    turns = _turns(BUDGET_AND_KNITTING)
    result, _, trail = Extractor(config=ExtractorConfig(avowal_score=None)).explain({"id": "b", "turns": turns})
    assert not _has(result, KNITTING)
    assert any(d.node == KNITTING and d.reason.startswith("a side topic") for d in trail)


HOCKEY_BOOKING = (
    ("user", "We'd love to catch a hockey game while we're in town next month."),
    ("assistant", "There are home games on the 4th and the 18th; the 18th is a Saturday."),
    ("user", "The 18th works. Two seats close to the glass if possible."),
    ("assistant", "Two seats in section 102, row 3, are open at $85 each."),
)


def test_pipeline_booking_confirmation_makes_the_last_request_a_purchase(extractor: Extractor) -> None:
    # The assistant's last turn names no topic, so there is no suggestion to take up: "let's book
    # those" confirms what the user was arranging.
    confirm = "Perfect, let's book those."
    turns = _turns((*HOCKEY_BOOKING, ("user", confirm)))
    result, _, trail = extractor.explain({"id": "h", "turns": turns})
    assert {i.id: i.intent for i in result.interests} == {"sports.ice_hockey": "purchase"}
    assert confirm in [e.text for e in result.interests[0].evidence]
    assert any(d.reason == "purchase confirmed for the user's last request" for d in trail)


TELESCOPE_CHOICE = (
    ("user", "I love stargazing, it is my favourite way to spend a clear night."),
    ("assistant", "Both would suit you: the larger one gathers more light, the smaller one is easier to carry."),
)


@pytest.mark.parametrize("decision", ["I'm sold. Going with the larger one.", "I'll go with the bigger one then."])
def test_pipeline_decision_after_options_makes_the_last_request_a_purchase(extractor: Extractor, decision: str) -> None:
    # A decision between options the assistant laid out is a purchase of what the user was asking about.
    turns = _turns((*TELESCOPE_CHOICE, ("user", decision)))
    result, _, trail = extractor.explain({"id": "t", "turns": turns})
    assert {i.id: i.intent for i in result.interests} == {"hobbies_and_interests.astronomy": "purchase"}
    assert any(d.reason == "purchase confirmed for the user's last request" for d in trail)


def test_pipeline_without_a_decision_the_stargazing_stays_an_interest(extractor: Extractor) -> None:
    turns = _turns((*TELESCOPE_CHOICE, ("user", "Thanks, good to know.")))
    result = extractor.extract({"id": "t", "turns": turns})
    assert {i.id: i.intent for i in result.interests} == {"hobbies_and_interests.astronomy": "interest"}


def test_pipeline_without_a_confirmation_the_request_stays_an_interest(extractor: Extractor) -> None:
    turns = _turns((*HOCKEY_BOOKING, ("user", "Thanks, I'll think about it.")))
    result = extractor.extract({"id": "h", "turns": turns})
    assert {i.id: i.intent for i in result.interests} == {"sports.ice_hockey": "interest"}


def test_pipeline_assistant_text_alone_gives_no_interest(extractor: Extractor) -> None:
    result = extractor.extract(
        {"id": "c", "turns": [{"speaker": "assistant", "text": "Golf, tennis and sailing are all popular."}]}
    )
    assert result.interests == ()


# The README's first example.
README_RECORD = {
    "id": "c1",
    "region": "US",
    "turns": [
        {"speaker": "user", "text": "I've been getting into long-distance walking, 20 miles on weekends."},
        {"speaker": "assistant", "text": "Nice! Trails or roads?"},
        {"speaker": "user", "text": "Trails. My old trainers are falling apart."},
    ],
}


def test_pipeline_output_record_shape(extractor: Extractor) -> None:
    out = extractor.extract(README_RECORD).to_dict()
    assert out["id"] == "c1" and out["status"] == "ok"
    assert out["policy"] == {"excluded": False, "reason": None, "notes": []}
    assert out["interests"], out
    top = out["interests"][0]
    assert set(top) == {"id", "name", "path", "iab_id", "ad_categories", "intent", "score", "evidence"}
    assert 0.0 < top["score"] <= 1.0 and top["intent"] in {"interest", "purchase"}
    assert top["evidence"] and all(e["turn"] in (0, 2) for e in top["evidence"])
    json.dumps(out)  # serialisable as is


def test_pipeline_readme_walking_chat_is_hiking_with_its_ad_categories(extractor: Extractor) -> None:
    """The output the README shows for its first example."""
    [hiking] = extractor.extract(README_RECORD).interests
    assert (hiking.id, hiking.intent) == ("sports.hiking", "interest")
    assert hiking.ad_categories == ("Footwear", "Outdoor Gear", "Backpacks")
    assert [(e.turn, e.text) for e in hiking.evidence] == [(0, README_RECORD["turns"][0]["text"])]


def test_pipeline_excluded_region_has_no_interests(extractor: Extractor) -> None:
    result = _one(extractor, "I love hiking in the Alps.", region="DE")
    assert result.status == "excluded" and result.interests == () and result.policy.reason == "region"


def test_pipeline_pipe_is_lazy_and_ordered(extractor: Extractor) -> None:
    consumed = []

    def records():
        for i in range(5):
            consumed.append(i)
            yield {"id": f"r{i}", "turns": [{"speaker": "user", "text": "I love chess."}]}

    gen = extractor.pipe(records(), batch_size=2)
    first = next(gen)
    assert first.id == "r0" and len(consumed) == 2
    assert [r.id for r in gen] == ["r1", "r2", "r3", "r4"]


def test_pipeline_bad_record_does_not_stop_the_batch(extractor: Extractor) -> None:
    good = {"id": "g", "turns": [{"speaker": "user", "text": "I love chess."}]}
    results = list(extractor.pipe([good, "{not json", {"id": "x", "turns": []}, good], batch_size=2))
    assert [r.status for r in results] == ["ok", "error", "error", "ok"]
    assert results[1].error is not None and results[1].error.code == "invalid_json"


def test_pipeline_is_deterministic(extractor: Extractor) -> None:
    record = {"id": "d", "turns": [{"speaker": "user", "text": "Weekend trail runs and a new pair of shoes."}]}
    assert extractor.extract(record).to_dict() == Extractor().extract(record).to_dict()


def test_pipeline_unsupported_language_yields_nothing_and_says_so(extractor: Extractor) -> None:
    result = _one(extractor, "Mi piace molto andare in montagna e fare escursioni ogni fine settimana.")
    assert result.interests == ()
    assert "unsupported_language" in result.policy.notes


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ("turn", ["sports.hiking"]),  # the request after the disclosure goes; the other turn stays
        ("sentence", ["food_drink.baking", "sports.hiking"]),
    ],
)
def test_pipeline_taint_scope_decides_what_a_disclosure_takes_with_it(scope: str, expected: list[str]) -> None:
    ex = Extractor(config=ExtractorConfig(taint_scope=scope))
    result = _one(
        ex,
        "I was diagnosed with celiac disease last spring. Can you recommend a stand mixer for baking at home?",
        "Also, what hiking boots are good for muddy trails?",
    )
    assert sorted(_ids(result)) == expected


def test_pipeline_config_scope_conversation_drops_everything_after_protected_content() -> None:
    ex = Extractor(config=ExtractorConfig(taint_scope="conversation"))
    result = _one(ex, "I love board games.", "I was just diagnosed with diabetes.")
    assert result.interests == ()


SWIM_CHAT = (
    "I gave up football after my knee surgery years ago.",
    "Now I swim laps at the community pool before work.",
    "Usually about a mile, four mornings a week.",
    "My goggles keep leaking at the corners.",
    "Do kickboards actually help, or are they a gimmick?",
    "I also want to get faster at flip turns.",
)


def test_pipeline_long_chat_reports_the_leaf_under_a_chosen_interest(extractor: Extractor) -> None:
    result = _one(extractor, *SWIM_CHAT)
    assert _ids(result) == ["sports.swimming"]
    _, _, trail = extractor.explain(_record(*SWIM_CHAT))
    assert any(d.node == "sports.swimming" and d.reason == "most specific interest under sports" for d in trail)


def _record(*texts: str, region: str = "US") -> dict[str, object]:
    return {"id": "r", "region": region, "turns": [{"speaker": "user", "text": t} for t in texts]}


def _left_out(trail: list[Decision]) -> dict[str, str]:
    """Candidate -> reason, for the trail lines about whole candidates rather than one sentence's reading."""
    per_sentence = ("no keyword", "stance:", "tainted by", "user interest", "gift for", "assistant suggestion")
    return {d.node: d.reason for d in trail if not d.kept and not d.reason.startswith(per_sentence)}


def test_pipeline_config_specialize_off_keeps_the_branch() -> None:
    ex = Extractor(config=ExtractorConfig(specialize=False))
    assert _ids(_one(ex, *SWIM_CHAT)) == ["sports"]


# Seven sentences about swimming (the chat above without its football line), then two about something
# else: swimming is chosen as the leaf of a Sports branch that the chat kept returning to, and ranks
# with the whole branch's weight.
LAPS_CHAT = (
    *SWIM_CHAT[1:],
    "Freestyle is fine but my butterfly is a mess.",
    "I might enter a masters swim meet in the spring.",
)


def test_pipeline_long_chat_holds_a_side_topic_to_the_main_topics_weight(extractor: Extractor) -> None:
    side = ("After the pool I always grab a latte next door.", "Their cold brew is honestly the best in town.")
    assert _ids(_one(extractor, *LAPS_CHAT, *side)) == ["sports.swimming"]


# Thirteen sentences about swimming, then six about coffee: under half the swimming's weight, but
# more than four confident sentences of its own.
LAPS_AND_COFFEE_CHAT = (
    *LAPS_CHAT,
    "My coach says my flip turns are finally getting faster.",
    "I swim a mile before work on Tuesdays and Thursdays.",
    "Open-water swimming in the lake scares me a little.",
    "I'd like to get my 100 metre freestyle under a minute and a half.",
    "Kickboard drills are boring but they help my legs.",
    "Next summer I want to try a two-mile ocean swim.",
    "After the pool I always grab a latte next door.",
    "Their cold brew is honestly the best in town.",
    "I've started grinding my own beans at home too.",
    "A good pour-over on Sunday morning is my favourite ritual.",
    "Coffee with oat milk is what keeps me going.",
    "I buy a bag of single-origin beans every week.",
)


@pytest.mark.parametrize(
    ("side_topic_min_mass", "expected"),
    [(4.0, ["food_drink.coffee", "sports.swimming"]), (None, ["sports.swimming"])],
)
def test_pipeline_long_chat_keeps_a_side_topic_with_enough_mentions_of_its_own(
    side_topic_min_mass: float | None, expected: list[str]
) -> None:
    ex = Extractor(config=ExtractorConfig(side_topic_min_mass=side_topic_min_mass))
    assert sorted(_ids(_one(ex, *LAPS_AND_COFFEE_CHAT))) == expected


def test_pipeline_explain_record_says_why_each_candidate_is_not_reported(extractor: Extractor) -> None:
    side = ("After the pool I always grab a latte next door.", "Their cold brew is honestly the best in town.")
    record = _record(*LAPS_CHAT, *side)
    result, _, trail = extractor.explain(record)
    assert result.to_dict() == extractor.extract(record).to_dict()
    reported = set(_ids(result))
    read = {d.node for d in trail if d.kept}
    left_out = _left_out(trail)
    # Every interest some sentence was read as is either reported or has a reason in the trail.
    assert read - reported <= set(left_out)
    assert left_out["sports"] == "a more specific interest in its branch stands for it"
    assert left_out["food_drink"].startswith("a side topic: under 0.5 of the weight of sports.swimming")
    assert any(r.startswith("combined score under the long-chat bar") for r in left_out.values())


# Six sentences, one of which names the subject: no reading clears the long-chat bar (0.95), but the
# wedding comes close (about 0.94) and the photographer question reads as Photography (about 0.91).
WEDDING_CHAT = (
    "We're getting married in May and expect about 90 guests.",
    "We can't decide between a vineyard and a lakeside lodge.",
    "How early should we book a photographer?",
    "My sister offered to do the flowers.",
    "We still need invitations too.",
    "Ideally everything stays under $30k.",
)


def test_pipeline_long_chat_with_nothing_over_its_bar_reports_its_strongest_reading(extractor: Extractor) -> None:
    result, _, trail = extractor.explain(_record(*WEDDING_CHAT))
    assert _ids(result) == ["family_relationships.weddings"]
    assert _left_out(trail)["hobbies_and_interests.photography"] == (
        "a long chat with no interest over its bar reports only its strongest reading, family_relationships.weddings"
    )


def test_pipeline_config_long_chat_fallback_off_reports_nothing() -> None:
    ex = Extractor(config=ExtractorConfig(long_chat_fallback=None))
    result, _, trail = ex.explain(_record(*WEDDING_CHAT))
    assert _ids(result) == []
    assert _left_out(trail)["family_relationships.weddings"] == "combined score under the long-chat bar (0.95)"


def test_pipeline_long_chat_fallback_needs_a_reading_over_its_own_bar() -> None:
    ex = Extractor(config=ExtractorConfig(long_chat_fallback=0.99))
    result, _, trail = ex.explain(_record(*WEDDING_CHAT))
    assert _ids(result) == []
    assert _left_out(trail)["family_relationships.weddings"] == (
        "combined score under the long-chat bar (0.95) and the fallback bar (0.99)"
    )


def test_pipeline_explain_record_names_the_interest_limit() -> None:
    ex = Extractor(config=ExtractorConfig(max_interests=1, min_relative_mass=0.0))
    side = ("I listen to a true crime podcast on the drive there.", "Any podcast recommendations for the commute?")
    result, _, trail = ex.explain(_record(*LAPS_CHAT, *side))
    assert _ids(result) == ["sports.swimming"]
    assert "max_interests=1" in _left_out(trail)["music_and_audio.podcasts"]


def test_pipeline_explain_record_excluded_by_region_has_no_trail(extractor: Extractor) -> None:
    result, segments, trail = extractor.explain(_record("I love hiking.", region="DE"))
    assert (result.status, segments, trail) == ("excluded", [], [])


def test_pipeline_explain_record_rejects_a_bad_record(extractor: Extractor) -> None:
    with pytest.raises(RecordError, match="'id'"):
        extractor.explain({"turns": [{"speaker": "user", "text": "I love hiking."}]})


class _PartOfWordPii:
    """A PII finder that marks every occurrence of one string, even inside a word."""

    def __init__(self, part: str) -> None:
        self.part = part

    def find_batch(self, texts: Sequence[str]) -> list[list[Any]]:
        return [[SimpleNamespace(start=m.start(), end=m.end()) for m in re.finditer(self.part, t)] for t in texts]


def test_pipeline_drops_evidence_that_reads_as_protected_once_pii_is_replaced() -> None:
    # "Gaylord" is clean; with "lord" replaced, what is left ("Gay") reads as sexual orientation, so the
    # redacted sentence must not be shipped as evidence, and the interest it alone supported goes too.
    ex = Extractor(pii=_PartOfWordPii("lord"))
    text = "I want new hiking boots from Gaylord Outfitters."
    assert ex.protected_categories(text) == set()
    assert _ids(Extractor().extract(_record(text)))
    result, _, trail = ex.explain(_record(text))
    assert result.interests == ()
    assert set(_left_out(trail).values()) >= {
        "no evidence left: each evidence sentence reads as protected once its PII is replaced"
    }


def test_pipeline_long_chat_ranks_the_main_topic_first() -> None:
    ex = Extractor(config=ExtractorConfig(min_relative_mass=0.0))
    side = ("I listen to a true crime podcast on the drive there.", "Any podcast recommendations for the commute?")
    assert _ids(_one(ex, *LAPS_CHAT, *side)) == ["sports.swimming", "music_and_audio.podcasts"]


def test_pipeline_purchase_in_the_branchs_words_counts_for_the_leaf(extractor: Extractor) -> None:
    # "Which binoculars should I get?" reads as Hobbies only; in a birdwatching chat it is that purchase.
    asked = "Which binoculars should I get?"
    result = _one(extractor, "I've really gotten into birdwatching this fall, forty species so far.", asked)
    [birding] = result.interests
    assert (birding.id, birding.intent) == ("hobbies_and_interests.birdwatching", "purchase")
    assert asked in [e.text for e in birding.evidence]


def test_pipeline_purchase_stays_with_the_interest_it_is_evidence_for(extractor: Extractor) -> None:
    result = _one(
        extractor,
        "We want to drive the coast from Seattle to San Diego over a week.",
        "Can you find us a car to pick up at SEA and drop off in San Diego?",
    )
    assert {i.id: i.intent for i in result.interests} == {
        "travel.road_trips": "interest",
        "travel.car_rentals": "purchase",
    }


VINYL_CHAT = (
    "I've been collecting jazz records for a year now.",
    "My turntable is an entry-level Audio-Technica LP60.",
    "Is it time to upgrade?",
    "Looking at the Rega Planar 1 then.",
    "Do I need a separate phono preamp?",
    "My amp is pretty old.",
)


def _side_readings(extractor: Extractor) -> set[str]:
    """Nodes the trail drops from VINYL_CHAT as side readings of its audio-equipment interest."""
    _, _, trail = extractor.explain(" ".join(VINYL_CHAT))
    return {d.node for d in trail if d.reason == "a side reading of music_and_audio.audio_equipment"}


def test_pipeline_long_chat_drops_a_side_reading_of_another_interest(extractor: Extractor) -> None:
    # Jazz stays: collecting the records is saying outright that one likes them (``avowal_score``).
    assert _ids(_one(extractor, *VINYL_CHAT)) == ["music_and_audio.audio_equipment", "music_and_audio.jazz_blues"]
    # Which weaker readings the head gives (music production, an instrument) varies with training;
    # that each is dropped as a side reading of the main interest does not.
    dropped = _side_readings(extractor)
    assert dropped and all(node.startswith("music_and_audio.") for node in dropped), dropped


def test_pipeline_config_shadow_margin_none_keeps_side_readings(extractor: Extractor) -> None:
    ex = Extractor(config=ExtractorConfig(shadow_margin=None))
    dropped = _side_readings(extractor)
    assert dropped and dropped <= set(_ids(_one(ex, *VINYL_CHAT)))


def test_pipeline_short_request_keeps_every_reading(extractor: Extractor) -> None:
    ids = _ids(_one(extractor, "I want a camera lens for bird photography."))
    assert {"hobbies_and_interests.birdwatching", "hobbies_and_interests.photography"} <= set(ids)


# Requests and small talk that name no topic; the head alone reads one into each (without the
# interest support check, "Can you help me find something to do?" came out as five interests).
GENERIC_LINES = (
    "Excuse me, would you please do me a favor?",
    "Can you help me find something to do?",
    "Sure, could you play that?",
    "Did you get any questions about him?",
)


@pytest.mark.parametrize("text", GENERIC_LINES)
def test_pipeline_generic_line_names_no_interest(extractor: Extractor, text: str) -> None:
    assert _ids(_one(extractor, text)) == []


def test_pipeline_config_interest_support_margin_none_trusts_the_head() -> None:
    ex = Extractor(config=ExtractorConfig(interest_support_margin=None))
    assert _ids(_one(ex, "Can you help me find something to do?"))


def test_pipeline_explain_says_why_an_unsupported_reading_was_dropped(extractor: Extractor) -> None:
    _, segments, trail = extractor.explain("Excuse me, would you please do me a favor?")
    assert "movies" in {n for s in segments for n in s.interests_unsupported}
    dropped = [d for d in trail if d.node == "movies" and not d.kept]
    assert dropped and "not near that interest's examples" in dropped[0].reason


def test_pipeline_near_miss_protected_reading_withholds_its_sentence() -> None:
    """A head verdict the support check does not confirm is reported nowhere, but its sentence is not evidence."""
    text = "My wife grew up speaking Tigrinya and I want to learn to cook her family's dishes, any cookbook?"
    # Support margin 1.0 confirms nothing the head says; the withhold margin decides what that costs.
    withholding = Extractor(config=ExtractorConfig(protected_support_margin=1.0, protected_withhold_margin=-1.0))
    trusting = Extractor(config=ExtractorConfig(protected_support_margin=1.0, protected_withhold_margin=None))
    result, segments, trail = withholding.explain(text)
    assert segments[0].protected_withheld and not segments[0].protected
    assert withholding.protected_categories(text) == set()
    assert not result.interests
    assert any(not d.kept and d.reason == "withheld: a near-miss protected reading" for d in trail)
    assert any(key.startswith("withheld.") for key, _ in result.audit)  # counted for --audit, by category
    assert "withheld" not in json.dumps(result.to_dict())  # and never in the record itself
    assert trusting.explain(text)[0].interests  # with nothing withheld, the same sentence is evidence


def test_pipeline_verdict_below_its_category_margin_is_not_reported_but_taints_its_turn() -> None:
    """A category's stricter support margin lowers what is reported, never what may be evidence: the
    verdict's turn stays out of the evidence as a reported verdict's would, unlike a near miss."""
    text = "Which tennis racket should I buy? I think taxes on the rich should be much higher than they are."
    shipped = Extractor()
    strict = Extractor(config=ExtractorConfig(protected_category_support_margins={"politics": 1.0}))
    near_miss = Extractor(config=ExtractorConfig(protected_support_margin=1.0, protected_withhold_margin=-1.0))

    assert shipped.protected_categories(text) == {"politics"}  # a head verdict, no phrase rule
    assert not shipped.explain(text)[0].interests

    result, segments, _ = strict.explain(text)
    assert strict.protected_categories(text) == set()
    assert "politics" in segments[1].protected_below_category_margin
    assert not result.interests  # the racket question shares the turn: not evidence

    assert "Tennis" in {i.name for i in near_miss.explain(text)[0].interests}  # a near miss withholds its sentence
