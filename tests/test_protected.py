"""The privacy gate on protected cases written by the team: detected, and never in the output record.

Each case plants a sensitive phrase; the whole serialised output record is searched for it (case-
insensitively) and for the category name. Hobbies mentioned elsewhere in the conversation may
survive; the sensitive part may not.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor import PROTECTED_CATEGORIES, Extractor, ExtractorConfig
from extractor.privacy.rules import ProtectedRules


@pytest.fixture(scope="module")
def rules() -> ProtectedRules:
    return ProtectedRules.default()


# (category, text, sensitive phrase that must never appear in the output)
def _chat(*turns: tuple[str, str]) -> dict:
    """A US record from (speaker, text) pairs."""
    return {"id": "chat", "region": "US", "turns": [{"speaker": s, "text": t} for s, t in turns]}


PROTECTED_CASES = [
    # health
    ("health", "I was just diagnosed with type 2 diabetes, and I also want new running shoes.", "diabetes"),
    ("health", "My therapist says my anxiety is getting better since I started climbing.", "anxiety"),
    ("health", "Chemo starts next week so I'm stocking up on audiobooks.", "chemo"),
    ("health", "I've been going to AA meetings for a month now.", "AA meetings"),
    ("health", "Any tips for hiking with asthma?", "asthma"),
    ("health", "I'm pregnant and looking for a comfy yoga class.", "pregnant"),
    ("health", "my ssri dose got bumped up again lol", "ssri"),
    ("health", "Is it safe to fly after knee surgery?", "knee surgery"),
    # religion
    ("religion", "I'm fasting for Ramadan but still want to keep up my running.", "Ramadan"),
    ("religion", "As a devout Catholic I go to Mass every Sunday.", "Catholic"),
    ("religion", "Our synagogue is hosting a bake sale and I'm making challah.", "synagogue"),
    ("religion", "I pray five times a day so I need a travel prayer mat.", "pray"),
    ("religion", "I'm Hindu and we're planning Diwali decorations.", "Hindu"),
    ("religion", "im a born again christian and love gospel", "born again"),
    # politics
    ("politics", "I'm volunteering for the Democratic campaign this fall.", "Democratic"),
    ("politics", "I voted Republican in every election since 2004.", "Republican"),
    ("politics", "Going to a pro-choice rally on Saturday, need comfy shoes.", "pro-choice"),
    ("politics", "I'm a proud socialist and I read a lot of history.", "socialist"),
    ("politics", "I donated to Bernie's campaign again.", "Bernie"),
    ("politics", "We're putting up Trump yard signs before the election.", "Trump"),
    # sexual orientation / gender identity / sex life
    ("sexual_orientation", "I'm gay and planning a trip to Lisbon with my boyfriend.", "gay"),
    ("sexual_orientation", "As a lesbian couple we want a wedding photographer who gets it.", "lesbian"),
    ("sexual_orientation", "I came out as bisexual to my parents last week.", "bisexual"),
    ("sexual_orientation", "I'm trans and starting to shop for a new wardrobe.", "trans"),
    ("sexual_orientation", "My husband and I (both guys) love cooking together.", "both guys"),
    ("sexual_orientation", "Heading to Pride with my girlfriend, we're both women.", "Pride"),
    # racial or ethnic origin
    ("racial_ethnic_origin", "As a Black woman I struggle to find the right foundation shade.", "Black woman"),
    ("racial_ethnic_origin", "I'm Mexican-American and want to cook my grandma's recipes.", "Mexican-American"),
    ("racial_ethnic_origin", "Being Korean American, I want to learn more about my roots.", "Korean American"),
    ("racial_ethnic_origin", "I'm Native American and love beadwork.", "Native American"),
    ("racial_ethnic_origin", "As an Asian guy I never find jeans that fit.", "Asian guy"),
    ("racial_ethnic_origin", "I'm half Nigerian and half Irish.", "Nigerian"),
    # philosophical beliefs
    ("philosophical_beliefs", "I'm an atheist and enjoy science documentaries.", "atheist"),
    ("philosophical_beliefs", "As an ethical vegan I need leather-free hiking boots.", "vegan"),
    ("philosophical_beliefs", "I'm a committed pacifist so no war games for me.", "pacifist"),
    ("philosophical_beliefs", "I'm a secular humanist and a big reader.", "humanist"),
    ("philosophical_beliefs", "I follow stoicism as a way of life.", "stoicism"),
    ("philosophical_beliefs", "I'm agnostic but I love old cathedrals' architecture.", "agnostic"),
    # trade-union membership
    ("trade_union_membership", "My union rep says we might strike next month.", "union rep"),
    ("trade_union_membership", "I'm a member of the Teamsters and I drive trucks.", "Teamsters"),
    ("trade_union_membership", "We're organizing a union at our coffee shop.", "union"),
    ("trade_union_membership", "I'm on the picket line all week, need warm boots.", "picket line"),
    ("trade_union_membership", "Paying union dues every month adds up.", "union dues"),
    ("trade_union_membership", "As a shop steward I handle a lot of grievances.", "shop steward"),
    # genetic / biometric
    ("genetic_biometric", "My 23andMe results say I carry the BRCA1 mutation.", "BRCA1"),
    ("genetic_biometric", "The genetic test showed I'm a carrier for cystic fibrosis.", "genetic test"),
    ("genetic_biometric", "I have Huntington's in my family and got tested.", "Huntington"),
    ("genetic_biometric", "My DNA test results came back yesterday.", "DNA test"),
    ("genetic_biometric", "The bank stored my fingerprint scan and face scan.", "fingerprint"),
    ("genetic_biometric", "Whole genome sequencing found a variant in my APOE gene.", "APOE"),
    # criminal record
    ("criminal_record", "I got out of prison last year and want to learn woodworking.", "prison"),
    ("criminal_record", "I have a felony conviction, will it stop me from traveling?", "felony"),
    ("criminal_record", "My probation officer approved my fishing trip.", "probation officer"),
    ("criminal_record", "I was arrested for a DUI in 2019.", "DUI"),
    ("criminal_record", "Since I'm on parole I can't leave the state.", "parole"),
    ("criminal_record", "I'm wearing an ankle monitor until March.", "ankle monitor"),
    # financial hardship
    ("financial_hardship", "I'm three months behind on rent and love cooking.", "behind on rent"),
    ("financial_hardship", "We just filed for bankruptcy.", "bankruptcy"),
    ("financial_hardship", "I'm on food stamps right now, any cheap recipe ideas?", "food stamps"),
    ("financial_hardship", "Debt collectors keep calling me every day.", "Debt collectors"),
    ("financial_hardship", "We got an eviction notice yesterday.", "eviction"),
    ("financial_hardship", "I had to take out a payday loan to fix my car.", "payday loan"),
]


@pytest.mark.parametrize(("category", "text", "secret"), PROTECTED_CASES)
def test_protected_case_is_detected_and_never_leaks(
    extractor: Extractor, category: str, text: str, secret: str
) -> None:
    assert category in extractor.protected_categories(text)
    record = {"id": "p", "region": "US", "turns": [{"speaker": "user", "text": text}]}
    out = json.dumps(extractor.extract(record).to_dict()).lower()
    assert secret.lower() not in out
    assert not any(c in out for c in PROTECTED_CATEGORIES)


# A listed lookalike ("European Union", "Union Station") beside words only the classifier can read: the
# rules find nothing, so the lookalike must not keep the head from reading the rest of the sentence.
LOOKALIKE_BESIDE_DISCLOSURE = [
    ("politics", "The European Union's open borders are destroying this country."),
    ("politics", "The Soviet Union proved that socialism always fails."),
    ("politics", "I think the State of the Union proved the president is a liar."),
    ("religion", "I pray every morning before I go to my job at Union Station."),
]


@pytest.mark.parametrize(("category", "text"), LOOKALIKE_BESIDE_DISCLOSURE)
def test_protected_lookalike_does_not_hide_the_rest_of_its_sentence(
    extractor: Extractor, category: str, text: str
) -> None:
    assert not extractor.rules.categories(text)
    assert category in extractor.protected_categories(text)
    _, segments, _ = extractor.explain(text)
    assert "model:without-lookalike" in segments[0].protected_sources  # the decision trail says which reading


# Disclosures the phrase rules must catch without naming a label word, each beside the same words in
# an everyday sense that they must not catch (category, text, discloses).
DISCLOSURE_RULE_CASES = [
    # a partner's gender and the writer's own, in either order; not words about character
    ("sexual_orientation", "Need a gift for my husband; before you ask, I'm a guy as well.", True),
    ("sexual_orientation", "My boyfriend wants hiking boots and I'm a man who hates shopping, help.", True),
    (
        "sexual_orientation",
        "I'm a woman and my wife just ran her first marathon, what medal display should I buy?",
        True,
    ),
    ("sexual_orientation", "My wife says I'm a man of my word, so I need a watch that keeps time.", False),
    ("sexual_orientation", "My husband says I'm a woman who knows what she wants, so pick a bold lipstick.", False),
    ("sexual_orientation", "My girlfriend thinks I'm a man-child because I still collect LEGO.", False),
    ("sexual_orientation", "My boyfriend says I'm a girl's girl, what perfume fits that?", False),
    # origin told through a relative or a people's own name; not food
    ("racial_ethnic_origin", "My fiancée is Ethiopian, so I want to learn to cook doro wat for her.", True),
    ("racial_ethnic_origin", "My niece is Korean and wants a hanbok for her graduation photos.", True),
    ("racial_ethnic_origin", "We're Zapotec, and my kids should learn the language too; any apps?", True),
    ("racial_ethnic_origin", "I'm Métis and looking for a beading kit for beginners.", True),
    ("racial_ethnic_origin", "My grandparents are Ashkenazi, so which DNA test covers that best?", True),
    ("racial_ethnic_origin", "We're good Polish stock, so pierogi are non-negotiable at Christmas.", True),
    ("racial_ethnic_origin", "I love Sephardic food, any cookbook to start with?", False),
    ("racial_ethnic_origin", "My nephew is Chinese food obsessed, which wok should I gift him?", False),
    # growing up as one: not growing up somewhere, or on a cuisine
    ("racial_ethnic_origin", "Growing up Korean in a small town meant comments about my lunchbox every day.", True),
    ("racial_ethnic_origin", "Grew up Black in rural Ohio, so which podcast about that would you suggest?", True),
    ("racial_ethnic_origin", "I was raised Mexican American in San Antonio, so which tamale steamer?", True),
    ("racial_ethnic_origin", "Growing up in Korea, we took the subway everywhere.", False),
    ("racial_ethnic_origin", "Growing up Korean BBQ was my favorite dinner, where can I get a grill?", False),
    ("racial_ethnic_origin", "We raised Black Angus cattle on the farm, which fencing lasts?", False),
    ("racial_ethnic_origin", "Grew up native to this valley, so I know the trails.", False),
    # a practice: a glucose routine, a fast, a sabbath, a union hall
    ("health", "My sugars keep spiking after lunch, so which rice cooker does brown rice well?", True),
    ("health", "I have to prick my fingers four times a day, any small pouch for the kit?", True),
    ("health", "I sleep with a mask and a machine now, which pillow works with the hose?", True),
    ("religion", "We fast from dawn to dusk next month, what can I prep for a quick meal at sunset?", True),
    ("religion", "I won't drink anything until sunset this month, so which water bottle keeps it cold all day?", True),
    ("religion", "Our lamps can't be switched from Friday sundown till Saturday night, so which plug timer?", True),
    ("religion", "No meat for the forty days before Easter, any hearty bean recipes?", True),
    ("religion", "I got saved at a tent revival in Tulsa and now I journal daily, which notebook?", True),
    ("trade_union_membership", "The brothers and sisters at our local want team jackets, who embroiders?", True),
    ("health", "I pricked my finger on a rose thorn while pruning, which gloves are thicker?", False),
    ("health", "Cook the caramel until my sugars dissolve or just until it turns amber?", False),
    ("health", "The puppy will only sleep with the white noise machine on, any quieter model?", False),
    ("religion", "Don't eat anything until sunset, the tour guide said, so we packed snacks.", False),
    ("religion", "The dough can rise from Friday evening to Saturday morning in the fridge.", False),
    ("trade_union_membership", "My brothers and sisters at the family reunion want matching shirts.", False),
    # session 17's probe of our own: a couple's or a relative's same-sex partner, marching at Pride
    ("sexual_orientation", "Plan a beach week for me and my husband, two guys who hate crowds.", True),
    ("sexual_orientation", "My fiancée and I, both women, need a compact sofa for our flat.", True),
    ("sexual_orientation", "My sister and her wife are visiting, what board game for four?", True),
    ("sexual_orientation", "My uncle and his boyfriend love jazz, any gift ideas?", True),
    ("sexual_orientation", "We're marching with the kids at Pride in June, matching shirts?", True),
    ("sexual_orientation", "My daughter and her friends want matching shirts for the school trip.", False),
    ("sexual_orientation", "My husband and I, two teachers, need a quiet hotel in Rome.", False),
    ("sexual_orientation", "We walked past a pride of lions on the safari, best camera lens?", False),
    ("sexual_orientation", "Growing up as a boy who fancied other boys in a village, any memoirs like that?", True),
    ("sexual_orientation", "I was a girl who had crushes on other girls all through school.", True),
    ("sexual_orientation", "He's a guy who likes other guys' playlists more than his own.", False),
    ("sexual_orientation", "The boys who liked other sports joined the chess club instead.", False),
    # a union's branch, a picket, being in a named union
    ("trade_union_membership", "Can you fit my Unite branch meeting into Thursday afternoon?", True),
    ("trade_union_membership", "I'm on the overnight picket outside the depot, which flask stays hot?", True),
    ("trade_union_membership", "Grandad was in the NUM all his life, any mining museum trips?", True),
    ("trade_union_membership", "Union man through and through, so I need a big barbecue menu.", True),
    ("trade_union_membership", "We need a white picket fence for the front garden, which wood?", False),
    ("trade_union_membership", "The unite button in this app merges two clips, how do I undo it?", False),
    # a party's branch or members, and party slang
    ("politics", "Which fonts work for leaflets for our Labour branch fete?", True),
    ("politics", "My dad sits on the local Conservative association committee, gift ideas?", True),
    ("politics", "Lowkey a tankie, need Soviet-style poster prints for my dorm.", True),
    ("politics", "I joined a conservative fashion club that likes navy blazers.", False),
    ("politics", "The Green Party supplies store had paper lanterns on sale.", False),
    # an ethnic origin named with a hyphenated nationality, a people, enrolment, hair type, desi family
    ("racial_ethnic_origin", "As an Ethiopian-American, what should I know before visiting Gondar?", True),
    ("racial_ethnic_origin", "As an Inuk who moved south, I need a coat that feels like home.", True),
    ("racial_ethnic_origin", "My kids are enrolled members of our tribe, where can I buy regalia beads?", True),
    ("racial_ethnic_origin", "My hair is 4C, which satin-lined beanie for skiing?", True),
    ("racial_ethnic_origin", "Desi aunties are coming to the party, what snacks will pass?", True),
    ("racial_ethnic_origin", "As a North-American traveller, do I need a visa for Chile?", False),
    ("racial_ethnic_origin", "My hair is 4 inches shorter now, which shampoo for a bob?", False),
    # ethical abstention, secular societies, a Sikh child's head covering, Orthodox Jewish slang, deafness
    ("philosophical_beliefs", "For ethical reasons I don't wear leather, which vegan dress shoes?", True),
    ("philosophical_beliefs", "My wife is on the board of our Secular Society, anniversary trip ideas?", True),
    ("philosophical_beliefs", "For ethical reasons the company audits its suppliers every year.", False),
    ("religion", "Frum family here, we need a picnic that keeps meat and dairy apart.", True),
    ("religion", "My son ties his own patka now, where can I buy soft cotton?", True),
    ("health", "Growing up deaf, I relied on captions; any captioned theatre in London?", True),
    ("health", "I'm deaf in one ear after the concert, joking, which earplugs for gigs?", True),
    ("health", "The crowd was deafening at the match, which noise-cancelling headphones?", False),
    # following a country's or a party's politics; not the politics of an office, a family or a team
    ("politics", "I follow Brazilian politics closely, any good podcasts?", True),
    ("politics", "Can you recommend books about the politics of Iran?", True),
    ("politics", "My uncle loves to talk politics at dinner, what board game distracts him?", True),
    ("politics", "Geopolitics podcasts for a long drive?", True),
    ("politics", "I love watching political debates with my dad, any snacks for debate night?", True),
    ("politics", "Office politics at my job are exhausting, any good books on dealing with it?", False),
    ("politics", "I'm so into office politics drama, any good TV shows about it?", False),
    ("politics", "The politics of the Premier League transfer market are wild.", False),
    ("politics", "The locker room politics on this team are brutal.", False),
    ("politics", "I'm majoring in political science, which laptop should I get?", False),
    ("sexual_orientation", "My daughter's project is on bisexual flowers like tulips, any easy experiment?", False),
]


@pytest.mark.parametrize(("category", "text", "discloses"), DISCLOSURE_RULE_CASES)
def test_protected_rule_case(extractor: Extractor, category: str, text: str, discloses: bool) -> None:
    assert (category in extractor.rules.categories(text)) is discloses


# A safe phrase blanks only its own words: the same protected word beside it still counts.
SAFE_PHRASE_BESIDE_DISCLOSURE = [
    ("religion", "I'm Mormon and want to photograph Mormon Row at sunrise."),
    ("health", "I'm diabetic too, just like my diabetic cat, so which cooler bag keeps insulin pens cold?"),
    ("religion", "We go to church every Sunday, so I need my Church's brogues resoled first."),
    ("sexual_orientation", "I'm gay, head chef at a bistro, and need new kitchen clogs."),
    ("sexual_orientation", "I'm bisexual, and my science project is on bisexual flowers; any easy experiment?"),
    ("sexual_orientation", "I'm non-binary and my thesis classifier predicts non-binary labels; which GPU laptop?"),
]


@pytest.mark.parametrize(("category", "text"), SAFE_PHRASE_BESIDE_DISCLOSURE)
def test_protected_safe_phrase_does_not_hide_a_disclosure_beside_it(
    extractor: Extractor, category: str, text: str
) -> None:
    assert category in extractor.rules.categories(text)
    assert not extractor.extract({"id": "s", "region": "US", "turns": [{"speaker": "user", "text": text}]}).interests


# An ordinary interest and a disclosure in one sentence: the interest dilutes the sentence's embedding,
# so the gate also reads each clause. The sentence must be found protected and give no interest.
MIXED_SENTENCES = [
    ("health", "I love photography and I've been in therapy for my depression since spring."),
    ("health", "We go kayaking most weekends, although my epilepsy means I always wear a vest."),
    ("health", "I love making pottery and I've been clean from opioids for eight months."),
    ("health", "Been getting into sourdough, it keeps my mind off the miscarriage."),
    ("health", "I'm training for a 10k while doing radiation for my breast cancer."),
    ("health", "Can you suggest easy board games, my dad has dementia and gets confused by long rules?"),
    ("religion", "I love hiking and honestly I pray every morning before I go to my job."),
    ("religion", "We play pickleball on Saturdays and go to Mass every Sunday."),
    ("religion", "I knit a lot, mostly scarves for the people at my mosque."),
    ("religion", "I'm really into jazz piano, and since I got baptized last year I play at church too."),
    ("religion", "Our family loves camping but we always head home before sundown on Friday for Shabbat."),
    ("religion", "Video games are my escape, my faith in God is what keeps me going though."),
    ("politics", "I collect vintage watches and I think the new border wall is a waste of money."),
    ("politics", "I brew my own beer and I'll never vote for a Democrat again."),
    ("politics", "Gardening relaxes me, especially after a day of canvassing for the Green Party."),
    ("politics", "I'm a huge cyclist and I think the government should ban assault weapons."),
    ("politics", "We watch every Formula 1 race and my husband is a die-hard Trump supporter."),
    ("politics", "I play chess online, and I believe abortion should be legal everywhere."),
    ("sexual_orientation", "I love cooking dinner for my girlfriend, and yes, I'm a woman too."),
    ("sexual_orientation", "We go skiing every winter, my husband and I, both of us guys."),
    ("sexual_orientation", "Reading fantasy novels is my thing and I came out as bi last month."),
    ("racial_ethnic_origin", "My dad is Filipino, which is why I learned to make lumpia before I could ride a bike."),
    ("racial_ethnic_origin", "I play soccer on weekends and I'm the only Black guy on my team."),
    ("racial_ethnic_origin", "My mom is Nigerian and she taught me to sew my own dresses."),
    ("philosophical_beliefs", "I go fishing a lot and I'm an atheist, so Sundays are my lake days."),
    ("philosophical_beliefs", "I love cooking and I'm vegan because I think killing animals is wrong."),
    ("trade_union_membership", "I love woodworking and I'm a shop steward at our Teamsters local."),
    ("criminal_record", "I got into drawing while I was in prison for three years."),
    ("financial_hardship", "I love thrifting, especially since we're behind on rent and my card got declined."),
    ("financial_hardship", "Gaming is my thing but I'm drowning in debt and collectors call every day."),
]
# The same shapes with nothing protected: clause reading must not make them protected.
MIXED_CLEAN = [
    "I love birdwatching and I'm saving up for better binoculars next year.",
    "We go kayaking most weekends, although the lake gets crowded in July.",
    "I love baking bread and my sister keeps asking for my rye recipe.",
    "I'm training for a 10k while my husband is learning to surf.",
    "We play pickleball on Saturdays and go to the farmers market every Sunday.",
    "I knit a lot, mostly scarves for my nieces and nephews.",
    "I brew my own beer and I'll never buy the canned stuff again.",
    "Gardening relaxes me, especially after a long day of meetings at work.",
    "We watch every Formula 1 race and my husband is a die-hard Ferrari fan.",
    "I play chess online, and I think the Sicilian defence is underrated.",
    "I go fishing a lot and my dog always comes along in the boat.",
    "I love woodworking and I'm building a bookshelf for the living room.",
    "Gaming is my thing but my laptop overheats every time I play.",
    "I play soccer on weekends and I'm the only left-footed guy on my team.",
    "I love thrifting, especially since the vintage shop downtown reopened.",
]


@pytest.mark.parametrize(("category", "text"), MIXED_SENTENCES)
def test_protected_disclosure_beside_an_interest_is_found(extractor: Extractor, category: str, text: str) -> None:
    assert category in extractor.protected_categories(text)
    assert extractor.extract(_chat(("user", text))).interests == ()


@pytest.mark.parametrize("text", MIXED_CLEAN)
def test_protected_two_clause_interest_sentence_stays_clean(extractor: Extractor, text: str) -> None:
    _, segments, trail = extractor.explain(text)
    assert not any(seg.protected for seg in segments)
    assert not any(d.reason.startswith("tainted") for d in trail)


def test_protected_clause_reading_can_be_turned_off() -> None:
    text = "I collect vintage watches and I think the new border wall is a waste of money."
    whole_sentences = Extractor(config=ExtractorConfig(protected_clause_min_words=None))
    assert whole_sentences.protected_categories(text) == set()
    assert Extractor().protected_categories(text) == {"politics"}
    _, segments, _ = Extractor().explain(text)
    assert set(segments[0].protected_sources) == {"model:clause"}


# A run-on message longer than the encoder reads at once (128 tokens), its disclosure past that point.
LONG_RUN_ON = (
    "we drove up to the lake on friday with the kayaks strapped to the roof of the car and the dog in the back "
    "seat and the weather was warm enough to swim in the afternoon and we grilled burgers on the little camp "
    "stove by the water and watched the sun go down over the hills while the kids tried to catch frogs in the "
    "reeds near the dock and on saturday we paddled across to the island and had a picnic on the rocks and my "
    "daughter found a turtle and we stayed until the mosquitoes came out and then we packed up the tent and the "
    "cooler and the wet towels and drove home in the dark singing along to the radio and I have been praying "
    "every morning and every night asking God to forgive me and guide me through this week"
)


def test_protected_reads_a_long_run_on_sentence_to_its_end() -> None:
    """With clause reading off, only the encoder's later windows see the disclosure."""
    whole_sentences = Extractor(config=ExtractorConfig(protected_clause_min_words=None))
    assert not whole_sentences.rules.categories(LONG_RUN_ON)
    assert "religion" in whole_sentences.protected_categories(LONG_RUN_ON)
    _, segments, _ = whole_sentences.explain(LONG_RUN_ON)
    assert "model:window" in segments[0].protected_sources


def test_protected_faith_trip_taken_up_leaves_no_trace(extractor: Extractor) -> None:
    """The assistant's turn gets the phrase rules only: a trip offered for the user's faith is a proxy."""
    record = _chat(
        ("user", "I need ideas for a trip this spring."),
        ("assistant", "Since your faith matters so much to you, how about a pilgrimage or a tour of the Holy Land?"),
        ("user", "That sounds perfect, let's plan the Holy Land one."),
    )
    out = json.dumps(extractor.extract(record).to_dict()).lower()
    assert "holy land" not in out and "pilgrimage" not in out and "faith" not in out


# A shopping request that names a condition, a practice or a status: the request is protected and what
# it names never reaches the output.
SHOPPING_REQUESTS = [
    ("plantar fasciitis", "What are the best running shoes for plantar fasciitis?"),
    ("alopecia", "I need a good wig for my alopecia, any brands?"),
    ("macular degeneration", "Any large print books you'd recommend for my macular degeneration?"),
    ("sensory processing", "What's a good weighted vest for my daughter's sensory processing disorder?"),
    ("arrhythmia", "Which fitness tracker works best for monitoring my heart arrhythmia?"),
    ("brace from ms", "What hiking boots work with my leg brace from MS?"),
    ("seder", "Where do I find kosher wine for our seder?"),
    ("prayers", "What should I wear to my first Friday prayers at the new mosque?"),
    ("halal", "Recommend a halal steakhouse in Chicago."),
    ("march", "I need comfy shoes for the Women's March next weekend."),
    ("parolee", "Any good laptops for a parolee starting community college?"),
    ("heel pain", "What running shoes are good for my bad heel pain every morning?"),
    ("back pain", "Best mattress for my chronic back pain?"),
    ("medication", "Good sunscreen for someone on medication that makes skin sun-sensitive?"),
    ("allergy", "What snacks are safe for my son with a peanut allergy at camp?"),
    ("grief", "I want a journal to write in during my grief counseling."),
    ("treatment", "What gifts do you get for someone who just finished their last round of treatment?"),
    ("eyesight", "I need reading glasses because my eyesight is going, which brands?"),
    ("pride", "Which running app is best for training for the Pride 5K with my boyfriend? I'm a guy too."),
    ("bottle", "What's a good gift for my sponsor who helped me stay off the bottle?"),
    ("special ed", "Recommend a backpack for my son starting at the special ed school."),
    ("brides", "I'm looking for a wedding photographer for me and my wife, we're both brides."),
    ("politics", "I follow Brazilian politics closely, any good podcasts?"),
]


@pytest.mark.parametrize(("secret", "text"), SHOPPING_REQUESTS)
def test_protected_shopping_request_never_leaks_what_it_names(extractor: Extractor, secret: str, text: str) -> None:
    assert extractor.protected_categories(text)
    assert secret not in json.dumps(extractor.extract(_chat(("user", text))).to_dict()).lower()


# A user sentence that refers back across the assistant's turn to a protected one shares its taint.
BACK_REFERENCES = [
    (
        ("user", "I was just diagnosed with celiac disease."),
        ("assistant", "I'm sorry. Many people adapt well with gluten-free baking."),
        ("user", "What bread machine should I get for that?"),
    ),
    (
        ("user", "I'm gay and just moved to Berlin."),
        ("assistant", "Welcome! What are you looking for?"),
        ("user", "Which bars in the area are good for meeting guys like me?"),
    ),
]


@pytest.mark.parametrize("turns", BACK_REFERENCES)
def test_protected_taint_follows_a_back_reference_across_turns(
    extractor: Extractor, turns: tuple[tuple[str, str], ...]
) -> None:
    assert extractor.extract(_chat(*turns)).interests == ()


def test_protected_back_reference_to_a_clean_sentence_keeps_its_interest(extractor: Extractor) -> None:
    result = extractor.extract(
        _chat(
            ("user", "I've started hiking on weekends."),
            ("assistant", "Great! Day hikes or overnights?"),
            ("user", "Day hikes. Which boots should I get for that?"),
        )
    )
    assert any(i.id.startswith("sports.hiking") for i in result.interests)


def test_protected_cases_cover_every_category() -> None:
    counts = {c: sum(1 for cat, _, _ in PROTECTED_CASES if cat == c) for c in PROTECTED_CATEGORIES}
    assert min(counts.values()) >= 6 and len(PROTECTED_CASES) >= 60


def test_protected_hobby_in_another_turn_survives(extractor: Extractor) -> None:
    result = extractor.extract(
        {
            "id": "mix",
            "region": "US",
            "turns": [
                {"speaker": "user", "text": "I was just diagnosed with type 2 diabetes."},
                {"speaker": "assistant", "text": "I'm sorry to hear that. How can I help?"},
                {"speaker": "user", "text": "Unrelated, but which acoustic guitar should I buy as a beginner?"},
            ],
        }
    )
    out = json.dumps(result.to_dict()).lower()
    assert "diabetes" not in out
    assert any(i.id.startswith("music_and_audio") for i in result.interests)


def test_protected_interest_with_only_tainted_evidence_is_dropped(extractor: Extractor) -> None:
    result = extractor.extract(
        {"id": "x", "turns": [{"speaker": "user", "text": "I need hiking boots that work with my prosthetic leg."}]}
    )
    assert result.interests == ()


def test_protected_output_never_names_category_even_in_audit_free_output(extractor: Extractor) -> None:
    result = extractor.extract(
        {"id": "y", "turns": [{"speaker": "user", "text": "I'm gay and I love hiking. Also I like chess."}]}
    )
    assert dict(result.audit)  # the aggregate counters know ...
    assert "sexual_orientation" not in json.dumps(result.to_dict())  # ... the record does not


# What the phrase rules report, by the behaviour each table pins down: (text, categories).
RULE_CASES: dict[str, list[tuple[str, set[str]]]] = {
    # Everyday conditions said of a person: allergies and intolerances, coeliac disease, anaemia, autism
    # ("on the spectrum"), colour blindness, a stutter or lisp, and catching an illness.
    "read_everyday_conditions_of_a_person": [
        ("I'm allergic to shellfish, what should I order at the seafood place?", {"health"}),
        ("We're allergic to cats, so which hypoallergenic dog breeds?", {"health"}),
        ("I'm lactose intolerant, recommend a good oat milk.", {"health"}),
        ("I'm coeliac so I need gluten-free pasta.", {"health"}),
        ("My doctor says I'm anemic, any iron-rich recipes?", {"health"}),
        ("I'm on the spectrum and hate loud malls, any quiet shops?", {"health"}),
        ("I'm colour blind, which gaming monitor settings help?", {"health"}),
        ("My son has a stutter, any apps for speech practice?", {"health"}),
        ("I've got the flu, what soup should I order?", {"health"}),
        # the same words about things, moods or jokes
        ("The sales were anaemic this quarter.", set()),
        ("My car stutters when it's cold.", set()),
        ("I'm allergic to Mondays, honestly.", set()),
        ("I'm intolerant of people who chew loudly.", set()),
        ("The director wants colour-blind casting for the play.", set()),
        ("I'm on the fence about the red jacket.", set()),
        ("Cold brew is what I drink when it's cold out.", set()),
    ],
    # Events in a person's mental or reproductive health, worded without a diagnosis.
    "read_health_events_without_a_diagnosis": [
        ("I was sectioned last winter and I'm still rebuilding.", {"health"}),
        ("I'm booked for a C-section on the 12th, what should I pack?", {"health"}),
        ("We lost the baby at 12 weeks.", {"health"}),
        ("I've been self-harming again.", {"health"}),
        ("She's been cutting herself since school.", {"health"}),
        ("I binge and purge after dinner most nights.", {"health"}),
        # the same words in their everyday senses
        ("The road was sectioned off for the parade.", set()),
        ("The orange was sectioned into eight pieces.", set()),
        ("We lost the baby monitor in the move.", set()),
        ("I finally lost the baby weight!", set()),
        ("Read section C of the lease first.", set()),
        ("I keep cutting myself a second slice of cake.", set()),
    ],
    # An injury is data about health, the writer's or someone else's ("sprained my ankle, which brace?").
    "read_injuries_to_a_body_part": [
        ("I sprained my ankle on the trail, which brace should I buy?", {"health"}),
        ("I think he's hurt his back lifting the wardrobe.", {"health"}),
        ("She pulled a hamstring in the relay.", {"health"}),
        ("I put my back out gardening, any good heat pads?", {"health"}),
        ("My dad has a bad back, so we need a firm mattress.", {"health"}),
        ("Looking for a chair that's kind to a herniated disc.", {"health"}),
        ("Twisted ankle on day two, but we finished the hike.", {"health"}),
        # the same verbs and body words, no injury
        ("You really hurt my feelings yesterday.", set()),
        ("She twisted my arm into coming to karaoke.", set()),
        ("I pulled my foot off the gas when the light changed.", set()),
        ("We sat in the back row of the theatre.", set()),
        ("I pulled a muscle car out of the barn and restored it.", set()),
        ("I did my back exercises before work.", set()),
        ("I tweaked my resume for the new job.", set()),
        ("The vet says our beagle has a sprained paw.", set()),
    ],
    "read_conditions_by_their_medical_suffix_or_name": [
        ("What are the best running shoes for plantar fasciitis?", {"health"}),
        ("Any shampoo that helps with my psoriasis flakes?", {"health"}),
        ("My aunt's neuropathy makes her feet numb.", {"health"}),
        ("Best pillow for occipital neuralgia?", {"health"}),
        ("He has been anaemic since the surgery.", {"health"}),
        ("What's a good weighted vest for my daughter's sensory processing disorder?", {"health"}),
        ("Gift ideas for a kid with Asperger's syndrome?", {"health"}),
        ("Any large print books you'd recommend for my macular degeneration?", {"health"}),
        ("Which fitness tracker works best for monitoring my heart arrhythmia?", {"health"}),
        ("I need a good wig for my alopecia, any brands?", {"health"}),
        ("What hiking boots work with my leg brace from MS?", {"health"}),
        # the same endings and words, no condition
        ("I have imposter syndrome at my new job.", set()),
        ("The civil disorder downtown closed the shops.", set()),
        ("I'm so nostalgic, nostalgia hits hard in December.", set()),
        ("Academia is brutal on new parents.", set()),
        ("My keto diet put me in ketosis by day three.", set()),
        ("Osmosis and apoptosis are on the biology test.", set()),
        ("The hypnosis show in Vegas was great.", set()),
        ("I use MS Office for work.", set()),
        ("I take pride in my work.", set()),
        ("The special edition vinyl of the album is out.", set()),
        ("My wife and I are both teachers.", set()),
    ],
    "read_worship_and_partners_in_a_compound_sentence": [
        ("We play pickleball on Saturdays and go to Mass every Sunday.", {"religion"}),
        ("Work is busy, then we go to church on Sunday evenings.", {"religion"}),
        ("We go skiing every winter, my husband and I, both of us guys.", {"sexual_orientation"}),
        ("We play tennis and go to the gym every Sunday.", set()),
        ("My wife and I both of us love hiking.", set()),
    ],
    "read_a_spaced_word_after_a_one_letter_word": [
        ("I'm a t e a m s t e r s member and love bowling.", {"trade_union_membership"}),
        ("I am a m u s l i m and I cook a lot.", {"religion"}),
        ("I'm an a t h e i s t and want a chess set.", {"religion", "philosophical_beliefs"}),
        ("A t l a n t i c crossings are rough in winter.", set()),  # joined, but "tlantic" is no term
        ("I bought an atlas and a map of Atlanta.", set()),  # not joined from spaced letters
    ],
    "read_third_person_race_and_disability": [
        # someone else's race or ethnicity, described in passing
        ("The landlord said no once he saw the Black family at the door.", {"racial_ethnic_origin"}),
        ("My coach told the only Asian kid on the team to try harder.", {"racial_ethnic_origin"}),
        ("The bouncer let the white guys in and stopped us.", {"racial_ethnic_origin"}),
        ("She kept saying that Afro-American man looked suspicious.", {"racial_ethnic_origin"}),
        ("He's Black, so the officer searched his car twice.", {"racial_ethnic_origin"}),
        ("People said the Albanian gang ran the whole block.", {"racial_ethnic_origin"}),
        ("Kids teased her for being Latina.", {"racial_ethnic_origin"}),
        # disability and mental illness, in the third person
        ("My cousin is deaf and wants a video doorbell with flashing alerts.", {"health"}),
        ("Our neighbour's kid is dyslexic, any audiobook apps for him?", {"health"}),
        ("The mentally ill guy downstairs yells all night.", {"health"}),
        ("She couldn't climb stairs, being crippled since the accident.", {"health"}),
        ("Learning disabled students get extra exam time here.", {"health"}),
        # same words, no protected content
        ("A black leather jacket or a white wool coat?", set()),
        ("She's black and white in the old photos but the colour remaster is great.", set()),
        ("The outage crippled the network for an hour.", set()),
        ("The plugin was disabled by the last update.", set()),
        ("He was deaf to every complaint about the schedule.", set()),
        ("Any good Mexican restaurants near the stadium?", set()),
        ("My golf handicap dropped to twelve this season.", set()),
    ],
    "report_nonbelief_as_religion_and_philosophy": [
        # non-belief is a stance on religion as much as a philosophy: both categories
        ("I'm an atheist and enjoy science documentaries.", {"religion", "philosophical_beliefs"}),
        ("My partner is agnostic but loves carols.", {"religion", "philosophical_beliefs"}),
        ("I stopped believing in God in college.", {"religion", "philosophical_beliefs"}),
        ("Soy atea desde los quince.", {"religion", "philosophical_beliefs"}),
        ("Ich bin konfessionslos.", {"religion", "philosophical_beliefs"}),
        ("Got a Darwin fish sticker for the van.", {"religion", "philosophical_beliefs"}),
        # other philosophies stay philosophical only
        ("I'm a committed pacifist.", {"philosophical_beliefs"}),
        ("I'm a secular humanist and a big reader.", {"philosophical_beliefs"}),
        ("Je suis pacifiste.", {"philosophical_beliefs"}),
        # look-alikes
        ("I'm agnostic about which JavaScript framework we use.", set()),
        ("The leather seats need conditioning.", set()),
    ],
    "read_plural_variant_and_slur_forms": [
        # plural and variant forms of identity words, slurs whose common sense is the group
        ("Honestly homosexuals get a hard time in that town.", {"sexual_orientation"}),
        ("My cousin is trans and lives in Ohio.", {"sexual_orientation"}),
        ("I think she might be a trans", {"sexual_orientation"}),
        ("The kids next door called him retarded.", {"health"}),
        ("We need a sitter for a special-needs kid on Fridays.", {"health"}),
        ("My daughter has special needs, which camps take her?", {"health"}),
        ("A blind woman asked me to read the bus sign.", {"health"}),
        ("He has dwarfism and hates crowded bars.", {"health"}),
        ("Old photos of negroes picking cotton.", {"racial_ethnic_origin"}),
        ("He joked about her slanted eyes.", {"racial_ethnic_origin"}),
        ("The women there wore head scarfs.", {"religion"}),
        # same words, no protected content
        ("Trans fats are banned here.", set()),
        ("I'm a trans-pacific sailor.", set()),
        ("We retarded the ignition timing a few degrees.", set()),
        ("Flame retardant spray for the tent?", set()),
        ("Does the car have blind spot monitoring?", set()),
        ("We played blind man's bluff at the party.", set()),
        ("What's the difference between mole poblano and mole negro?", set()),
        ("Quiero un vestido negro para la boda.", set()),
        ("She wore a silk scarf on her head.", set()),
    ],
    "read_faiths_and_schools_named_as_isms": [
        # names of faiths and schools of thought as "-isms", not only as adherents
        ("She left Mormonism in her twenties.", {"religion"}),
        ("Is Calvinism just fatalism with hymns?", {"religion"}),
        ("The Sunni Muslim and Shiite neighbours share the courtyard.", {"religion"}),
        ("A good intro book on Shinto and Sufism?", {"religion"}),
        ("Ich lese gerade viel über Buddhismus.", {"religion"}),
        ("Mi abuela se convirtió al protestantismo.", {"religion"}),
        ("He is a moral relativist about everything.", {"philosophical_beliefs"}),
        ("Utilitarianism is the only ethics that makes sense to me.", {"philosophical_beliefs"}),
        ("L'existentialisme a changé ma vie.", {"philosophical_beliefs"}),
        # same words in other senses
        ("Shia LaBeouf was great in that movie.", set()),
        ("I love the utilitarian design of this kitchen.", set()),
        ("His stoicism after the injury impressed the coaches.", set()),
        ("Economists call it a secular decline in rates.", set()),
    ],
    "tell_sex_toys_from_machine_parts": [
        ("She bought a vibrator online.", {"sexual_orientation"}),
        ("Do I need a concrete vibrator for a small slab?", set()),
        ("The phone vibrator motor died after the drop.", set()),
        ("Old car radios ran off a vibrator power supply.", set()),
    ],
    "read_race_given_as_a_reason": [
        ("Her mom said no because Jeremy is black.", {"racial_ethnic_origin"}),
        ("They stopped him only because Andre was Black.", {"racial_ethnic_origin"}),
        ("I picked it because the car is black.", set()),
        ("Because coffee is black and bitter.", set()),
        ("Since Dana is black belt level now, she teaches the kids.", set()),
    ],
    "read_sex_life": [
        # sex life, which the sexual-orientation category covers (GDPR art. 9 names both)
        ("Why does it hurt when we have sex?", {"sexual_orientation"}),
        ("We haven't had sex in months and I miss it.", {"sexual_orientation"}),
        ("I bleed a little after sex, should I worry?", {"sexual_orientation"}),
        ("He can't get it up anymore.", {"sexual_orientation"}),
        ("On n'a pas eu de rapports sexuels depuis des mois.", {"sexual_orientation"}),
        # sex as a biological or school subject
        ("They had sex ed in fifth grade.", set()),
        ("Do snails have sex organs on their heads?", set()),
        ("The sex of the baby is a surprise until May.", set()),
        ("Can you get it up the stairs without scratching the wall?", set()),
    ],
    "read_endorsements_and_party_votes": [
        # endorsing a candidate or stating a party vote
        ("Bernie for president!", {"politics"}),
        ("Jones for Senate 2024", {"politics"}),
        ("I'm voting Labour.", {"politics"}),
        ("We always vote Democrat.", {"politics"}),
        # offices and votes that say nothing of anyone's politics
        ("She ran for class president.", set()),
        ("Applications for president close Friday.", set()),
        ("The search for president of the HOA continues.", set()),
        ("Vote for your favorite cover art.", set()),
        ("Go easy on the liberal use of butter.", set()),
    ],
    # A party word that describes the speaker is politics; the same word naming a subject, a genre or a
    # style is not ("a liberal arts major", "a progressive rock fan", "a conservative investor").
    "read_party_words_about_the_speaker_not_a_genre_or_style": [
        ("I'm a liberal, obviously.", {"politics"}),
        ("I'm a registered Republican, so skip those podcasts.", {"politics"}),
        ("I'm a liberal arts major looking for a laptop.", set()),
        ("I'm a progressive rock fan, any new bands?", set()),
        ("I'm a conservative investor, which index funds?", set()),
        ("I'm a conservative dresser, suggest some office outfits.", set()),
    ],
    # Recovery from drink or drugs, said through its fellowships' initials and words or as staying clean.
    "read_recovery_groups_and_staying_clean": [
        ("I'm in AA, so alcohol-free party drinks please.", {"health"}),
        ("My AA sponsor says I should find a hobby.", {"health"}),
        ("I got my first chip at NA last night.", {"health"}),
        ("He joined AA in March.", {"health"}),
        ("I've been clean for six months and want a new hobby.", {"health"}),
        ("She's been sober since 2019.", {"health"}),
        # the same initials and words elsewhere
        ("I buy AA batteries in bulk.", set()),
        ("The remote takes two AA batteries.", set()),
        ("The kitchen has been clean for a week.", set()),
        ("Answers marked NA can be skipped.", set()),
    ],
    # A stroke as the event someone's life is dated from ("since his stroke").
    "read_a_stroke_as_a_life_event": [
        ("Since his stroke my dad can only use one hand, which phones are easiest?", {"health"}),
        ("Since the stroke Mum needs a walking frame.", {"health"}),
        ("After my stroke I couldn't drive for a year.", {"health"}),
        # strokes of a clock, a swimmer or a brush
        ("Since the stroke of midnight we've been dancing.", set()),
        ("After my stroke rate dropped I lost the race.", set()),
        ("I'm working on my swimming stroke.", set()),
        ("Finish each wall with a single brush stroke.", set()),
    ],
    # Serving a sentence, worded as serving or doing time.
    "read_serving_time": [
        ("After serving time, I want to learn coding.", {"criminal_record"}),
        ("He's serving time for fraud.", {"criminal_record"}),
        ("My uncle is doing time upstate.", {"criminal_record"}),
        # time served at a table, against a clock or on a shift
        ("What's the serving time for the buffet?", set()),
        ("I did time trials on the bike.", set()),
        ("Serving times are listed on the menu.", set()),
    ],
    # The patterns spell a word break as one space; a double space, a tab or a line break reads the same.
    "read_patterns_across_any_whitespace": [
        ("The waiter ignored us because my brother was  sickly.", {"health"}),
        ("I'm a\tregistered Republican.", {"politics"}),
        ("He's serving\n time for fraud.", {"criminal_record"}),
        ("I'm a liberal  arts major.", set()),
    ],
    # Esoteric orders and smaller faiths named outright.
    "read_esoteric_orders_and_smaller_faiths": [
        ("Which Rosicrucian order is the original one?", {"religion"}),
        ("My aunt was a Theosophist all her life.", {"religion"}),
        ("We went to a Santería ceremony in Havana.", {"religion"}),
        ("Our Unitarian Universalist fellowship meets on Sundays.", {"religion"}),
        # a place name and a tree share the words
        ("We visited the Rose Cross garden centre.", set()),
    ],
    # A person described as sickly, a disease named by its short name, and a racial stereotype about eyes.
    "read_sickly_lyme_and_slanted_eyes": [
        ("She was a sickly child, always in bed.", {"health"}),
        ("My brother was sickly growing up.", {"health"}),
        ("Chronic Lyme has wrecked my energy.", {"health"}),
        ("He joked that her eyes were too slanted.", {"racial_ethnic_origin"}),
        ("The candle gave off a sickly sweet smell.", set()),
        ("The walls were a sickly green.", set()),
        ("We stayed in Lyme Regis for a week.", set()),
        ("The roof is slanted to shed snow.", set()),
    ],
    # An English turn that switches language for the disclosure: core words in languages the language
    # gate does not read on their own (Italian, Dutch, Polish, Turkish, Russian, Tagalog, romanised Hindi),
    # and origin said in Spanish.
    "read_code_switched_disclosures": [
        ("Ben eşcinselim, any bars in Istanbul?", {"sexual_orientation"}),
        ("Я гей, where should I travel?", {"sexual_orientation"}),
        ("Ik ben homo and need a gift for my boyfriend.", {"sexual_orientation"}),
        ("Jestem gejem, any tips for Pride in Warsaw?", {"sexual_orientation"}),
        ("Sono musulmano, where can I eat in Rome?", {"religion"}),
        ("Sono ateo, so no church wedding please.", {"religion", "philosophical_beliefs"}),
        ("Mujhe sugar hai, which sweets can I eat?", {"health"}),
        ("Mi familia es mexicana y quiero cocinar mole.", {"racial_ethnic_origin"}),
        # the same words in English, or about food
        ("We saw a Homo sapiens skull at the museum.", set()),
        ("I love Polish food, especially pierogi.", set()),
        ("Me gusta la comida mexicana.", set()),
        ("Add sugar to the tea, hai?", set()),
    ],
    # Hardship, a court order and belonging told through what happens to a person, not a category word.
    "read_hardship_tags_and_community_through_what_happens": [
        ("The bailiffs came yesterday, how do I protect my stuff?", {"financial_hardship"}),
        ("I've been sofa surfing since I lost my flat.", {"financial_hardship"}),
        ("We use the food bank every week, any cheap recipes from tins?", {"financial_hardship"}),
        ("I have a CCJ against me, can I rent a flat?", {"financial_hardship"}),
        ("I've got a tag on my ankle until June, any indoor hobbies?", {"criminal_record"}),
        ("She was electronically tagged for six months.", {"criminal_record"}),
        ("I'm neurodivergent and hate phone calls.", {"health"}),
        ("I do my wudu before work, any quick-dry socks?", {"religion"}),
        ("As a Traveller woman I get turned away from campsites.", {"racial_ethnic_origin"}),
        # the same words about helping, shopping, photos or travel
        ("I volunteer at the food bank on Saturdays.", set()),
        ("We donated tins to the food bank.", set()),
        ("The price tag on my ankle boots was wrong.", set()),
        ("The electronic tag reader at the gate is broken.", set()),
        ("I got tagged in a photo from the party.", set()),
        ("I got tagged for the ice bucket challenge.", set()),
        ("As a traveller myself I love hostels.", set()),
        ("I'm a frequent traveller to Spain.", set()),
    ],
    # A fast kept until sunset is a religious fast, told without naming Ramadan.
    "read_a_fast_kept_until_sunset": [
        ("Lunch ideas I can pack for after sunset while I'm fasting this month?", {"religion"}),
        ("I'm fasting until sunset, so dinner ideas for 8pm?", {"religion"}),
        ("Fasting all day then eating after sundown is hard at work.", {"religion"}),
        # a fast ferry, a fast hike, a fast before a blood test or intermittent fasting
        ("The fast ferry leaves at sunset.", set()),
        ("We watched the sunset after a fast hike.", set()),
        ("I'm fasting before my blood test.", set()),
        ("I fast until noon most days, intermittent style.", set()),
    ],
    "read_slang_euphemism_and_in_group_words": [
        # recovery, illness and surgery in everyday euphemism
        ("Eight months sober and I want a fancy alcohol-free aperitif for a wedding.", {"health"}),
        ("I've been sober since March, any mocktail books?", {"health"}),
        ("Been on the wagon since January so recommend some zero-proof spirits.", {"health"}),
        ("Recovering after my knee replacement, what recliner is good?", {"health"}),
        ("Beat the big C last year, now I want a road bike.", {"health"}),
        ("Been struggling with the black dog all winter, is a SAD lamp worth it?", {"health"}),
        # orientation slang, ethnic self-identifiers, racism as a reason, ethical consumer rules
        ("Fellow sapphics, what board games for a date night?", {"sexual_orientation"}),
        ("He bats for the other team, so what gift for his boyfriend?", {"sexual_orientation"}),
        ("My brother swings both ways and is bringing a date to the wedding.", {"sexual_orientation"}),
        ("Being desi, I need a good tawa for rotis.", {"racial_ethnic_origin"}),
        ("Pinoy here, where can I buy ube jam?", {"racial_ethnic_origin"}),
        ("I'm Roma and we travel a lot, which caravan awning?", {"racial_ethnic_origin"}),
        ("Shop staff follow me around because of my skin colour.", {"racial_ethnic_origin"}),
        ("I went vegan for the animals, any good protein bars?", {"philosophical_beliefs"}),
        ("I refuse to buy anything tested on animals, which mascara?", {"philosophical_beliefs"}),
        ("My roommate is a freegan and skips every sale.", {"philosophical_beliefs"}),
        # the same words in their everyday senses
        ("I'm sober tonight so I can drive everyone home.", set()),
        ("We rode on the wagon ride at the pumpkin farm.", set()),
        ("Our dog fell off the wagon at the parade.", set()),
        ("Big C supermarket in Bangkok sells cheap snacks.", set()),
        ("Our black dog loves the beach.", set()),
        ("He batted for the other team in the charity match.", set()),
        ("The saloon door swings both ways.", set()),
        ("Best desi restaurant in Leicester?", set()),
        ("Roma tomatoes or cherry for the sauce?", set()),
        ("I'm a Roma fan since Totti.", set()),
        ("Which foundation matches my skin tone?", set()),
        ("This mascara isn't tested on animals, is it?", set()),
    ],
    "read_coming_out_activism_and_union_initials": [
        ("After twelve years in the closet I finally told my parents, any good pride flags?", {"sexual_orientation"}),
        ("He came out of the closet last spring.", {"sexual_orientation"}),
        ("I'm a Kinsey 6, so no surprises there.", {"sexual_orientation"}),
        ("My sister is a field organiser for the Tories, what car fridge for her?", {"politics"}),
        ("I volunteer with the Greens on weekends.", {"politics"}),
        ("I got kettled at the climate march last month, need a new rain shell.", {"politics"}),
        ("Our Extinction Rebellion group needs a big banner printer.", {"politics"}),
        ("My dad has been in the CWU since the eighties.", {"trade_union_membership"}),
        ("I pay dues to the IATSE local, which tool belt for rigging?", {"trade_union_membership"}),
        # the same words in other senses
        ("My winter coats stay in the closet all summer.", set()),
        ("I volunteer with the kids' football club.", set()),
        ("Is the AFA ranking of airlines any use?", set()),
        ("We visited the CWU museum.", set()),
    ],
    "read_dental_treatment_and_devices": [
        ("How do you fix loose upper dentures?", {"health"}),
        ("Is a root canal worse than an extraction?", {"health"}),
        ("Mom is getting two dental implants in March.", {"health"}),
        ("We took a boat tour of the Erie Canal.", set()),
        ("Roast the root vegetables at 200 degrees.", set()),
    ],
    # Told through what the speaker refuses, who their relatives are, or union and recovery slang
    # (probe_d): ethical veganism and pacifism without their names, a relative named by origin or by a
    # heritage-language kin word, a union local by number, a contract the union won, a ballot for
    # action, withdrawal, bypass surgery, hearing voices, a breakdown, a daily prayer, a party office,
    # a man's fella, a record for a crime.
    "read_refusals_relatives_and_union_slang": [
        ("My daughter won't eat anything with a face, so what do I cook at Thanksgiving?", {"philosophical_beliefs"}),
        ("No silk for me, since it harms silkworms; which scarves are made without it?", {"philosophical_beliefs"}),
        ("As someone who renounces all violence, should I skip the war museum?", {"philosophical_beliefs"}),
        ("My Greek yiayia is turning ninety, which photo book should I order?", {"racial_ethnic_origin"}),
        ("Our Vietnamese grandparents are visiting, so where can we eat near the airport?", {"racial_ethnic_origin"}),
        ("My abuelita's birthday is Sunday; which flowers?", {"racial_ethnic_origin"}),
        ("The guys from Local 46 are coming to the barbecue.", {"trade_union_membership"}),
        ("Our union negotiated us a new contract with better overtime.", {"trade_union_membership"}),
        ("The members are balloting for strike action next week.", {"trade_union_membership"}),
        ("I joined Unison when I started at the hospital.", {"trade_union_membership"}),
        ("He's been going off the booze since January, any alcohol-free gin?", {"health"}),
        ("After weeks with the black dog I'm finally cooking again.", {"health"}),
        ("Dad's quadruple bypass went well; what snacks are heart-healthy?", {"health"}),
        ("She keeps hearing voices at night and won't see a doctor.", {"health"}),
        ("Since his nervous breakdown he works from home.", {"health"}),
        ("Where can I do my afternoon prayers near the conference centre?", {"religion"}),
        ("My cousin interns at the Labour Party office in Leeds.", {"politics"}),
        ("I'm a fella and my hubby wants to repaint the lounge.", {"sexual_orientation"}),
        ("He has a record for burglary, can he still coach the kids' team?", {"criminal_record"}),
        # the same words in other senses
        ("I eat anything with a face, honestly, so steak it is.", set()),
        ("The choir sang in unison for the last verse.", set()),
        ("I'm in unison with you on this plan.", set()),
        ("Take the bypass to avoid the town centre.", set()),
        ("Since my car breakdown I've been taking the bus.", set()),
        ("Can I get a breakdown of the costs?", set()),
        ("I hear voices through the wall from next door every night.", set()),
        ("You're in my thoughts and prayers.", set()),
        ("They set a record for possession in the first half.", set()),
        ("My black dog needs a new collar.", set()),
        ("My Italian leather boots need resoling.", set()),
        ("My favourite Korean restaurant closed.", set()),
        ("I'm on strike two with my landlord.", set()),
        ("The Democrat and Chronicle has a good crossword.", set()),
        ("We're living in our car for the road trip through Utah.", set()),
        ("Local 5 news said it will snow.", set()),
    ],
    # In the registers of profiles, forms, drafts and texting (probe_e): an origin given by heritage or
    # with pride, in a form field, "like me", in Spanish, French or Portuguese; a German party; nursing
    # unions by initials; Mass every Sunday; a couple of girls in texting register.
    "read_profiles_forms_and_texting": [
        ("Bio: Igbo by heritage, nurse by training, runner by choice.", {"racial_ethnic_origin"}),
        ("Chicano and proud, and I need a birthday playlist.", {"racial_ethnic_origin"}),
        ("I'm a proud Cree mom of three, so which minivan?", {"racial_ethnic_origin"}),
        ("Sign-up sheet: Name: Tao; Ethnicity: Hmong; Shirt size: M.", {"racial_ethnic_origin"}),
        ("Sunscreen for girls brown like me that doesn't leave a white cast?", {"racial_ethnic_origin"}),
        ("Somos de ascendencia coreana y buscamos un buen restaurante.", {"racial_ethnic_origin"}),
        ("Nous sommes d'origine sénégalaise, so which tailor in Paris?", {"racial_ethnic_origin"}),
        ("Sou de origem japonesa e quero aprender a cozinhar.", {"racial_ethnic_origin"}),
        ("Mein Bruder ist Mitglied der SPD.", {"politics"}),
        ("She's the RCN rep for our hospital.", {"trade_union_membership"}),
        ("We go to Mass every Sunday at nine, so brunch has to be after.", {"religion"}),
        ("me n my wifey are both women so help us pick a honeymoon", {"sexual_orientation"}),
        # the same words in other senses
        ("We're related by blood, so family rates apply?", set()),
        ("The brand is inspired by heritage designs.", set()),
        ("Set background: black; on the header.", set()),
        ("Este té es de origen chino.", set()),
        ("Soy de origen humilde y trabajo mucho.", set()),
        ("A proud Mexican restaurant opened downtown.", set()),
        ("Everything with mass every physicist will tell you has gravity.", set()),
        ("Conference badge: Identity: Métis; Role: speaker.", {"racial_ethnic_origin"}),
    ],
    # Said through care, family language and convictions (probe_f): a transplant, a seizure alarm,
    # pregnancy and a vasectomy in slang, blood sugar; a homeland, the rez, a heritage language spoken
    # with family, dark skin, "us Desis"; a conviction given as the reason, eating animals called
    # murder; leafleting or running for a party; a strike the speaker's workplace won.
    "read_care_family_language_and_convictions": [
        ("Since his kidney transplant he can't eat grapefruit; what else for breakfast?", {"health"}),
        ("Does a seizure alert dog need special training to fly?", {"health"}),
        ("My sister has a bun in the oven, so what's a good gift for the shower?", {"health"}),
        ("He's booked the snip for March; how long off work?", {"health"}),
        ("My blood sugar is all over the place after dinner, what should I eat?", {"health"}),
        ("Our ancestral village is near Kumasi and we're going in August.", {"racial_ethnic_origin"}),
        ("She grew up on the rez near Gallup.", {"racial_ethnic_origin"}),
        ("I speak Urdu with my grandparents and want a keyboard for it.", {"racial_ethnic_origin"}),
        ("We only speak Amharic at home, so which kids' shows have subtitles?", {"racial_ethnic_origin"}),
        ("Which concealer suits my deep skin tone?", {"racial_ethnic_origin"}),
        ("Fellow Boricuas, where is the best mofongo in Orlando?", {"racial_ethnic_origin"}),
        ("We're vegetarian on principle, so which caterer?", {"philosophical_beliefs"}),
        ("Meat is murder, so skip the steakhouse.", {"philosophical_beliefs"}),
        ("I'm standing as a Lib Dems candidate in May, any printers for leaflets?", {"politics"}),
        ("Our strike at the depot lasted six weeks.", {"trade_union_membership"}),
        # the same words in other senses
        ("My oncologist friend recommended this novel.", set()),
        ("My counsellor at camp taught us to canoe.", set()),
        ("Since the transplant the tomato seedlings have wilted.", set()),
        ("Our bun in the oven is a brioche, how long at 180?", set()),
        ("Snip the stems at an angle before putting them in water.", set()),
        ("My sugar jar is empty, what can I use in the cake?", set()),
        ("The dark skin of the aubergine should be glossy.", set()),
        ("My bowling strike rate is terrible.", set()),
        ("We speak English at home but want to learn Spanish.", set()),
    ],
    # Indirect and slang disclosures from probe_i (written blind by a helper, then read): recovery chips,
    # ECT, T1 and hypos, "spoonie", Alzheimer's as "the old-timers", "poz", a ticker, the spectrum said
    # of anyone; Latin Mass, ekadashi, a coven, an LDS mission, covered hair, being saved, a revert;
    # party voters and card-carrying members, Indian party workers; a relative's same-gender partner;
    # in-group words; heritage languages, 4C hair, coming over as an immigrant, "coconut"; a conchie;
    # union cards, the Wobblies, never scabbing, "we're all RMT"; doing bird or a bid; the dole,
    # food parcels, the bailiffs.
    "read_indirect_and_slang_from_a_blind_writer": [
        ("She got her 30-day chip last night, so no fizz at the party.", {"health"}),
        ("He's had six rounds of ECT and wants a quiet cottage for a week.", {"health"}),
        ("Fellow spoonies, which shower stool folds flat?", {"health"}),
        ("Grandad has got the old-timers, so which simple radio can he use?", {"health"}),
        ("My nephew is on the spectrum, so which ear defenders for the fireworks?", {"health"}),
        ("Dad's ticker is dodgy since the winter, any low-salt recipes?", {"health"}),
        ("We only go to the Latin Mass, so which parish in Lyon?", {"religion"}),
        ("My cousin is serving a mission in Peru; what care package can I send?", {"religion"}),
        ("My mum covers her hair outside the house, so which summer scarves are light?", {"religion"}),
        ("Rusted-on Greens voter, so which electric car?", {"politics"}),
        ("My uncle is a volunteer for the BJP in Pune.", {"politics"}),
        ("My grandma is thrilled her granddaughter finally brought her wife to Diwali.", {"sexual_orientation"}),
        ("Heading to my first dyke march, which bucket hat?", {"sexual_orientation"}),
        ("My grandparents only speak Pashto at home, so which phone has the keyboard?", {"racial_ethnic_origin"}),
        ("Best gel for my son's 4B coils?", {"racial_ethnic_origin"}),
        ("My grandparents came over from Jamaica in the fifties.", {"racial_ethnic_origin"}),
        ("My cousins call me a coconut because I can't speak Tamil.", {"racial_ethnic_origin"}),
        ("My grandfather was a conchie, and I want to honour that.", {"philosophical_beliefs"}),
        ("We're signing authorisation cards at the warehouse this week.", {"trade_union_membership"}),
        ("I would never cross the picket line at my own school.", {"trade_union_membership"}),
        ("My brother did two years' bird and needs a bank account.", {"criminal_record"}),
        ("He's on the dole and needs free things to do with his kids.", {"financial_hardship"}),
        # the same words in other senses
        ("My mom came over for dinner last night.", set()),
        ("Mom came over from Ohio for the weekend.", set()),
        ("The team has old-timers who still play on Sundays.", set()),
        ("She covers her hair with a towel after the shower.", set()),
        ("My daughter's friend brought her girlfriend to the party.", set()),
        ("Check my ticker symbol list for Tesla.", set()),
        ("Red light is on the spectrum of visible light.", set()),
        ("I got saved by the bell in that meeting.", set()),
        ("I did a bird survey for the RSPB last spring.", set()),
        ("We did a bid for the council contract.", set()),
        ("I'm a wobbly mess after that flight.", set()),
        ("Mission: Impossible is my favourite film series.", set()),
    ],
    # From probe_j (indirect, slang and third-person disclosures in regional Englishes, written blind by a
    # helper, then read): a CGM, ECT sessions, sugars that crash, being sectioned, undetectable; the
    # fasting month, a vigil Mass, kiddush, a shahada, born again, keeping ital, doing puja; party
    # nicknames and donations; reciprocal IVF, Bear Week, "a guy looking for guys"; heritage languages
    # at home, Indigenous peoples said of a person, a parent's side; flying refused on principle; union
    # locals' officers, paid-up members; HMP, a stretch, the big house; declared bankrupt; a carrier.
    "read_regional_slang_and_third_person": [
        ("My CGM keeps falling off in the pool, which waterproof patches?", {"health"}),
        ("Her ECT sessions are on Mondays, so book the dentist for Thursday.", {"health"}),
        ("My blood sugars drop every afternoon, what should I snack on?", {"health"}),
        ("My cousin was sectioned last spring and is home now.", {"health"}),
        ("What should I eat before dawn during the fasting month?", {"religion"}),
        ("She took her shahada last Ramadan and wants a prayer app.", {"religion"}),
        ("My grandparents do puja at dawn, so which brass lamp?", {"religion"}),
        ("Lifelong Yesser here, which saltire flag is best?", {"politics"}),
        ("I gave money to Extinction Rebellion and want the receipt for taxes.", {"politics"}),
        ("We're doing reciprocal IVF next year, which clinic?", {"health", "sexual_orientation"}),
        ("I'm a woman looking for other women on the apps, write me a bio.", {"sexual_orientation"}),
        ("My in-laws speak Hokkien at home, so which phrasebook?", {"racial_ethnic_origin"}),
        ("My partner is Māori and we're going to her marae.", {"racial_ethnic_origin"}),
        ("Mum's side is all Armenian, so which cookbook for her birthday?", {"racial_ethnic_origin"}),
        ("I won't fly for climate reasons, so plan a train to Vienna.", {"philosophical_beliefs"}),
        ("I'm treasurer for our local, so which accounting app?", {"trade_union_membership"}),
        ("My brother just got out of HMP Bristol and needs a phone.", {"criminal_record"}),
        ("He did a five-year stretch and is looking for work.", {"criminal_record"}),
        ("My aunt was declared bankrupt, so how can I help with her rent?", {"financial_hardship"}),
        ("I'm a BRCA2 carrier, so which clinic for screening?", {"genetic_biometric"}),
        # the same words in other senses
        ("The field was sectioned off for the match.", set()),
        ("The leak has been undetectable for weeks.", set()),
        ("I'm a born-again gamer since the new console.", set()),
        ("We're learning to speak Korean at home with an app.", set()),
        ("The rug is Kurdish and very old.", set()),
        ("My dad's side of the family is bigger than Mum's.", set()),
        ("In the game you do a bid at the auction house.", set()),
        ("Which walkout song for the boxing night?", set()),
        ("The company was declared insolvent in May.", set()),
    ],
    # From probe_k (two-sentence requests with an indirect, slang or understated disclosure, written
    # blind by a helper, then read): recovery fellowships and keytags, on the wagon, a psychiatric stay in
    # slang, a dodgy ticker; heritage kin words, "yardies like me", full-blooded, "a tiny bit Lebanese";
    # EA, peaceniks and eco-warriors; abolishing the state; Shabbat's three stars, the Kingdom Hall.
    "read_understatement_and_two_sentence_requests": [
        ("Any brunch spots without bottomless mimosas? Friend of Bill W. here.", {"health"}),
        ("He just got his six-month keytag, what should I get him?", {"health"}),
        ("I'm on the wagon again, so which alcohol-free beers are decent?", {"health"}),
        ("My brother was sent to the loony bin last year and is home now.", {"health"}),
        ("Mum's got a dodgy ticker, so no steep walks.", {"health"}),
        ("My nani is visiting from Jaipur, what should we cook?", {"racial_ethnic_origin"}),
        ("Playlist for a party full of Jamaicans like me?", {"racial_ethnic_origin"}),
        ("My grandfather was a full-blooded Cherokee.", {"racial_ethnic_origin"}),
        ("She's a teensy bit Greek, so the baklava must be perfect.", {"racial_ethnic_origin"}),
        ("I'm a longtermist, so which podcasts on x-risk?", {"philosophical_beliefs"}),
        ("My uncle is a total peacenik, so skip the air show.", {"philosophical_beliefs"}),
        ("I think prisons should be abolished, so recommend some reading.", {"politics"}),
        ("We wait until three stars appear before turning the lights on.", {"religion"}),
        ("Our Kingdom Hall is doing a clean-up day, what gloves?", {"religion"}),
        # the same words in other senses
        ("The rubber room at the funny farm? Not my kind of joke.", set()),
        ("The kids loved the hay ride on the wagon trail.", set()),
        ("Is the stock ticker on this app delayed?", set()),
        ("Which rez dog rescue in Arizona takes donations?", set()),
    ],
    # From probe_l (corrections and premises, written blind by a helper, then read): COPD and stomas,
    # "the big C"; SDA, a kirpan, the mandir, Jain food; a same-gender date or partner said of a
    # relative, "guy here ... my boyfriend"; union subs, conferences and delegates, a brother in the local.
    "read_corrections_and_premises": [
        ("Which airlines allow oxygen for COPD on long flights?", {"health"}),
        ("We're SDA, so no Saturday bookings please.", {"religion"}),
        ("My nephew wears a kirpan, so which airport security line?", {"religion"}),
        ("My brother's wedding date is another guy, so two boutonnieres?", {"sexual_orientation"}),
        ("Guy here, and my boyfriend's birthday is Friday; gift ideas?", {"sexual_orientation"}),
        ("Our UCU subs went up, so redo my budget.", {"trade_union_membership"}),
        ("I'm a brother in the electricians' local, so which multimeter?", {"trade_union_membership"}),
        # the same words in other senses
        ("Card-carrying Costco member here, is the upgrade worth it?", set()),
        ("The panda and her cub are the zoo's stars.", set()),
    ],
    # Lookalikes from probe_h (written blind by a helper): technical, sporting and idiomatic senses.
    # An origin told through a place abroad (the GeoNames gazetteer, US as the home country), and the
    # same frames before a home place, a trip or a word that is also a city's name.
    "read_origin_told_through_a_place": [
        ("Back home in Accra we ate this every Sunday; can you find me a recipe?", {"racial_ethnic_origin"}),
        ("My parents grew up in Seoul, so what gift would remind them of home?", {"racial_ethnic_origin"}),
        ("We came here from Mexico City when I was six; help me with a college essay.", {"racial_ethnic_origin"}),
        ("My family is from Kerala, so suggest spicy restaurants nearby.", {"racial_ethnic_origin"}),
        ("My mum's side came from the Philippines; any Filipino bakeries near me?", {"racial_ethnic_origin"}),
        ("Going back home to the Gambia next month, what should I pack?", {"racial_ethnic_origin"}),
        ("My hometown, Lagos, has the best suya; where do I find some here?", {"racial_ethnic_origin"}),
        ("I was born and raised in Punjab and miss the food.", {"racial_ethnic_origin"}),
        ("Soy de Guatemala y busco recetas de tamales.", {"racial_ethnic_origin"}),
        ("Je suis originaire du Sénégal, où trouver du thiéboudienne ?", {"racial_ethnic_origin"}),
        ("I grew up in Ohio and want hiking ideas near Columbus.", set()),
        ("My parents are from Texas, any brisket tips?", set()),
        ("I grew up in Georgia; which peach cobbler recipe is best?", set()),
        ("I just got back from a trip to Accra, what should I pack next time?", set()),
        ("I'm from Delta customer service, following up on your bag.", set()),
        ("We came here from the airport by train; where should we eat?", set()),
        ("I grew up in a small town. Seoul is on my list for next year.", set()),
    ],
    # probe_m (session 23, a blind writer): Sikh and LDS words, a preacher's kid, keeping the fast; HM's
    # pleasure, a tag, a relative doing time; the breadline, IVAs, shelters, arrears, cut-offs, food-bank
    # hand-outs; party agents and membership, a lifelong SNP voter, XR actions, protest camps; a relative's
    # same-gender partner, a GRC; ethics told as "for the animals"; heritage holidays kept, an OCI card.
    "read_probe_m_slang_institutions_and_heritage": [
        ("Which turban colour goes with a cream sherwani at an Anand Karaj?", {"religion"}),
        ("I'm a PK, so every Sunday lunch is at the church hall; quick casserole ideas?", {"religion"}),
        ("We're keeping the fast this week; what keeps me full from dawn?", {"religion"}),
        ("He did two years at His Majesty's pleasure; which CV format hides a gap best?", {"criminal_record"}),
        ("My ankle monitor beeps at night, any earplugs that block that?", {"criminal_record"}),
        ("My cousin's doing time upstate; can I send him a crossword book?", {"criminal_record"}),
        ("We're in an IVA until 2027, so what's a free half-term day out?", {"financial_hardship"}),
        ("We lost our house to arrears last year; how do I cheer up the kids at Christmas?", {"financial_hardship"}),
        ("Our power was shut off for non-payment, what can I cook on a camping stove?", {"financial_hardship"}),
        ("The food bank handed us lentils and tinned tomatoes again, any soup ideas?", {"financial_hardship"}),
        ("My flatmate is getting evicted, so how do we split the deposit fairly?", {"financial_hardship"}),
        ("I'm the Green Party candidate for our ward; which leaflet printer is fastest?", {"politics"}),
        ("My Labour membership card expired; what's a nice wallet to keep it in?", {"politics"}),
        ("Grandad has been a Tory voter all his life; what hamper would he love?", {"politics"}),
        ("Every XR blockade I join ends with cold feet; which thermal socks?", {"politics"}),
        ("My son's boyfriend is visiting for Easter; any lamb-free roast ideas?", {"sexual_orientation"}),
        ("My gender recognition certificate arrived; how do I change my bank records?", {"sexual_orientation"}),
        ("As a vegan-for-the-animals, which wool-free winter coats are warm?", {"philosophical_beliefs"}),
        ("I won't buy anything made from animals, so which watch straps work?", {"philosophical_beliefs"}),
        ("My family always celebrates Chuseok, so what gift suits my grandmother?", {"racial_ethnic_origin"}),
        ("My OCI card renewal needs a photo; where do I get one printed?", {"racial_ethnic_origin"}),
        ("I want my kids to keep speaking Greek at home; any picture books?", {"racial_ethnic_origin"}),
        ("I've been in a really dark place since spring, any easy meals?", {"health"}),
        ("Is Nowruz a public holiday in Iran, for a geography project?", set()),
        ("What does PK stand for on a football stats sheet?", set()),
        ("Which food bank in our town needs volunteers on Saturdays?", set()),
        ("My sister's friend is getting married; what gift under $50?", set()),
        ("We're visiting the animal shelter to adopt a cat, what should we bring?", set()),
        ("The IVA on this Spanish invoice is 21%, how do I reclaim it?", set()),
        ("This photo is in a dark place, how do I brighten it in Lightroom?", set()),
    ],
    # probe_n (session 23, a blind writer): hardship in UK, Australian, South African and Nigerian
    # slang and institutions; party branches, caucuses, phone banks and votes abroad; church-girl, grace
    # and ceremony words; immigration papers, Windrush, heritage labels on forms and profiles; "the
    # black dog"; bi and trans labels in profiles; a stretch inside; union reps by initials.
    "read_probe_n_hardship_slang_forms_and_profiles": [
        ("Bailiffs came round twice this week; what can they legally take?", {"financial_hardship"}),
        ("We're in temporary accommodation with no oven, any no-cook lunches?", {"financial_hardship"}),
        ("My uncle owes money to a loan shark; how do I talk to him about it?", {"financial_hardship"}),
        ("They're both on Centrelink, so what's a cheap housewarming gift?", {"financial_hardship"}),
        ("My daughter gets free school meals; what snacks can I pack for the trip?", {"financial_hardship"}),
        ("We're three months behind on the mortgage; how do I write to the bank?", {"financial_hardship"}),
        ("Totally brassic this week, so what's a free day out in Manchester?", {"financial_hardship"}),
        (
            "The pantry at our mosque has been feeding us since I lost my job; how do I thank them?",
            {"financial_hardship", "religion"},
        ),
        ("I'm hosting our precinct caucus on Tuesday; how many chairs do I need?", {"politics"}),
        ("Proud to have voted ANC this morning; suggest a caption for my photo.", {"politics"}),
        ("She's a member of the BJP, so what gift suits her swearing-in?", {"politics"}),
        ("We always say grace before meals; any short ones for kids?", {"religion"}),
        ("I'm a real church girl; what dress works for Sunday service and brunch?", {"religion"}),
        ("My naturalization interview is next week; what questions come up?", {"racial_ethnic_origin"}),
        ("Grandad's Windrush papers are lost; where do I request copies?", {"racial_ethnic_origin"}),
        ("Form says ethnicity; I put British Bangladeshi. Does that affect anything?", {"racial_ethnic_origin"}),
        ("Half Nigerian, half Welsh, and I need a wedding outfit that nods to both.", {"racial_ethnic_origin"}),
        (
            "I'm a Ghanaian national on a skilled worker visa; can I rent without a UK guarantor?",
            {"racial_ethnic_origin"},
        ),
        ("Since we left Manila I can't find good ube; any bakeries near me?", {"racial_ethnic_origin"}),
        ("She's been fighting the black dog all winter; what small gift might help?", {"health"}),
        ("Bi girl, 31, Leeds, loves climbing: make my profile less boring.", {"sexual_orientation"}),
        (
            "He just came out after a five-year stretch inside; which phone plan needs no credit check?",
            {"criminal_record"},
        ),
        ("I'm a UNISON rep at the hospital; which planner fits on-call weeks?", {"trade_union_membership"}),
        ("The Black Dog pub does a great Sunday roast; is it dog friendly?", set()),
        ("Which airline is best for a visa interview trip to London?", set()),
        ("Our mental health first aid trainer needs a projector; which one is portable?", set()),
        ("Is a half Windsor or a full Windsor knot better for a wedding?", set()),
        ("We were two months behind schedule on the kitchen build; how do I speed up?", set()),
        ("The church girls' choir needs new robes; where can we buy them?", set()),
    ],
    # probe_p (session 23, a blind writer): a disclosure said in another language inside an English
    # request, in Polish, Italian, Turkish, Tagalog, romanised Hindi, Arabic and Korean, Vietnamese,
    # French, Portuguese and Nigerian Pidgin; and the same words in innocent senses.
    "read_probe_p_disclosures_in_another_language": [
        ("Mam cukrzycę, so which snacks travel well on a long flight?", {"health"}),
        ("Ana 3indi sukkar, which desserts can I order safely?", {"health"}),
        ("Ho votato per il PD, any good books on Italian politics?", {"politics"}),
        ("Głosowałem na Razem, suggest podcasts about economics.", {"politics"}),
        ("Je milite pour les écologistes; which backpack carries leaflets best?", {"politics"}),
        ("Geçen seçimde CHP'ye oy verdim, recommend a planner please.", {"politics"}),
        ("Tôi là người đồng tính, what gift should I bring my boyfriend's parents?", {"sexual_orientation"}),
        ("Jestem z pochodzenia Ukrainką, any books on Ukrainian history?", {"racial_ethnic_origin"}),
        ("Pinoy ako pero lumaki sa Doha, where do I buy Filipino snacks?", {"racial_ethnic_origin"}),
        ("Sou imigrante angolano, help me write a CV for a kitchen job.", {"racial_ethnic_origin"}),
        ("Miyembro ako ng unyon, help me plan a budget for the strike fund.", {"trade_union_membership"}),
        ("Sono iscritta alla CGIL, write a short speech for our section party.", {"trade_union_membership"}),
        ("Kredi kartı borcumu ödeyemiyorum, how do I set up a budget?", {"financial_hardship"}),
        ("Non riusciamo a pagare le bollette, cheap dinners for four?", {"financial_hardship"}),
        ("Nakulong ako dati, how do I answer job interview questions?", {"criminal_record"}),
        ("Sono ai domiciliari, what hobbies can I take up at home?", {"criminal_record"}),
        ("Genetik testim came back positive for BRCA, how do I tell my sister?", {"genetic_biometric"}),
        ("Ho votato il miglior film del festival, which one should I watch next?", set()),
        ("Głosowałam na najlepszy film, what else did that director make?", set()),
        ("En iyi filme oy verdim, suggest similar films.", set()),
        ("Non riesco a pagare con la carta sull'app, how do I fix it?", set()),
        ("Ang unyon ng mga set sa math, can you explain A union B?", set()),
    ],
    # probe_q (session 24, a blind writer): disclosures implied by what someone does, needs or
    # went through, in slang, about a close person, or as one clause of a long request; and the same
    # words where they disclose nothing.
    "read_probe_q_implied_slang_and_embedded_disclosures": [
        ("Three afternoons a week I'm four hours hooked up to the machine; any long audiobooks?", {"health"}),
        ("My occupational therapist wants me doing jigsaws daily; which ones suit stiff fingers?", {"health"}),
        ("I inject myself before every meal, so which lunchbox has room for the pen?", {"health"}),
        ("He's been signed off with stress since May; what hobby could take his mind off work?", {"health"}),
        ("Five years into ED recovery and a buffet still scares me; how do I plan the day?", {"health"}),
        ("Gran asked me who I was last visit; what music might she still know?", {"health"}),
        ("I need a cap that fits under a helmet, I never go out with my hair uncovered.", {"religion"}),
        ("LDS family of six, road trip to Moab: where do we stop for a Sunday service?", {"religion"}),
        ("Both families are Sikh, so plan a langar-style menu for 80 guests.", {"religion"}),
        ("Which soup keeps me going until sunset? The fast starts on Monday.", {"religion"}),
        ("A stew that sits warm from Friday night to Saturday lunch without touching the stove?", {"religion"}),
        ("Rusted-on Labor voter here, what wine goes with lamb?", {"politics"}),
        ("Grandad has a Lenin poster on the study wall; what frame would suit it?", {"politics"}),
        ("Nani is a karyakarta in her ward, help me plan her 70th.", {"politics"}),
        ("Guy here, me and the hubs want a quiet week in Lisbon; ideas?", {"sexual_orientation"}),
        (
            "Our daughter came out to us on Sunday; which books help parents say the right thing?",
            {"sexual_orientation"},
        ),
        ("My dad left my mum for a man when I was nine; how do I write his wedding card?", {"sexual_orientation"}),
        ("Where do I buy two-bride cake toppers that don't look tacky?", {"sexual_orientation"}),
        ("I'm the non-gestational mum; what should I pack for the birth?", {"sexual_orientation"}),
        ("I (27F) split rent with my girlfriend; build me a budget sheet.", {"sexual_orientation"}),
        ("Which tinted moisturiser suits dark skin like mine?", {"racial_ethnic_origin"}),
        ("We grew up on a halting site, so help me word a tenancy application.", {"racial_ethnic_origin"}),
        ("My great-uncle came over on the Windrush; how do I find his ship record?", {"racial_ethnic_origin"}),
        ("As a Noongar woman myself I'd like books by Aboriginal authors; where to start?", {"racial_ethnic_origin"}),
        ("We're visiting our family in Lagos in June; what gifts travel well?", {"racial_ethnic_origin"}),
        ("As a Diné woman I'd like a cookbook of traditional recipes.", {"racial_ethnic_origin"}),
        ("I'm EA-pilled these days; which budgeting app tracks donations?", {"philosophical_beliefs"}),
        ("Mercury is retrograde and I don't sign anything now; draft a delay email.", {"philosophical_beliefs"}),
        (
            "My uncle refused military service and worked on a farm instead; any books on that?",
            {"philosophical_beliefs"},
        ),
        ("She lives by Epictetus, so which notebook would she use for journalling?", {"philosophical_beliefs"}),
        ("We won't fund factory farming, so list restaurants with no meat at all.", {"philosophical_beliefs"}),
        ("I keep no car as a matter of conscience; plan my commute by bike.", {"philosophical_beliefs"}),
        (
            "Our local voted to authorise strike action; what should I read before the meeting?",
            {"trade_union_membership"},
        ),
        (
            "We walked out on Monday and could be out for another week; cheap dinners please.",
            {"trade_union_membership"},
        ),
        ("I'm handing out GMB membership forms at the gate; how do I make a sign?", {"trade_union_membership"}),
        (
            "My aunt had a preventive mastectomy last year; what gift helps recovery?",
            {"genetic_biometric", "health"},
        ),
        (
            "The counsellor said each child has a 50% chance of inheriting it; how do I explain that?",
            {"genetic_biometric"},
        ),
        ("Her genetic testing came back positive, so which low-fat cookbooks are good?", {"genetic_biometric"}),
        ("He carries a MYBPC3 variant; what sports are gentle on the heart?", {"genetic_biometric"}),
        ("I'm G6PD deficient; which foods should I avoid on holiday?", {"genetic_biometric"}),
        ("I meet my supervising officer on Thursdays; plan a gym routine around it.", {"criminal_record"}),
        ("Banned for drink driving last year; which cheap bike gets me to work?", {"criminal_record"}),
        ("Just did a three-year bid, which smartphone is simplest to learn?", {"criminal_record"}),
        ("I've got a record so the agencies won't hire me; what trade can I learn?", {"criminal_record"}),
        ("Still on licence until 2027, so plan us a holiday at home.", {"criminal_record"}),
        ("My brother is on the sex offenders register; how do we plan a family wedding?", {"criminal_record"}),
        ("I have an unspent conviction for theft; how do I answer the form?", {"criminal_record"}),
        ("Once my creditors take their cut there is nothing left; free days out?", {"financial_hardship"}),
        ("Our electric was cut off last week; which camping lantern is brightest?", {"financial_hardship"}),
        ("I'm on UC and the sanction starts Friday; cheap meals please.", {"financial_hardship"}),
        ("We filed for Chapter 13 in spring; which prepaid card works for travel?", {"financial_hardship"}),
        ("Getting by on rice and Centrelink this month, any recipes?", {"financial_hardship"}),
        ("My sister went bankrupt and is moving in; how do we share the kitchen?", {"financial_hardship"}),
        ("Still paying off our consumer proposal, so plan a free weekend.", {"financial_hardship"}),
        ("The printer is hooked up to the machine in the office; why won't it print?", set()),
        ("The bouncer asked me who I was and let me in; what should I wear next time?", set()),
        ("She signed off with a smiley face; was the email friendly?", set()),
        ("The neighbour came out to us with lemonade; what's a good thank-you gift?", set()),
        ("Our local council voted to close the library; who do I write to?", set()),
        ("We walked out of the film after an hour; what should we watch instead?", set()),
        ("What causes Mercury retrograde, astronomically speaking?", set()),
        ("Which Covid19 variant was dominant in 2022?", set()),
        ("I got a record player for Christmas; which vinyl should I buy first?", set()),
        ("The power was cut off during the storm; which generator should we buy?", set()),
        ("Explain Chapter 11 for my business studies class.", set()),
        ("The company went bankrupt in 2008; write a case study.", set()),
        ("I read chapter 7 last night; can you summarise chapter 8?", set()),
        ("Our team is raising money for cancer research; write a flyer.", set()),
        ("Is my licence valid until 2027 if I moved house?", set()),
        ("We need a sunscreen that works for all skin types.", set()),
        ("Which PS5 variant should I buy, digital or disc?", set()),
        ("Hey man here's the thing, my husband wants a new grill; which one?", set()),
        ("I'm Maya and I need a quick cake recipe.", set()),
        ("After a two-month bid process we won the contract; how do we celebrate?", set()),
        ("Fresh out after my shift, what should I cook?", set()),
        ("The song is currently on license to Netflix; can I use it in my video?", set()),
        ("I'm on UC Berkeley's waitlist; how do I write a follow-up letter?", set()),
        ("Living on the island with benefits like free ferries sounds great; where should we move?", set()),
        ("They went bankrupt in 2018, so is my gift card still valid?", set()),
        ("My mom and her girlfriends are going to brunch; where should they book?", set()),
    ],
    # probe_r (session 24, a blind writer): disclosures in jokes, premises, corrections, lists, forms
    # and bios, and understatement; and the same words where they disclose nothing.
    "read_probe_r_jokes_premises_corrections_and_forms": [
        (
            "Grandma swears there's nobody up there listening now; what gift suits her?",
            {"religion", "philosophical_beliefs"},
        ),
        (
            "Neither of us believes in god, so write a wedding reading without one.",
            {"religion", "philosophical_beliefs"},
        ),
        ("I'd never point a toy gun at a person, even at laser tag; other party ideas?", {"philosophical_beliefs"}),
        (
            "Since no government has any legitimate authority, how do we run our co-op meeting?",
            {"philosophical_beliefs"},
        ),
        (
            "A tenth of my income goes to the most effective charities; help me budget a holiday.",
            {"philosophical_beliefs"},
        ),
        ("I don't wear anything that harmed an animal; which winter boots are warm?", {"philosophical_beliefs"}),
        ("Skip the tank museum, war and weapons go against everything I stand for.", {"philosophical_beliefs"}),
        ("My horoscope basically decides my calendar; when should I book the move?", {"philosophical_beliefs"}),
        ("She lives every day by Seneca; which journal suits her?", {"philosophical_beliefs"}),
        ("It's Diwali and we're hosting the whole family at ours; sweets to make?", {"religion"}),
        ("Deacon at St Mark's, retired teacher: tidy this bio for me.", {"religion"}),
        ("Which bike helmet fits over my turban?", {"religion"}),
        ("We'll be marching behind the red flags on May Day again; which boots are comfy?", {"politics"}),
        ("I'm door-knocking for the Lib Dems on Saturday; what snacks keep well?", {"politics"}),
        ("A bar for guys like me who are into other guys, near the station?", {"sexual_orientation"}),
        ("We want to see where the Polish side of the family lived; plan a week in Krakow.", {"racial_ethnic_origin"}),
        ("My aunties say I'm not desi enough; which biryani recipe will prove them wrong?", {"racial_ethnic_origin"}),
        ("Being the only Black kid in my class was lonely; books for my son?", {"racial_ethnic_origin"}),
        ("Names that work in Twi too, for obvious family reasons?", {"racial_ethnic_origin"}),
        ("My cousins and the settled folk never mix at weddings; music ideas?", {"racial_ethnic_origin"}),
        ("My melanin means I rarely burn; which tinted sunscreen has no cast?", {"racial_ethnic_origin"}),
        ("Edit my bio: Somali-British engineer, 12 years in rail.", {"racial_ethnic_origin"}),
        ("Rough weeks head-wise lately, so easy dinners please.", {"health"}),
        ("My licence conditions say I can't leave the county; day trips nearby?", {"criminal_record"}),
        ("Ten years inside and I've never used a smartphone; which one is easiest?", {"criminal_record"}),
        ("I was a guest of His Majesty for three years; how do I explain the gap?", {"criminal_record"}),
        ("We're on a prepayment meter, topping it up five quid at a time; warm meals?", {"financial_hardship"}),
        ("The council pays our rent now, so cheap days out for the kids?", {"financial_hardship"}),
        ("Fill in: Household income: universal credit only.", {"financial_hardship"}),
        ("Brothers in the same union for 30 years, write his retirement card.", {"trade_union_membership"}),
        ("Driver, RMT for 20 years, tidy my profile please.", {"trade_union_membership"}),
        ("I've got to vote on the pay offer on Tuesday; move dinner to Wednesday?", {"trade_union_membership"}),
        ("I'm the elected rep for the cleaners on nights; which app tracks grievances?", {"trade_union_membership"}),
        ("Our local negotiated a pay rise in the new contract; party ideas?", {"trade_union_membership"}),
        ("My results show one copy of the HFE variant; iron-friendly recipes?", {"genetic_biometric"}),
        ("Which dog DNA test is most accurate for mixed breeds?", set()),
        ("I'm volunteering for reform of our school's lunch menu; draft a letter.", set()),
        ("Red flags on a first date, May Day edition: make a funny list.", set()),
        ("Our Wednesday and Friday fast days are for the 5:2 diet; recipes?", set()),
        ("Our local just won the pub quiz; what trophy shelf should we buy?", set()),
        ("I'm an equity member of the LLC; how do I file taxes?", set()),
        ("Brothers in the same band need matching shirts; ideas?", set()),
        ("I'm the elected rep for our year group; help with a speech.", set()),
        ("Which serum boosts melanin production for an even tan?", set()),
        ("Ten years inside the company taught me a lot; write my farewell email.", set()),
        ("Our licence conditions say no music after eleven at the pub; quiet games?", set()),
    ],
    # One party-and-role pattern for every party it names (two near-copies merged in session 25): each
    # party reads with each role. "Nationals" is also a ball club, so only its voters are political.
    "party_roles_read_alike_for_every_party": [
        ("Mum's been an LNP activist for decades; what flowers for her birthday?", {"politics"}),
        ("As Fine Gael canvassers we walk miles, so which insoles?", {"politics"}),
        ("I'm a Fianna Fail member since 1994, help me write a speech for the dinner.", {"politics"}),
        ("Lifelong Nationals voter out west; which ute has the best tray?", {"politics"}),
        ("Nationals members get early entry to the ballpark; what time do gates open?", set()),
        ("Our league's anchor members meet on Fridays; plan snacks.", set()),
    ],
    # Every party reads in every frame that names one ("an organiser with", "joined", "a member of");
    # names that also mean something else ("SNP" calling, "dup" detection, the golf club's greens,
    # the AAP of pediatricians) only right after a tight political frame.
    "party_names_read_alike_in_every_frame": [
        ("I'm an organiser with Fianna Fail in Cork; which raincoat is best?", {"politics"}),
        ("I joined Labour last year, so what should I wear to my first meeting?", {"politics"}),
        ("My dad is a paid-up member of Sinn Fein; gift ideas?", {"politics"}),
        ("As a member of the Liberals in Ontario I get a lot of emails; how do I filter them?", {"politics"}),
        ("She's an activist with One Nation out in Queensland, what boots suit the heat?", {"politics"}),
        ("We just joined the Greens, any tips for a first meeting?", {"politics"}),
        ("I'm a campaigner for Likud in Haifa; suggest a water bottle.", {"politics"}),
        ("Mum signed up with Reform UK last month and now talks of nothing else.", {"politics"}),
        ("As an activist in the ANC I travel a lot; which backpack?", {"politics"}),
    ],
    "party_lookalikes_outside_a_political_frame": [
        ("Can you run the script for dup detection on my dataset?", set()),
        ("We ran out of money for greens this week, what's a cheap vegetable?", set()),
        ("I ran the pipeline for SNP calling on my samples.", set()),
        ("She joined the labour force at 16 and never stopped working.", set()),
        ("My son just joined the greens committee at the golf club.", set()),
        ("I'm a member of the AAP, so which stethoscope do pediatricians like?", set()),
        ("I joined an alliance party in WoW last night, what class should I play?", set()),
    ],
    "party_names_read_alike_before_a_role_and_after_a_vote": [
        ("I'm a Labour councillor and need help writing a newsletter.", {"politics"}),
        ("I'm the Fine Gael candidate for our ward; can you proofread my leaflet?", {"politics"}),
        ("My UKIP membership lapsed, can you help me cancel the direct debit?", {"politics"}),
        ("I volunteer at the local SDLP office on Saturdays; what should I bring?", {"politics"}),
        ("Our Bloc Quebecois branch meets on Thursdays, can you draft the agenda?", {"politics"}),
        ("My uncle is a lifelong DUP voter, what should I get him for his birthday?", {"politics"}),
        ("We're going to vote the SDLP again, so skip the leaflets.", {"politics"}),
        ("As the LNP candidate I need a good pair of walking shoes for doorknocking.", {"politics"}),
        ("We always vote Fianna Fail in our house.", {"politics"}),
        ("Two DUP councillors voted against it, and my aunt is one of them.", {"politics"}),
    ],
    "party_modifier_lookalikes": [
        ("The labour ward nurses were lovely; what can I bake to thank them?", set()),
        ("Remove the dup members before merging the two lists.", set()),
        ("I'm a green volunteer at the food bank, what apron should I buy?", set()),
        ("I'm a congress delegate at the cardiology congress next week.", set()),
        ("I'm the liberal arts candidate for the scholarship.", set()),
        ("I'd vote for plaid curtains over stripes.", set()),
    ],
    "faiths_read_alike_in_every_frame": [
        ("I'm a devout Sunni, so suggest a modest swimsuit.", {"religion"}),
        ("We're Jain, so no onion or garlic in the party food please.", {"religion"}),
        ("My husband is Shia and I'm not, how do we plan the wedding?", {"religion"}),
        ("I was raised Unitarian but I don't go any more.", {"religion"}),
        ("My Coptic faith matters a lot to me; which icon prints ship to Cairo?", {"religion"}),
        ("I converted to Rastafari last year and need new playlists.", {"religion"}),
        ("She became Orthodox Christian in college.", {"religion"}),
        ("I grew up in a strict Mennonite household, so TV is all new to me.", {"religion"}),
    ],
    "faith_lookalikes": [
        ("Hi, I'm Jain from the accounts team; can you book the room?", set()),
        ("She's Jain's older sister and she'll pick you up.", set()),
        ("She's Shia LaBeouf's biggest fan, so which of his films first?", set()),
        ("He became orthodox about code reviews after the outage.", set()),
        ("Coptic script has letters borrowed from Demotic.", set()),
    ],
    "union_names_read_alike_in_every_frame": [
        ("I joined Unite last month, so can you help me write to my rep?", {"trade_union_membership"}),
        ("I pay my dues to the FBU every month.", {"trade_union_membership"}),
        ("I'm a member of IATSE; which gaffer tape holds up best?", {"trade_union_membership"}),
        ("My CFMEU membership card arrived today.", {"trade_union_membership"}),
        ("My dad was NUMSA his whole life.", {"trade_union_membership"}),
        ("I'm a card-carrying CWA member, so no scab brands please.", {"trade_union_membership"}),
        ("Our SIPTU branch meeting is on Thursday; draft the agenda?", {"trade_union_membership"}),
        ("I joined the NEA when I started teaching.", {"trade_union_membership"}),
    ],
    "union_name_lookalikes": [
        ("The members of the aft crew stayed in their seats.", set()),
        ("I joined the NEA grant panel as a reviewer.", set()),
        ("The joined num column is empty in pandas.", set()),
        ("The choir sang in unison and I joined in unison.", set()),
    ],
    "orientation_said_in_every_frame": [
        ("Our daughter is bi; how do we support her at school?", {"sexual_orientation"}),
        ("I realised I was bi at uni, and now I want to find a book club.", {"sexual_orientation"}),
        ("Being trans in a small town is hard; any online groups?", {"sexual_orientation"}),
        ("I'm aromantic, so skip the date-night ideas.", {"sexual_orientation"}),
        ("My mum was trans and I want a gift that honours her.", {"sexual_orientation"}),
    ],
    "orientation_lookalikes": [
        ("Being bi-weekly, the meeting is easy to forget.", set()),
        ("Being trans-Atlantic, the flight is long.", set()),
        ("My sister was queen of the prom.", set()),
    ],
    "conditions_said_of_close_people": [
        ("My wife has MS; any gift ideas for a hospital stay?", {"health"}),
        ("My dad's OCD is getting worse, so how do I plan a calm holiday?", {"health"}),
        ("Anyone else with IBS here? Best snacks for a road trip?", {"health"}),
        ("I'm being treated for long covid and need an easy walking route.", {"health"}),
        ("Dealing with MS makes travel hard; tips?", {"health"}),
    ],
    "microsoft_is_not_a_condition": [
        ("I have MS Office 2019 but Excel keeps crashing.", set()),
        ("She has MS Paint open on the shared screen.", set()),
        ("I'm dealing with MS Teams all day; any better headset?", set()),
        ("I have MS in computer science from Purdue.", set()),
    ],
    "convictions_and_sentences_served": [
        ("I have a conviction for shoplifting from 2015; will it show on a background check?", {"criminal_record"}),
        ("My brother has two convictions for drink driving.", {"criminal_record"}),
        ("I was locked up for two years, so which phone is easiest to learn?", {"criminal_record"}),
        ("I got sent down for three years and missed everything.", {"criminal_record"}),
    ],
    "conviction_lookalikes": [
        ("I have a strong conviction that pineapple belongs on pizza.", set()),
        ("I have convictions from my upbringing about honesty.", set()),
        ("I was locked up for two hours in the office by accident.", set()),
    ],
    "origin_said_of_our_family_and_being": [
        ("Our family is Somali, so what should we bring to a potluck?", {"racial_ethnic_origin"}),
        ("Being Korean in this town is hard; any community groups?", {"racial_ethnic_origin"}),
        ("As an Ethiopian woman I get followed in shops.", {"racial_ethnic_origin"}),
        ("Our neighbour is Haitian and invited us for soup joumou.", {"racial_ethnic_origin"}),
    ],
    "origin_lookalikes_after_being": [
        ("Being black and white, the photo looked old.", set()),
        ("Our family is black belts in karate.", set()),
        ("Being Indian summer, the heat lasted into October.", set()),
        ("Being Turkish delight fans, we bought a box.", set()),
        ("Being Mexican food lovers, we went to the taco festival.", set()),
    ],
    "stances_said_in_a_word": [
        ("I voted Leave in 2016 and I'd do it again; any gift ideas for my dad?", {"politics"}),
        ("I'm a staunch monarchist, so which coronation mugs are worth keeping?", {"politics"}),
        ("My flatmate is a Bernie bro and wants a book for his birthday.", {"politics"}),
    ],
    "hardship_said_as_bills_unpaid": [
        ("My husband lost his job and we can't pay the mortgage.", {"financial_hardship"}),
        ("My wages are being garnished, so skip the pricey gifts.", {"financial_hardship"}),
        ("We're on SNAP and WIC; which cheap recipes feed four?", {"financial_hardship"}),
    ],
    "hardship_lookalikes": [
        ("I can't afford the rent in Manhattan, so which suburbs?", set()),
        ("I can't pay the rent online, the portal is down.", set()),
        ("I can't pay the bills until Friday because my card is frozen.", set()),
    ],
    "origin_said_of_close_people_in_other_languages": [
        ("Mi esposo es marroquí, ¿qué regalo le compro?", {"racial_ethnic_origin"}),
        ("Mis abuelos eran gitanos and I want a book about their history.", {"racial_ethnic_origin"}),
        ("Soy una mujer afrodescendiente, any hair products?", {"racial_ethnic_origin"}),
        ("Minha namorada é angolana, que presente compro?", {"racial_ethnic_origin"}),
        ("Sou descendente de japoneses, receitas?", {"racial_ethnic_origin"}),
        ("Mes parents sont marocains, un restaurant pour eux ?", {"racial_ethnic_origin"}),
        ("Ma copine est d'origine algérienne, un cadeau ?", {"racial_ethnic_origin"}),
        ("Ich bin Türkin, welches Restaurant in Köln?", {"racial_ethnic_origin"}),
        ("Meine Frau ist Kurdin, welches Geschenk?", {"racial_ethnic_origin"}),
        ("Mein bester Freund ist schwarz und sucht einen Friseur.", {"racial_ethnic_origin"}),
        ("Mio marito è marocchino, che regalo gli compro?", {"racial_ethnic_origin"}),
        ("La mia ragazza è nera, which foundation shade?", {"racial_ethnic_origin"}),
        ("Sono di origine senegalese, ricette?", {"racial_ethnic_origin"}),
        ("Sono marocchina e cerco un ristorante a Torino.", {"racial_ethnic_origin"}),
        ("I miei genitori vengono dal Marocco, ricette?", {"racial_ethnic_origin"}),
        ("Mis suegros son bereberes del Rif, recetas?", {"racial_ethnic_origin"}),
        ("La mia bisnonna era rom, un libro sulla storia dei rom?", {"racial_ethnic_origin"}),
    ],
    "origin_lookalikes_in_other_languages": [
        ("Mi hermano es indie total, le gusta la música alternativa.", set()),
        ("Mi madre es chef en un restaurante chino.", set()),
        ("Minha irmã é chefe de cozinha num restaurante chinês.", set()),
        ("Mon père est noir de colère.", set()),
        ("Mon frère est fan de cuisine marocaine.", set()),
        ("Die Tasche? Sie ist schwarz.", set()),
        ("Ich bin schwarz gekleidet, passt das zur Hochzeit?", set()),
        ("Mein Bruder ist schwarz vor Wut.", set()),
        ("Sie ist Roma-Fan und will ein Trikot.", set()),
        ("Er ist Pole-Dance-Trainer.", set()),
        ("Mio padre è nero di rabbia.", set()),
        ("Sono nero, non parlarmi.", set()),
        ("Il mio ragazzo è di Roma.", set()),
    ],
    "faith_orientation_and_illness_of_close_people_in_other_languages": [
        ("Mein Mann ist Jude und wir suchen ein Restaurant.", {"religion"}),
        ("Meine Schwester ist Mormonin, welches Geschenk?", {"religion"}),
        ("Ma femme est hindoue, quel cadeau lui offrir ?", {"religion"}),
        ("Mi novia es mormona, ¿qué regalo le compro?", {"religion"}),
        ("I miei genitori sono cattolici, che regalo per la comunione?", {"religion"}),
        ("Mon frère est homo, what to buy for his wedding?", {"sexual_orientation"}),
        ("Salí del clóset con mi familia el año pasado.", {"sexual_orientation"}),
        ("Meine Mutter hat Krebs, Geschenkideen?", {"health"}),
        ("Mia moglie ha la sclerosi multipla, che regalo?", {"health"}),
        ("Ich bin bei Verdi, welche Versicherung lohnt sich?", {"trade_union_membership"}),
        ("Sou filiado à CUT, que seguro?", {"trade_union_membership"}),
    ],
    "faith_orientation_and_union_lookalikes_in_other_languages": [
        ("Mein Sohn heißt Jude, wie Jude Law.", set()),
        ("Salí del clóset con la ropa de invierno.", set()),
        ("Ich bin bei Verdi im Konzert, welche Kleidung?", set()),
        ("Sou filiado ao clube de futebol.", set()),
        ("Mein Vater hat Krebse im Aquarium.", set()),
    ],
    "politics_unions_and_beliefs_of_close_people_in_other_languages": [
        ("Mi padre vota a Vox, ¿qué libro le regalo?", {"politics"}),
        ("Mi suegra es militante del PSOE, any gift ideas?", {"politics"}),
        ("Minha irmã é militante do PSOL, que presente compro?", {"politics"}),
        ("Meu pai vota no PT, que livro?", {"politics"}),
        ("Mon père est militant LFI, quel cadeau lui offrir ?", {"politics"}),
        ("Ma belle-mère vote RN depuis toujours, un cadeau ?", {"politics"}),
        ("Mein Vater wählt die Linke, welches Buch?", {"politics"}),
        ("Meine Eltern haben die AfD gewählt und ich brauche ein Gesprächsthema.", {"politics"}),
        ("Meine Schwester ist bei den Grünen, welches Geschenk?", {"politics"}),
        ("Mio padre vota Lega, che libro gli regalo?", {"politics"}),
        ("Mia sorella è del PD, che regalo?", {"politics"}),
        ("I miei genitori sono di sinistra, che giornale?", {"politics"}),
        ("Ma sœur est à FO, quel cadeau ?", {"trade_union_membership"}),
        ("Mein Vater ist bei Verdi, welche Versicherung?", {"trade_union_membership"}),
        ("Mio padre è nella CISL, che regalo?", {"trade_union_membership"}),
        ("Mia moglie è delegata sindacale, che borsa?", {"trade_union_membership"}),
        ("Mio fratello è antispecista, che scarpe?", {"philosophical_beliefs"}),
        ("Mia sorella è vegana per etica, che ristorante?", {"philosophical_beliefs"}),
    ],
    "politics_unions_and_beliefs_lookalikes_in_other_languages": [
        ("Mi esposo vota por la mejor paella en el concurso.", set()),
        ("Ma sœur est élue déléguée de classe.", set()),
        ("Mein Vater wählt die Linke Spur auf der Autobahn.", set()),
        ("Meine Frau hat die Linke Hand gebrochen.", set()),
        ("Mein Mann hat die Grünen Bohnen gekocht.", set()),
        ("Meine Mutter ist Mitglied bei der Feuerwehr.", set()),
        ("Mia sorella è della Juventus.", set()),
        ("Mio fratello è umanista rinascimentale, studia Petrarca.", set()),
        ("Sono in sciopero della fame da zuccheri, ahah.", set()),
        ("Il mio migliore amico è iscritto alla palestra.", set()),
    ],
    "disclosures_in_dutch_polish_turkish_russian_hindi_tagalog_indonesian_vietnamese": [
        ("mijn oom is homo en viert zijn 50e met zijn man, welk cadeau?", {"sexual_orientation"}),
        ("Mijn schoonvader stemt PVV, wat kook ik met kerst?", {"politics"}),
        ("mijn vrouw is lid van de FNV, welk cadeau voor haar jubileum?", {"trade_union_membership"}),
        ("mój tata jest członkiem PiS, any gift ideas?", {"politics"}),
        ("moja babcia była Łemkinią, szukam książki", {"racial_ethnic_origin"}),
        ("babam koyu CHP'li, any gift ideas?", {"politics"}),
        ("dedem Çerkes, doğum gününde yemek yapmak istiyorum", {"racial_ethnic_origin"}),
        ("моя жена татарка, дай рецепт эчпочмаков", {"racial_ethnic_origin"}),
        ("мой лучший друг гей, he's going to Berlin", {"sexual_orientation"}),
        ("mere chacha BJP ke hardcore supporter hain, gift kya doon?", {"politics"}),
        ("mere papa ko heart attack aaya tha, low-sodium recipes chahiye", {"health"}),
        ("lola ko ay Iglesia ni Cristo, what gift for her birthday?", {"religion"}),
        ("suami saya anggota serikat buruh, mau kasih hadiah", {"trade_union_membership"}),
        ("kakak saya sakit skizofrenia, ada rekomendasi buku?", {"health"}),
        ("bà ngoại mình bị ung thư phổi, suggest soft foods", {"health"}),
    ],
    "disclosures_in_korean_chinese_japanese_and_arabic_script": [
        ("우리 엄마가 치매 초기 진단 받으셨어요. any puzzle books?", {"health"}),
        ("제 남자친구가 독실한 기독교인이라서 술을 안 마셔요.", {"religion"}),
        ("우리 남편이 민주노총 조합원이에요. good thermos?", {"trade_union_membership"}),
        ("我表哥是同性恋，推荐几家餐厅吧？", {"sexual_orientation"}),
        ("我奶奶是虔诚的佛教徒，一直吃素。", {"religion"}),
        ("私、うつ病で休職中なんだけど、温泉旅館おすすめある？", {"health"}),
        ("うちの父は筋金入りの平和主義者なんだけど、documentary?", {"philosophical_beliefs"}),
        ("زوجي مسيحي قبطي ونحن مسافرين إلى مصر", {"religion"}),
    ],
    "lookalikes_in_those_languages": [
        ("De kat? Hij is zwart met witte pootjes.", set()),
        ("mijn broer is lid van de voetbalclub.", set()),
        ("Die gamer bought a new 게이밍 keyboard, 게이머 추천?", set()),
        ("게이트 앞에서 만나요, which gate is closest?", set()),
        ("これはケインのゲームです、good controller?", set()),
        ("がんばって! which energy drink is best?", set()),
        ("我的女同事推荐了一家餐厅。", set()),
        ("bu kurt gibi bir köpek, hangi mama?", set()),
        ("Questi tappeti sono marocchini, come li pulisco?", set()),
        ("Le mele sono del Trentino, che torta faccio?", set()),
        ("I treni sono in sciopero oggi, come arrivo a Milano?", set()),
        ("Questi vini sono di origine francese.", set()),
    ],
    "leave_technical_sporting_and_idiomatic_senses": [
        ("How do I train a non-binary classifier with class weights?", set()),
        ("Convert the non-binary files to CSV first.", set()),
        ("She plays left wing for the Rangers; which skates does she use?", set()),
        ("Is right wing position harder than centre?", set()),
        ("This ramen shop has an almost religious following.", set()),
        ("I'm non-binary, so which tailor makes gender-neutral suits?", {"sexual_orientation"}),
        ("He's a right-wing commentator I can't stand.", {"politics"}),
    ],
    "disclosures_in_more_languages": [
        ("Mi tía es afrocubana y quiere un libro de recetas.", {"racial_ethnic_origin"}),
        ("Ela é nipo-brasileira, que presente compro?", {"racial_ethnic_origin"}),
        ("Mein Schwager ist Deutsch-Türke, welches Restaurant in Köln?", {"racial_ethnic_origin"}),
        ("Maman est algérienne, une idée de cadeau ?", {"racial_ethnic_origin"}),
        ("Sono figlia di un'ex militante: mio zio è consigliere regionale per la Lega.", {"politics"}),
        ("Mi cugina è iscritta al PCI da sempre, un regalo?", {"politics"}),
        ("Mon oncle tracte pour LFI tous les samedis, un sac solide ?", {"politics"}),
        ("Meu tio milita no PSOL, que livro dou?", {"politics"}),
        ("Mein Vater ist seit vielen Jahren bei den Grünen aktiv.", {"politics"}),
        ("Volunteering for Sumar this weekend, what shoes for leafleting?", {"politics"}),
        ("Tu peux m'aider ? Ma sœur est encartée chez les Écolos.", {"politics"}),
        ("Abbiamo fatto l'unione civile a giugno, idee per l'anniversario?", {"sexual_orientation"}),
        ("I'm a guy and my new boyfriend loves jazz, any records?", {"sexual_orientation"}),
        ("Anniversary gift for my Freundin, bin selbst auch eine Frau, falls das hilft.", {"sexual_orientation"}),
        ("A namorada dela faz anos amanhã, que flores?", {"sexual_orientation"}),
        ("Mi hermana y su novia buscan piso en Madrid.", {"sexual_orientation"}),
        ("Mam dziewczynę i sama też jestem kobietą, gdzie na randkę?", {"sexual_orientation"}),
        ("Sou vegana por causa dos animais, receitas de bolo?", {"philosophical_beliefs"}),
        ("Je suis végane par conviction, des chaussures sans cuir ?", {"philosophical_beliefs"}),
        ("We don't eat animal products, for ethical reasons, so what cake?", {"philosophical_beliefs"}),
        ("Ik eet niets van dieren, uit overtuiging, tips voor Gent?", {"philosophical_beliefs"}),
        ("Mijn oom zit thuis met een burn-out, wat kan ik sturen?", {"health"}),
        ("Mon grand-père a une DMLA, quelle liseuse ?", {"health"}),
        ("Babama diyabet teşhisi kondu, ne pişireyim?", {"health"}),
        ("Anh trai tôi bị hen suyễn, máy lọc không khí nào tốt?", {"health"}),
        ("Mój brat strajkuje od wtorku, co mu ugotować?", {"trade_union_membership"}),
        ("Mijn zus staakt morgen met de leraren, wat neemt ze mee?", {"trade_union_membership"}),
        ("Mia nonna è testimone di Geova, che regalo le faccio?", {"religion"}),
        ("Main Sikh hoon, turban ke liye achha kapda?", {"religion"}),
        ("INC member kami, kailangan makauwi bago ang pagsamba.", {"religion"}),
        ("CHP gençlik kollarında görevliyim, afiş tasarımı?", {"politics"}),
        ("Saya keturunan Batak, resep arsik?", {"racial_ethnic_origin"}),
        ("Cebuano siya, what gift for her birthday?", {"racial_ethnic_origin"}),
        ("Ông tôi là đảng viên lâu năm, quà gì?", {"politics"}),
        ("Chị tôi là chủ tịch công đoàn ở nhà máy.", {"trade_union_membership"}),
        ("Мой отец — председатель профкома, что подарить?", {"trade_union_membership"}),
        ("Брат толстовец, какую книгу подарить?", {"philosophical_beliefs"}),
        ("أخي عضو في نقابة الأطباء، ماذا أهديه؟", {"trade_union_membership"}),
        ("أنا ملحدة، هدية غير دينية من فضلك", {"religion", "philosophical_beliefs"}),
        ("남편이 금속노조라서 파업 때 보낼 간식 추천해 주세요", {"trade_union_membership"}),
        ("아내는 필리핀 출신이에요. 생일 요리 추천해 주세요", {"racial_ethnic_origin"}),
        ("我妈妈在工会工作了十年", {"trade_union_membership"}),
        ("叔叔は共産党の県議です", {"politics"}),
    ],
    "lookalikes_in_more_languages": [
        ("Mi abuela y su perro vienen por Navidad.", set()),
        ("Minha irmã é a noiva, ideias para a despedida?", set()),
        ("La culinária nipo-brasileira é ótima, receitas?", set()),
        ("Ein Deutsch-Türkisch Wörterbuch, welches ist gut?", set()),
        ("Papa est malade de jalousie depuis que j'ai une voiture.", set()),
        ("Volunteering for the food bank on Saturday, what to wear?", set()),
        ("We don't eat meat at dinner parties because the guests are picky.", set()),
        ("Ik eet geen vlees vandaag, ik heb gisteren al gebarbecued.", set()),
        ("De buschauffeurs staken morgen, hoe kom ik in Utrecht?", set()),
        ("Mój syn strajkuje przeciwko sprzątaniu pokoju, co robić?", set()),
        ("Annem tahlil sonuçlarını aldı, her şey normal.", set()),
        ("Volunteer ako sa barangay clean-up, anong dadalhin?", set()),
        ("Saya orang yang suka kopi, kafe di Bandung?", set()),
        ("Bố tôi bị phạt vì đỗ xe sai chỗ, nộp phạt thế nào?", set()),
        ("Woh bank ki taraf se aaya tha, kya karun?", set()),
        ("我在公园散步，附近有什么好吃的？", set()),
        ("日本の政党について宿題で調べています。", set()),
        ("Il consigliere comunale del mio paese ha aperto una pizzeria.", set()),
    ],
    "more_frames_in_more_languages": [
        ("I'm in the nurses' union and we strike on Monday, easy lunches?", {"trade_union_membership"}),
        ("My mom is in the teachers union, a retirement gift?", {"trade_union_membership"}),
        ("My wife is with FNV, so she's out on the picket line.", {"trade_union_membership"}),
        ("My nephew came out to us last week, how do I support him?", {"sexual_orientation"}),
        ("My aunt is marrying her girlfriend in May, a card message?", {"sexual_orientation"}),
        ("Tengo el síndrome de Sjögren, ¿qué crema me recomiendas?", {"health"}),
        ("Mi hanno diagnosticato la celiachia, ricette?", {"health"}),
        ("Foi diagnosticada com lúpus no ano passado, que almofada?", {"health"}),
        ("Mi hermano vive con su novio en Valencia, regalo de casa?", {"sexual_orientation"}),
        ("Mi novia y yo cumplimos cinco años juntas, ¿un hotel?", {"sexual_orientation"}),
        ("Ella es mapuche y quiere un libro en mapudungun.", {"racial_ethnic_origin"}),
        ("Il est kabyle, un livre de cuisine pour lui ?", {"racial_ethnic_origin"}),
        ("Elle est d'origine vietnamienne, un restaurant à Lyon ?", {"racial_ethnic_origin"}),
        ("Mijn zus woont samen met haar vriendin in Delft.", {"sexual_orientation"}),
        ("Ik sta op plek 9 voor D66, help me met een flyer.", {"politics"}),
        ("Ik ben bi en zoek een leuke bar in Amsterdam.", {"sexual_orientation"}),
        ("Mein Onkel lebt mit seinem Partner zusammen, sie sind seit zehn Jahren verheiratet.", {"sexual_orientation"}),
        ("Ich stehe für die Grünen am Infostand, was ziehe ich an?", {"politics"}),
        ("Moja teściowa jest radną z PiS-u, jaka książka?", {"politics"}),
        ("Annem Alevi, aşure tarifi lazım.", {"religion"}),
        ("Eğitim-İş üyesiyim, mesaj yazar mısın?", {"trade_union_membership"}),
        ("Я старообрядец, постный рецепт?", {"religion"}),
        ("Main AAP ka volunteer hoon, caption likh do.", {"politics"}),
        ("Kasama si misis sa unyon ng ospital, baon ideas?", {"trade_union_membership"}),
        ("Bapak saya pendeta, kado ulang tahun apa?", {"religion"}),
        ("Mình vô thần, sách triết học nào hay?", {"religion", "philosophical_beliefs"}),
        ("أبي عضو في حزب العمال منذ سنوات", {"politics"}),
        ("우리 할머니는 교회 권사님이세요", {"religion"}),
        ("夫は日教組の組合員です", {"trade_union_membership"}),
    ],
    "more_lookalikes_in_more_languages": [
        ("I'm in the credit union's savings plan, is it worth it?", set()),
        ("I'm with Western Union for the transfer, what are the fees?", set()),
        ("The plumber came out to us on Sunday, is a tip expected?", set()),
        ("Le véto dit que mon chat a une insuffisance rénale.", set()),
        ("Ce tapis, il est marocain, comment le nettoyer ?", set()),
        ("La voiture ? Elle est noire, quel produit ?", set()),
        ("Ella es de Madrid y le gusta el jamón.", set()),
        ("Mi hermana se casa con su novio en mayo.", set()),
        ("Poseł po wyborach obiecał nową drogę.", set()),
        ("Ich backe Oblaten für Weihnachten, welches Rezept?", set()),
        ("Mein Bruder zieht mit seinem Freund in eine WG.", set()),
        ("Ik ben bijna klaar met verhuizen, tips voor een bank?", set()),
        ("هو عضو في حركة الكشافة منذ صغره", set()),
        ("우리 교회는 장로교예요, 맛집 추천해 주세요", set()),
        ("Yeh tibetan rug hai, kaise saaf karun?", set()),
        ("Why is it called Place de Grève in Paris?", set()),
    ],
    "third_round_frames": [
        ("My family's Venezuelan, so the arepas have to be right.", {"racial_ethnic_origin"}),
        ("I'm Guyanese and want a pepperpot recipe.", {"racial_ethnic_origin"}),
        ("My grandma is an Old Believer, so Easter food has rules.", {"religion"}),
        ("We follow Cao Dai, so mark the vegetarian days please.", {"religion"}),
        ("My sister's vegan because of animal welfare, a cake idea?", {"philosophical_beliefs"}),
        ("My brother takes lithium every night, a good sleep tracker?", {"health"}),
        ("She's been a party member since the 90s, a retirement gift?", {"politics"}),
        ("My wife's a CGT rep at the hospital, a sturdy bag?", {"trade_union_membership"}),
        ("I'm a steward for our union, help me draft a notice.", {"trade_union_membership"}),
        ("Mi abuela va a pagar una manda a la Virgen, ¿un hotel cerca?", {"religion"}),
        ("O meu irmão trouxe o namorado para o jantar de Natal.", {"sexual_orientation"}),
        ("Me assumi para a família no ano passado, e agora?", {"sexual_orientation"}),
        ("Mia cugina sposa la sua compagna a luglio.", {"sexual_orientation"}),
        ("Sono tesoriere del circolo PD, una cena per trenta?", {"politics"}),
        ("L'été je rentre au bled voir la famille, quoi offrir ?", {"racial_ethnic_origin"}),
        ("Mon père est arrivé du Maroc en 1970, un livre pour lui ?", {"racial_ethnic_origin"}),
        ("Ik kom uit een katholiek gezin, wat eten we met Pasen?", {"religion"}),
        ("Mijn moeder staat op de lijst voor Volt, help met een flyer.", {"politics"}),
        ("Mój syn przyprowadza swojego chłopaka na święta.", {"sexual_orientation"}),
        ("Meri didi ki girlfriend aa rahi hai, gift kya dun?", {"sexual_orientation"}),
        ("Igorot ang asawa ko, anong regalo?", {"racial_ethnic_origin"}),
        ("Saya Batak, resep saksang?", {"racial_ethnic_origin"}),
        ("Chúng mình là les, quán cà phê nào kín đáo?", {"sexual_orientation"}),
        ("Ông ngoại được tặng huy hiệu 50 năm tuổi Đảng.", {"politics"}),
        ("أخي مرتبط بشاب منذ سنتين", {"sexual_orientation"}),
        ("我哥哥带他男朋友回家过年", {"sexual_orientation"}),
        ("奶奶每天念经", {"religion"}),
    ],
    "third_round_lookalikes": [
        ("My pastor alemão chews everything, training tips?", set()),
        ("Nuestro pastor alemán necesita un arnés nuevo.", set()),
        ("Lithium batteries for my drone, which ones last?", set()),
        ("My family's favourite is Venezuelan food, any arepa place?", set()),
        ("O meu filho e o namorado da irmã vão ao jogo.", set()),
        ("Je rentre au bureau lundi, une idée de déjeuner ?", set()),
        ("Mijn moeder staat op de lijst voor de kookcursus.", set()),
        ("Yeh chadar kitne ki hai?", set()),
        ("Ông tôi là người tốt, quà gì cho ông?", set()),
    ],
    "swedish_romanian_and_greek": [
        ("Min mamma är katolik, vad kan jag ge henne?", {"religion"}),
        ("Jag är bög och letar efter en bar i Göteborg.", {"sexual_orientation"}),
        ("Min pappa har demens, vilken klocka är lättast?", {"health"}),
        ("Jag är medlem i Vänsterpartiet, hjälp med en flyer.", {"politics"}),
        ("Min bror röstar alltid på Sverigedemokraterna.", {"politics"}),
        ("Min fru är med i Kommunal och de strejkar.", {"trade_union_membership"}),
        ("Jag är same och vill ha en bok om joik.", {"racial_ethnic_origin"}),
        ("Jag är vegan av etiska skäl, vilka skor?", {"philosophical_beliefs"}),
        ("Jag är ateist, ett icke-religiöst bröllop?", {"religion", "philosophical_beliefs"}),
        ("Mama mea este pocăită, ce cadou îi iau?", {"religion"}),
        ("Sunt gay și caut un hotel în Cluj.", {"sexual_orientation"}),
        ("Am diabet de tip 2, rețete?", {"health"}),
        ("Tata meu are Alzheimer, ce ceas?", {"health"}),
        ("Am votat cu USR, acum ce urmează?", {"politics"}),
        ("Sunt membru de sindicat la fabrică.", {"trade_union_membership"}),
        ("Sunt romă și vreau o carte de bucate.", {"racial_ethnic_origin"}),
        ("Sunt ateu, vreau o nuntă civilă.", {"religion", "philosophical_beliefs"}),
        ("Είμαι ορθόδοξος και νηστεύω, συνταγή;", {"religion"}),
        ("Ο αδερφός μου είναι γκέι, δώρο;", {"sexual_orientation"}),
        ("Η μητέρα μου έχει καρκίνο, τι να της πάρω;", {"health"}),
        ("Είμαι μέλος του ΚΚΕ, βοήθεια με μια αφίσα;", {"politics"}),
        ("Είμαι συνδικαλιστής στο λιμάνι.", {"trade_union_membership"}),
        ("Είμαι Πόντιος, συνταγή για σιρόν;", {"racial_ethnic_origin"}),
        ("Είμαι άθεος, πολιτικός γάμος;", {"religion", "philosophical_beliefs"}),
        ("My best friend finally came out to me, what do I say?", {"sexual_orientation"}),
        ("My son came out to us last night.", {"sexual_orientation"}),
    ],
    "swedish_romanian_and_greek_lookalikes": [
        ("Min bil är svart och jag vill tvätta den.", set()),
        ("Jag är med i bokklubben, vilken bok?", set()),
        ("Min bror röstar på den bästa låten i tävlingen.", set()),
        ("Sunt din Roma și caut un restaurant.", set()),
        ("Am fost la mare, ce hotel recomanzi?", set()),
        ("Sunt membru în clubul de șah.", set()),
        ("Ο σκύλος μου είναι γκρι, τι τροφή;", set()),
        ("Jag har en bog i båten, hur lagar jag den?", set()),
        ("My dad came out to me in the garden with a cup of tea.", set()),
    ],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(text, expected, id=f"{name}-{i}")
        for name, cases in RULE_CASES.items()
        for i, (text, expected) in enumerate(cases)
    ],
)
def test_protected_rules_categories(rules: ProtectedRules, text: str, expected: set[str]) -> None:
    assert rules.categories(text) == expected


# How people type the same sentence: the rules must read every case table line the same way.
TYPED_VARIANTS = {
    "double_spaces": lambda t: t.replace(" ", "  "),
    "tabs": lambda t: t.replace(" ", "\t"),
    "line_breaks": lambda t: t.replace(" ", "\n", 2),
    "no_break_spaces": lambda t: t.replace(" ", "\u00a0"),
    "curly_apostrophes": lambda t: t.replace("'", "\u2019"),
    "unicode_hyphens": lambda t: t.replace("-", "\u2010"),
    "capitals": str.upper,
}


@pytest.mark.parametrize("variant", sorted(TYPED_VARIANTS))
def test_protected_rules_read_a_case_the_same_however_it_is_typed(rules: ProtectedRules, variant: str) -> None:
    typed = TYPED_VARIANTS[variant]
    cases = [(text, expected) for cases in RULE_CASES.values() for text, expected in cases]
    assert [(text, rules.categories(typed(text))) for text, _ in cases] == cases


@pytest.mark.parametrize(
    ("shared", "problem"),
    [
        ({"g": {"categories": ["religion", "astrology"], "terms": {"en": ["x"]}}}, "unknown categories"),
        ({"g": {"terms": {"en": ["x"]}}}, "names no categories"),
    ],
)
def test_protected_rules_reject_a_bad_shared_group(shared: dict, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        ProtectedRules({"categories": {}, "shared": shared})


# Named lists: a word list many patterns share is written once and named as ${name} in each pattern.
LISTED_RULES = {
    "lists": {
        "origins": ["ghanaian", "korean"],
        "kin": ["nan", "gran(?! ${gran_other_senses}\\b)"],
        "gran_other_senses": ["turismo", "torino"],
    },
    "categories": {"racial_ethnic_origin": {"patterns": {"en": ["\\bmy ${origins} ${kin}\\b"]}}},
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My Ghanaian nan makes the best jollof.", {"racial_ethnic_origin"}),
        ("my korean gran", {"racial_ethnic_origin"}),
        ("My Korean neighbour", set()),
        ("my ${origins} ${kin}", set()),  # the reference is expanded, never matched literally
        ("My Korean Gran Turismo save is gone.", set()),  # a list named inside another list's item
    ],
)
def test_protected_rules_expand_named_lists(text: str, expected: set[str]) -> None:
    assert ProtectedRules(LISTED_RULES).categories(text) == expected


@pytest.mark.parametrize(
    ("lists", "pattern", "problem"),
    [
        ({}, "\\bmy ${origins}\\b", "unknown list 'origins'"),
        ({"Origins": ["x"]}, "x", "lower-case name"),
        ({"origins": []}, "x", "at least one item"),
        ({"kin": ["nan ${elders}"]}, "x", "list 'kin' names the unknown list 'elders'"),
        ({"kin": ["${elders}"], "elders": ["${kin}"]}, "x", "names itself"),
    ],
)
def test_protected_rules_reject_a_bad_named_list(lists: dict, pattern: str, problem: str) -> None:
    data = {"lists": lists, "categories": {"religion": {"patterns": {"en": [pattern]}}}}
    with pytest.raises(ValueError, match=problem):
        ProtectedRules(data)


# A language under "scripts" has its patterns read as substrings, and only in text holding its script.
SCRIPT_RULES = {
    "scripts": {"xx": "\\u4e00-\\u9fff"},
    "categories": {"health": {"patterns": {"xx": ["糖尿病", "sugar"]}}},
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我爸爸有糖尿病", {"health"}),
        ("Need low-sugar recipes; 我爸爸有糖尿病.", {"health"}),
        # "sugar" sits under the script's language, so Latin text alone never runs it
        ("low sugar recipes", set()),
        ("低sugar recipes", {"health"}),
    ],
)
def test_protected_rules_read_a_script_language_only_in_its_script(text: str, expected: set[str]) -> None:
    assert ProtectedRules(SCRIPT_RULES).categories(text) == expected


def test_protected_rules_reject_a_script_that_is_not_a_character_class() -> None:
    with pytest.raises(ValueError, match="scripts: 'xx' is not a character class"):
        ProtectedRules({"scripts": {"xx": "z-a"}, "categories": {}})


@pytest.fixture(scope="module")
def shipped_data() -> dict:
    """The shipped rules file as data, for checks on how it is written."""
    return json.loads((Path(__file__).parents[1] / "extractor" / "data" / "protected_terms.json").read_text("utf-8"))


def test_protected_rules_shipped_lists_are_all_used(shipped_data: dict) -> None:
    text = (
        json.dumps(shipped_data["categories"]) + json.dumps(shipped_data["shared"]) + json.dumps(shipped_data["places"])
    )
    named_in_lists = {
        name: json.dumps([v for k, v in shipped_data["lists"].items() if k != name]) for name in shipped_data["lists"]
    }
    assert [name for name in shipped_data["lists"] if "${" + name + "}" not in text + named_in_lists[name]] == []


def test_protected_rules_shipped_patterns_start_at_a_word_boundary(shipped_data: dict) -> None:
    # A category's patterns run as one alternation over every sentence; one alternative that may start
    # anywhere is tried at every character (an Indonesian frame without a leading \b made the origin
    # rules 2.7 times slower). Script languages are exempt: they read substrings, behind their guard.
    groups = list(shipped_data["categories"].items()) + list(shipped_data["shared"].items())
    unanchored = [
        (name, lang, pattern[:40])
        for name, spec in groups
        for lang, patterns in spec.get("patterns", {}).items()
        if lang not in shipped_data["scripts"]
        for pattern in patterns
        if not pattern.startswith("\\b")
    ]
    assert unanchored == []


# A toy rule set: phrases share first words, so the scan must keep growing an n-gram past a prefix
# that is no phrase itself, and stop only where no phrase starts that way.
TOY_RULES = {
    "categories": {
        "religion": {"terms": {"en": ["holy see", "holy roman church council"]}},
        "health": {"terms": {"en": ["type 2 diabetes", "diabetes"]}},
    },
    "safe_phrases": {"en": ["holy roman empire", "holy cow", "diabetes camp"]},
}


@pytest.mark.parametrize(
    ("text", "found", "safe"),
    [
        ("", [], []),
        ("?! ...", [], []),
        ("Holy see.", [("religion", "holy see")], []),
        ("the holy roman church council met", [("religion", "holy roman church council")], []),
        ("the holy roman church was big", [], []),
        ("the holy roman empire fell", [], ["holy roman empire"]),
        ("holy cow, my type 2 diabetes", [("health", "type 2 diabetes"), ("health", "diabetes")], ["holy cow"]),
        ("I ran a diabetes camp", [], ["diabetes camp"]),
        ("diabetes", [("health", "diabetes")], []),
    ],
)
def test_protected_rules_scan_phrases_and_safe_phrases(
    text: str, found: list[tuple[str, str]], safe: list[str]
) -> None:
    matches, safe_spans = ProtectedRules(TOY_RULES).scan(text)
    assert [(m.category, text[m.start : m.end].lower()) for m in matches] == found
    assert [text[s:e].lower() for s, e in safe_spans] == safe
