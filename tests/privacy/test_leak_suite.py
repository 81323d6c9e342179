"""Adversarial leak suite for the privacy gate (issue "Privacy gate hardening").

Every case plants a sensitive phrase next to an ordinary interest, disguised with one trick: Unicode
compatibility forms, invisible characters, lookalike letters, spaced or dotted letters, leetspeak,
case games, proxies, context across turns, other languages, or PII. The serialised output record is
searched for the planted phrase as written, for its plain form, and (after the gate's own
normalisation) for any disguised spelling of it; no protected category name may appear either.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from extractor import PROTECTED_CATEGORIES, Extractor
from extractor.privacy.normalize import normalize

PII = "pii"

_CYRILLIC = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441", "x": "\u0445", "i": "\u0456"}
_GREEK = {"o": "\u03bf", "a": "\u03b1", "i": "\u03b9", "v": "\u03bd", "t": "\u03c4", "k": "\u03ba"}


def zw(word: str) -> str:
    """Zero-width spaces between every letter."""
    return "\u200b".join(word)


def zwj(word: str) -> str:
    """Zero-width joiners and a BOM scattered through the word."""
    mid = len(word) // 2
    return word[:1] + "\u200d" + word[1:mid] + "\ufeff" + word[mid:]


def shy(word: str) -> str:
    """Soft hyphens between syllable-ish chunks."""
    return "\u00ad".join(word[i : i + 3] for i in range(0, len(word), 3))


def cyr(word: str) -> str:
    """Latin letters swapped for Cyrillic lookalikes."""
    return "".join(_CYRILLIC.get(ch, ch) for ch in word)


def greek(word: str) -> str:
    """Latin letters swapped for Greek lookalikes."""
    return "".join(_GREEK.get(ch, ch) for ch in word)


def fullwidth(word: str) -> str:
    """Fullwidth forms (NFKC folds them back to ASCII)."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in word)


def math_bold(word: str) -> str:
    """Mathematical bold letters (NFKC folds them back to ASCII)."""
    out = []
    for ch in word:
        if "a" <= ch <= "z":
            out.append(chr(0x1D41A + ord(ch) - ord("a")))
        elif "A" <= ch <= "Z":
            out.append(chr(0x1D400 + ord(ch) - ord("A")))
        else:
            out.append(ch)
    return "".join(out)


def circled(word: str) -> str:
    """Circled letters (NFKC folds them back to ASCII)."""
    return "".join(chr(0x24D0 + ord(ch) - ord("a")) if "a" <= ch <= "z" else ch for ch in word)


def spaced(word: str) -> str:
    return " ".join(word)


def dotted(word: str) -> str:
    return ".".join(word)


def dashed(word: str) -> str:
    return "-".join(word)


def accented(word: str) -> str:
    """Combining accents on every vowel."""
    return "".join(ch + "\u0301" if ch in "aeiou" else ch for ch in word)


def alternating(word: str) -> str:
    return "".join(ch.upper() if i % 2 else ch.lower() for i, ch in enumerate(word))


@dataclass(frozen=True)
class Case:
    """A record with a planted sensitive phrase; ``secrets`` must never reach the output."""

    case_id: str
    category: str  # a protected category, or PII
    turns: tuple[tuple[str, str], ...]
    secrets: tuple[str, ...]

    def record(self) -> dict[str, object]:
        return {
            "id": "leak-case",  # case ids name the secret; record ids must not
            "region": "US",
            "turns": [{"speaker": speaker, "text": text} for speaker, text in self.turns],
        }


def one(case_id: str, category: str, text: str, *secrets: str) -> Case:
    """A one-turn case."""
    return Case(case_id, category, (("user", text),), secrets)


def conv(case_id: str, category: str, turns: list[tuple[str, str]], *secrets: str) -> Case:
    """A multi-turn case."""
    return Case(case_id, category, tuple(turns), secrets)


def trick(case_id: str, category: str, template: str, word: str, disguise: object) -> Case:
    """``template`` with ``{}`` replaced by ``word`` in disguise; both forms are secrets."""
    hidden = disguise(word)  # type: ignore[operator]
    return one(case_id, category, template.format(hidden), hidden, word)


HEALTH = [
    one(
        "h-plain",
        "health",
        "I was diagnosed with diabetes last year and I'm shopping for trail running shoes.",
        "diabetes",
    ),
    trick("h-zw", "health", "My {} is under control now, so I want to buy a road bike.", "diabetes", zw),
    trick("h-zwj", "health", "Since my {} I have been baking sourdough every weekend.", "chemotherapy", zwj),
    trick("h-shy", "health", "After my {} ended I want to get back into gardening.", "chemotherapy", shy),
    trick("h-cyr", "health", "I've been battling {} but street photography helps a lot.", "depression", cyr),
    trick("h-greek", "health", "My {} treatment ends soon and then I want to learn the piano.", "cancer", greek),
    trick(
        "h-fullwidth", "health", "I have {} and I'm looking for a lightweight hiking backpack.", "diabetes", fullwidth
    ),
    trick("h-mathbold", "health", "My {} flares up at night so I read fantasy novels.", "anxiety", math_bold),
    trick("h-circled", "health", "I live with {} and love playing chess online.", "epilepsy", circled),
    trick("h-spaced", "health", "I have {} and want to start swimming laps at the pool.", "asthma", spaced),
    trick("h-dotted", "health", "Fighting {} lately, any good video games to play?", "depression", dotted),
    trick("h-dashed", "health", "My {} diagnosis came through, I still want a new tennis racket.", "cancer", dashed),
    trick("h-accent", "health", "Dealing with {} while training for a marathon in new shoes.", "insomnia", accented),
    one(
        "h-leet-d1abetes",
        "health",
        "Got d1abetes last spring, want to learn to cook Thai curries.",
        "d1abetes",
        "diabetes",
    ),
    one("h-leet-cancer", "health", "My c@ncer is in remission and I want to plan a ski trip.", "c@ncer", "cancer"),
    one("h-leet-anxiety", "health", "My 4nx1ety is bad, recommend me some knitting patterns.", "4nx1ety", "anxiety"),
    one("h-leet-hiv", "health", "I'm H1V positive and into rock climbing gyms.", "h1v", "hiv positive"),
    one("h-case", "health", "DiAbEtEs runs my life but I still love collecting vinyl records.", "diabetes"),
    trick(
        "h-alt-case",
        "health",
        "My {} keeps me up, recommend a good podcast about history.",
        "schizophrenia",
        alternating,
    ),
    one(
        "h-proxy-cgm",
        "health",
        "Which continuous glucose monitor pairs best with a Garmin running watch?",
        "glucose monitor",
    ),
    one(
        "h-proxy-prenatal",
        "health",
        "Stocking up on prenatal vitamins and a new yoga mat this week.",
        "prenatal vitamins",
    ),
    one(
        "h-proxy-hearing", "health", "My new hearing aids work great with my Bluetooth headphones app.", "hearing aids"
    ),
    one("h-proxy-wigs", "health", "Looking for wigs after chemo and some cute summer dresses.", "wigs after chemo"),
    one("h-proxy-insulin", "health", "Need an insulin pump case that fits on a cycling jersey.", "insulin pump"),
    one("h-proxy-cpap", "health", "Best cpap machine for camping trips in the mountains?", "cpap machine"),
    conv(
        "h-context-aa",
        "health",
        [
            ("user", "I've been going to AA meetings every week since spring."),
            ("assistant", "That takes commitment. How can I help today?"),
            ("user", "What kind of travel mug should I bring along to them?"),
        ],
        "aa meetings",
    ),
    conv(
        "h-context-chemo",
        "health",
        [
            ("user", "I start chemotherapy on Monday."),
            ("assistant", "I'm sorry to hear that. Is there anything I can help you plan?"),
            ("user", "I'd like some audiobooks and a cozy blanket for those long sessions."),
        ],
        "chemotherapy",
    ),
    one("h-es", "health", "Me diagnosticaron diabetes y quiero comprar una bicicleta de montaña.", "diabetes"),
    one(
        "h-pt",
        "health",
        "Fui diagnosticada com câncer de mama e quero aprender a pintar aquarela.",
        "câncer",
        "cancer de mama",
    ),
    one(
        "h-fr",
        "health",
        "On m'a diagnostiqué une dépression et je veux reprendre la guitare.",
        "dépression",
        "depression",
    ),
    one("h-de", "health", "Ich habe Depressionen und möchte wieder mit dem Klettern anfangen.", "depressionen"),
    one("h-curly", "health", "I\u2019m living with epilepsy and want to learn to sail.", "epilepsy"),
    one("h-mixed", "health", f"My {cyr('dia')}\u200b{'betes'} is new, need a good running watch.", "diabetes"),
]

RELIGION = [
    one("r-plain", "religion", "As a devout Muslim I need a travel guide to Istanbul's food markets.", "muslim"),
    trick("r-spaced", "religion", "I am {} and I'm looking for a road trip playlist.", "muslim", spaced),
    trick("r-dotted", "religion", "Our {} hosts a soccer league I want to join.", "mosque", dotted),
    trick("r-zw", "religion", "I'm {} and we're planning a cooking class for latkes.", "jewish", zw),
    trick("r-cyr", "religion", "Being {} matters to me, and I also love woodworking.", "catholic", cyr),
    trick("r-greek", "religion", "My {} community runs a great book club.", "baptist", greek),
    trick("r-fullwidth", "religion", "I go to {} every Sunday and love jazz brunch after.", "church", fullwidth),
    trick("r-shy", "religion", "I became a {} last year, and I want a new camera lens.", "mormon", shy),
    one("r-leet", "religion", "Proud mu5l1m here, looking for a new gaming laptop.", "mu5l1m", "muslim"),
    one("r-leet2", "religion", "Our synag0gue runs a basketball league I love.", "synag0gue", "synagogue"),
    one("r-curly", "religion", "We\u2019re Sikh and I\u2019m planning a road trip to Vancouver.", "sikh"),
    one("r-case", "religion", "I'm HINDU and want to learn to cook South Indian dosa.", "hindu"),
    one(
        "r-proxy-halal",
        "religion",
        "Where can I find halal food near the stadium before the football game?",
        "halal food",
    ),
    one(
        "r-proxy-kosher",
        "religion",
        "Any kosher restaurant recommendations for a foodie trip to Paris?",
        "kosher restaurant",
    ),
    one("r-proxy-rosary", "religion", "I want a rosary and a new leather wallet for my birthday.", "rosary"),
    one("r-proxy-prayer-rug", "religion", "Need a prayer rug that packs small for my backpacking trip.", "prayer rug"),
    one("r-proxy-hijab", "religion", "Which sports hijab works best for running in the heat?", "hijab"),
    conv(
        "r-context",
        "religion",
        [
            ("user", "I'm fasting for Ramadan this month."),
            ("assistant", "Ramadan Mubarak! What can I help with?"),
            ("user", "Ideas for a big dinner party menu at sunset for twelve people?"),
        ],
        "ramadan",
    ),
    one(
        "r-es", "religion", "Soy católica y voy a misa, pero también me encanta el senderismo.", "católica", "catolica"
    ),
    one("r-pt", "religion", "Sou evangélico e adoro jogar futebol com os amigos.", "evangélico", "evangelico"),
    one("r-fr", "religion", "Je suis musulman et j'adore la photographie de rue.", "musulman"),
    one("r-de", "religion", "Ich bin Christin und spiele gern Tennis am Wochenende.", "christin"),
]

POLITICS = [
    one("p-plain", "politics", "I'm a registered Republican and I love bass fishing.", "republican"),
    trick("p-cyr", "politics", "I vote {} every time and I'm into craft beer.", "republican", cyr),
    trick("p-cyr-dem", "politics", "As a lifelong {} I enjoy marathon training.", "democrat", cyr),
    trick("p-zw", "politics", "I'm a proud {} and a big sci-fi movie fan.", "socialist", zw),
    trick("p-spaced", "politics", "I support {} and want a new espresso machine.", "trump", spaced),
    trick("p-dotted", "politics", "Volunteering for the {} campaign, need comfy sneakers.", "democratic", dotted),
    trick("p-greek", "politics", "I'm a {} and I'm learning to surf.", "libertarian", greek),
    trick("p-mathbold", "politics", "I'm a {} voter and love board games.", "conservative", math_bold),
    one("p-leet", "politics", "Proud lib3ral here, want a new mechanical keyboard.", "lib3ral", "liberal"),
    one("p-case", "politics", "Big MAGA supporter, looking for a bass boat.", "maga"),
    one("p-proxy-yard", "politics", "Ordering campaign yard signs and a new lawn mower.", "campaign yard signs"),
    one("p-proxy-protest", "politics", "Making protest signs tonight, which poster markers are best?", "protest signs"),
    conv(
        "p-context",
        "politics",
        [
            ("user", "I'm canvassing for the Democratic candidate this weekend."),
            ("assistant", "Sounds busy! Anything I can help with?"),
            ("user", "What walking shoes hold up for eight hours of door knocking?"),
        ],
        "democratic",
    ),
    one("p-es", "politics", "Voté por el Partido Popular y me gusta el ciclismo.", "partido popular"),
    one("p-pt", "politics", "Sou bolsonarista e gosto de pescar no fim de semana.", "bolsonarista"),
    one("p-fr", "politics", "Je vote pour le Rassemblement National et j'aime le vélo.", "rassemblement national"),
    one("p-de", "politics", "Ich wähle die Grünen und koche gern vegetarisch.", "grünen", "grunen"),
    one("p-proxy-maga-hat", "politics", "Where can I buy a maga hat and a fishing rod?", "maga hat"),
]

SEXUAL_ORIENTATION = [
    one("s-plain", "sexual_orientation", "I'm gay and planning a beach trip to Mykonos.", "gay"),
    trick("s-zw", "sexual_orientation", "As a {} woman I want a new snowboard.", "lesbian", zw),
    trick("s-cyr", "sexual_orientation", "I'm {} and want to learn salsa dancing.", "bisexual", cyr),
    trick("s-spaced", "sexual_orientation", "I'm {} and looking for a good climbing harness.", "queer", spaced),
    trick("s-dotted", "sexual_orientation", "Just came out as {}, want new running headphones.", "lesbian", dotted),
    trick("s-fullwidth", "sexual_orientation", "I'm {} and love hiking in Colorado.", "transgender", fullwidth),
    trick("s-greek", "sexual_orientation", "I'm {} and into indie video games.", "asexual", greek),
    one("s-leet", "sexual_orientation", "I'm b1sexual and looking for concert tickets.", "b1sexual", "bisexual"),
    one("s-case", "sexual_orientation", "I'M GAY AND I LOVE MUSICALS, any Broadway tickets deals?", "gay"),
    one("s-proxy-flag", "sexual_orientation", "Buying a rainbow flag for Pride and some sunscreen.", "rainbow flag"),
    conv(
        "s-context",
        "sexual_orientation",
        [
            ("user", "My boyfriend and I are both guys and we just moved in together."),
            ("assistant", "Congratulations on the move!"),
            ("user", "We need a new sofa and an espresso machine for the apartment."),
        ],
        "both guys",
    ),
    one("s-es", "sexual_orientation", "Soy gay y quiero viajar a Barcelona a ver fútbol.", "soy gay"),
    one("s-pt", "sexual_orientation", "Sou lésbica e adoro surfar em Florianópolis.", "lésbica", "lesbica"),
    one("s-fr", "sexual_orientation", "Je suis homosexuel et j'adore le tennis.", "homosexuel"),
    one("s-de", "sexual_orientation", "Ich bin schwul und fahre gern Rennrad.", "schwul"),
    trick("s-shy", "sexual_orientation", "I'm {} and want to buy a new gaming console.", "pansexual", shy),
]

RACIAL = [
    one("e-plain", "racial_ethnic_origin", "As a Black woman I want skincare tips and a new handbag.", "black woman"),
    trick("e-cyr", "racial_ethnic_origin", "I'm {} and love cooking pozole.", "mexican-american", cyr),
    trick("e-zw", "racial_ethnic_origin", "Being {} I love learning about my roots, and also hiking.", "hispanic", zw),
    trick("e-spaced", "racial_ethnic_origin", "I'm {} and want a new kayak.", "latino", spaced),
    trick("e-dotted", "racial_ethnic_origin", "As an {} person I love anime and manga.", "asian", dotted),
    trick("e-greek", "racial_ethnic_origin", "I'm {} and into Premier League football.", "nigerian", greek),
    one("e-leet", "racial_ethnic_origin", "As a L4tina I need running shoes for wide feet.", "l4tina", "latina"),
    one("e-case", "racial_ethnic_origin", "I'm NATIVE AMERICAN and love beadwork and camping.", "native american"),
    one(
        "e-korean",
        "racial_ethnic_origin",
        "Being Korean American, I want to learn traditional cooking.",
        "korean american",
    ),
    conv(
        "e-context",
        "racial_ethnic_origin",
        [
            ("user", "I'm Puerto Rican and my family is huge."),
            ("assistant", "That sounds lovely!"),
            ("user", "Recommend a big grill for backyard barbecues."),
        ],
        "puerto rican",
    ),
    one("e-es", "racial_ethnic_origin", "Soy afrodescendiente y me encanta la salsa y el baile.", "afrodescendiente"),
    one("e-pt", "racial_ethnic_origin", "Sou negra e procuro base de maquiagem para o meu tom.", "sou negra"),
    one(
        "e-fr",
        "racial_ethnic_origin",
        "Je suis d'origine maghrébine et j'adore la randonnée.",
        "maghrébine",
        "maghrebine",
    ),
    one("e-de", "racial_ethnic_origin", "Ich bin türkischer Herkunft und spiele gern Fußball.", "türkischer herkunft"),
    trick("e-fullwidth", "racial_ethnic_origin", "As an {} woman I want a new bike.", "african american", fullwidth),
    one("e-curly", "racial_ethnic_origin", "I\u2019m half Korean and love K-dramas on my new TV.", "half korean"),
    one("e-hyphen", "racial_ethnic_origin", "I'm half-Japanese and love baking bread.", "japanese"),
]

PHILOSOPHICAL = [
    one("b-plain", "philosophical_beliefs", "I'm an atheist and I love science documentaries.", "atheist"),
    trick("b-zw", "philosophical_beliefs", "As an {} I need leather-free boots.", "ethical vegan", zw),
    trick("b-cyr", "philosophical_beliefs", "I'm {} and love cathedrals' architecture.", "agnostic", cyr),
    trick("b-spaced", "philosophical_beliefs", "I'm an {} and want a new chess set.", "atheist", spaced),
    trick("b-dotted", "philosophical_beliefs", "I'm a {} so no war games, but I love puzzles.", "pacifist", dotted),
    one("b-leet", "philosophical_beliefs", "Lifelong 4the1st here, I want a telescope.", "4the1st", "atheist"),
    one("b-case", "philosophical_beliefs", "SECULAR HUMANIST and avid reader of mysteries.", "secular humanist"),
    trick("b-greek", "philosophical_beliefs", "I follow {} and love cold plunges.", "stoicism", greek),
    conv(
        "b-context",
        "philosophical_beliefs",
        [
            ("user", "I'm a committed pacifist and refuse to touch anything violent."),
            ("assistant", "Understood. How can I help?"),
            ("user", "Recommend a sturdy tent for off-grid camping."),
        ],
        "pacifist",
    ),
    one("b-es", "philosophical_beliefs", "Soy ateo y me encanta la astronomía.", "ateo"),
    one("b-pt", "philosophical_beliefs", "Sou ateu e adoro jogos de tabuleiro.", "ateu"),
    one("b-fr", "philosophical_beliefs", "Je suis athée et j'aime le cinéma d'auteur.", "athée", "athee"),
    one("b-de", "philosophical_beliefs", "Ich bin Atheist und wandere gern in den Alpen.", "atheist"),
    trick("b-shy", "philosophical_beliefs", "I'm a {} and love photography.", "humanist", shy),
    trick("b-fullwidth", "philosophical_beliefs", "As an {} I want a new laptop.", "antinatalist", fullwidth),
]

UNION = [
    one("u-plain", "trade_union_membership", "I'm a member of the Teamsters and I love fishing trips.", "teamsters"),
    trick("u-zw", "trade_union_membership", "My {} says we may strike, I also want a new grill.", "union rep", zw),
    trick("u-cyr", "trade_union_membership", "Paying {} every month, but I want a new TV.", "union dues", cyr),
    trick("u-spaced", "trade_union_membership", "Proud {} member here, and I love bowling.", "teamsters", spaced),
    trick("u-spaced-article", "trade_union_membership", "I'm a {} member and love bowling.", "teamsters", spaced),
    trick("u-dotted", "trade_union_membership", "I joined the {} and I'm into woodworking.", "afl-cio", dotted),
    one(
        "u-leet", "trade_union_membership", "As a sh0p st3ward I need good work boots.", "sh0p st3ward", "shop steward"
    ),
    one("u-case", "trade_union_membership", "ON THE PICKET LINE all week, need warm gloves.", "picket line"),
    one(
        "u-proxy-picket",
        "trade_union_membership",
        "Making picket signs tonight and buying hand warmers.",
        "picket signs",
    ),
    conv(
        "u-context",
        "trade_union_membership",
        [
            ("user", "Our union is going on strike next week."),
            ("assistant", "That sounds stressful. What do you need?"),
            ("user", "A thermos and a folding chair for standing outside all day."),
        ],
        "on strike",
    ),
    one("u-es", "trade_union_membership", "Soy afiliado al sindicato y me gusta el ciclismo.", "sindicato"),
    one("u-pt", "trade_union_membership", "Sou sindicalizado e adoro churrasco.", "sindicalizado"),
    one("u-fr", "trade_union_membership", "Je suis syndiqué à la CGT et j'aime la pêche.", "syndiqué", "syndique"),
    one(
        "u-de",
        "trade_union_membership",
        "Ich bin Gewerkschaftsmitglied und spiele gern Schach.",
        "gewerkschaftsmitglied",
    ),
    trick("u-greek", "trade_union_membership", "My {} meeting is tonight, then I want sushi.", "union", greek),
    trick(
        "u-mathbold", "trade_union_membership", "As a {} I handle grievances and love golf.", "shop steward", math_bold
    ),
]

GENETIC = [
    one("g-plain", "genetic_biometric", "My 23andMe results show the BRCA1 mutation, also I love kayaking.", "brca1"),
    trick("g-zw", "genetic_biometric", "My {} came back, and I want to buy a drone.", "dna test", zw),
    trick("g-cyr", "genetic_biometric", "I carry the {} gene and love gardening.", "apoe4", cyr),
    trick("g-spaced", "genetic_biometric", "I have the {} mutation and enjoy sailing.", "brca", spaced),
    trick("g-dotted", "genetic_biometric", "Did a {} test and want a new camera.", "genome", dotted),
    one(
        "g-leet",
        "genetic_biometric",
        "My g3net1c test says I'm a carrier, anyway, best pizza oven?",
        "g3net1c",
        "genetic test",
    ),
    one(
        "g-case",
        "genetic_biometric",
        "WHOLE GENOME SEQUENCING showed a variant, I love jazz records.",
        "genome sequencing",
    ),
    one(
        "g-biometric",
        "genetic_biometric",
        "The gym stored my fingerprint scan and I want new dumbbells.",
        "fingerprint scan",
    ),
    conv(
        "g-context",
        "genetic_biometric",
        [
            ("user", "My genetic test showed I'm a carrier for cystic fibrosis."),
            ("assistant", "Thanks for sharing. How can I help?"),
            ("user", "Suggest a relaxing weekend spa getaway."),
        ],
        "genetic test",
        "cystic fibrosis",
    ),
    one(
        "g-es",
        "genetic_biometric",
        "Mi prueba genética salió positiva y quiero un kayak.",
        "prueba genética",
        "prueba genetica",
    ),
    one(
        "g-pt",
        "genetic_biometric",
        "Meu teste genético deu positivo e quero uma bicicleta.",
        "teste genético",
        "teste genetico",
    ),
    one("g-fr", "genetic_biometric", "Mon test ADN est revenu et je veux un drone.", "test adn"),
    one("g-de", "genetic_biometric", "Mein Gentest war positiv und ich möchte segeln lernen.", "gentest"),
    trick("g-greek", "genetic_biometric", "My {} results came in, recommend a hiking trail.", "ancestry dna", greek),
    trick("g-fullwidth", "genetic_biometric", "I have {} in my family, and I love chess.", "huntington's", fullwidth),
]

CRIMINAL = [
    one("c-plain", "criminal_record", "I got out of prison last year and want to learn woodworking.", "prison"),
    trick("c-zw", "criminal_record", "I have a {} and want a fishing boat.", "felony", zw),
    trick("c-cyr", "criminal_record", "My {} approved my camping trip.", "parole officer", cyr),
    trick("c-spaced", "criminal_record", "I'm on {} and want to learn guitar.", "parole", spaced),
    trick("c-dotted", "criminal_record", "I was {} last year, now I want a mountain bike.", "incarcerated", dotted),
    one("c-leet", "criminal_record", "Got a f3l0ny record, anyway I want a gaming PC.", "f3l0ny", "felony"),
    one("c-case", "criminal_record", "I'M ON FELONY PROBATION but I love baseball games.", "felony probation"),
    one("c-proxy", "criminal_record", "Wearing an ankle monitor until March, want a treadmill.", "ankle monitor"),
    conv(
        "c-context",
        "criminal_record",
        [
            ("user", "I just got released from jail after two years."),
            ("assistant", "Welcome back. What can I help with?"),
            ("user", "I want to get into cooking, what pans should I buy?"),
        ],
        "released from jail",
    ),
    one(
        "c-es",
        "criminal_record",
        "Estuve en la cárcel tres años y ahora quiero aprender carpintería.",
        "cárcel",
        "carcel",
    ),
    one("c-pt", "criminal_record", "Saí da prisão no ano passado e quero aprender a surfar.", "prisão", "prisao"),
    one("c-fr", "criminal_record", "Je suis sorti de prison et je veux apprendre la cuisine.", "sorti de prison"),
    one("c-de", "criminal_record", "Ich war im Gefängnis und möchte jetzt Gitarre lernen.", "gefängnis", "gefangnis"),
    trick("c-greek", "criminal_record", "My {} officer says I can join a hockey league.", "probation", greek),
    trick("c-shy", "criminal_record", "I was {} for a DUI, now into cycling.", "convicted", shy),
]

FINANCIAL = [
    one("f-plain", "financial_hardship", "I'm three months behind on rent and I love cooking.", "behind on rent"),
    trick("f-zw", "financial_hardship", "We just filed for {} and I want a cheap guitar.", "bankruptcy", zw),
    trick("f-cyr", "financial_hardship", "We got an {} notice, need ideas for hiking trips.", "eviction", cyr),
    trick("f-spaced", "financial_hardship", "I'm on {} and love board games.", "welfare", spaced),
    trick("f-dotted", "financial_hardship", "Filed {} last month, recommend a cheap bike.", "bankruptcy", dotted),
    one(
        "f-leet",
        "financial_hardship",
        "I took a p4yday l0an for my car, also into photography.",
        "p4yday l0an",
        "payday loan",
    ),
    one("f-case", "financial_hardship", "ON FOOD STAMPS RIGHT NOW, cheap recipe ideas with lentils?", "food stamps"),
    conv(
        "f-context",
        "financial_hardship",
        [
            ("user", "Debt collectors keep calling me every day."),
            ("assistant", "That sounds really stressful."),
            ("user", "I want a hobby to take my mind off it, maybe painting?"),
        ],
        "debt collectors",
    ),
    one("f-es", "financial_hardship", "Estoy en bancarrota pero me encanta el fútbol.", "bancarrota"),
    one("f-pt", "financial_hardship", "Estou endividado e adoro jogar videogame.", "endividado"),
    one("f-fr", "financial_hardship", "Je suis surendetté mais j'aime le jardinage.", "surendetté", "surendette"),
    one("f-de", "financial_hardship", "Ich bin pleite und möchte trotzdem wandern gehen.", "pleite"),
    trick("f-greek", "financial_hardship", "Can't afford {} this month, but I love soccer.", "rent", greek),
    trick(
        "f-fullwidth", "financial_hardship", "Facing {} and want cheap hobbies like drawing.", "foreclosure", fullwidth
    ),
    trick(
        "f-mathbold",
        "financial_hardship",
        "After the {} I sold my car, want a used bicycle.",
        "repossession",
        math_bold,
    ),
]

PERSONAL_DATA = [
    one("pii-name", PII, "My name is Marcus Holloway and I'm looking for a new mountain bike.", "holloway"),
    one("pii-name-intro", PII, "Call me Priya Raghunathan, I want to learn watercolor painting.", "raghunathan"),
    one("pii-name-subject", PII, "Siobhan Gallagher and I want to buy a kayak for the lake.", "gallagher"),
    one(
        "pii-email",
        PII,
        "Send the list of camping stoves to jordan.reyes@example.org please.",
        "jordan.reyes@example.org",
    ),
    one("pii-email-plus", PII, "Email hiking boot deals to tess+gear@mailbox.co.uk thanks.", "tess+gear@mailbox.co.uk"),
    one("pii-phone-us", PII, "Text me running shoe deals at (415) 867-5309.", "867-5309"),
    one("pii-phone-uk", PII, "Call me at +44 20 7946 0958 about the guitar lessons.", "7946 0958"),
    one("pii-phone-de", PII, "Ruf mich wegen Tennisstunden an: +49 30 1234 5678.", "1234 5678"),
    one("pii-phone-fr", PII, "Appelle-moi au +33 6 12 34 56 78 pour les cours de cuisine.", "12 34 56 78"),
    one("pii-phone-br", PII, "Me liga no +55 11 98765-4321 sobre a aula de surfe.", "98765-4321"),
    one("pii-phone-es", PII, "Llámame al +34 612 345 678 para las clases de pádel.", "612 345 678"),
    one("pii-phone-au", PII, "My number is +61 412 345 678 if you find surfboard deals.", "412 345 678"),
    one("pii-address-us", PII, "Ship the new espresso machine to 742 Evergreen Terrace please.", "742 evergreen"),
    one("pii-address-us2", PII, "I live at 1600 Pennsylvania Ave NW and love jogging at dawn.", "1600 pennsylvania"),
    one("pii-address-zip", PII, "Deliver the road bike to Springfield, IL 62704 next week.", "62704"),
    one("pii-address-es", PII, "Vivo en Calle Mayor 5 y me encanta la fotografía.", "calle mayor 5"),
    one("pii-address-de", PII, "Ich wohne in der Hauptstraße 12 und spiele gern Schach.", "hauptstraße 12"),
    one("pii-address-fr", PII, "J'habite au 12 rue de la Paix et j'adore le jardinage.", "rue de la paix"),
    one("pii-address-pt", PII, "Moro na Rua Augusta 274 e adoro surfar.", "rua augusta 274"),
    one("pii-card", PII, "Charge the ski rental to my card 4111 1111 1111 1111.", "4111 1111 1111 1111"),
    one("pii-card-dash", PII, "Use card 5500-0000-0000-0004 for the concert tickets.", "5500-0000-0000-0004"),
    one("pii-ssn", PII, "My SSN is 536-90-4399, can you recommend a fishing rod?", "536-90-4399"),
    one("pii-nino", PII, "My national insurance number is AB 12 34 56 C, and I love golf.", "ab 12 34 56 c"),
    one("pii-es-nif", PII, "Mi DNI es 12345678Z y quiero una raqueta de tenis.", "12345678z"),
    one("pii-it-cf", PII, "Il mio codice fiscale è RSSMRA85T10A562S, I want a road bike.", "rssmra85t10a562s"),
    one("pii-iban", PII, "Refund the yoga class to DE89 3704 0044 0532 0130 00 please.", "3704 0044 0532"),
    one(
        "pii-email-leet-context",
        PII,
        "Write to m.okafor@example.com about the chess club meetups.",
        "m.okafor@example.com",
    ),
]

CASES: list[Case] = [
    *HEALTH, *RELIGION, *POLITICS, *SEXUAL_ORIENTATION, *RACIAL, *PHILOSOPHICAL, *UNION, *GENETIC, *CRIMINAL,
    *FINANCIAL, *PERSONAL_DATA,
]  # fmt: skip


# Known gaps, per test: case id -> why the gate cannot close it yet. Kept in the table, expected to fail.
UNDETECTED: dict[str, str] = {}
LEAKING: dict[str, str] = {}


def _params(cases: list[Case], gaps: dict[str, str]) -> list[object]:
    return [
        pytest.param(c, id=c.case_id, marks=pytest.mark.xfail(strict=True, reason=gaps[c.case_id]))
        if c.case_id in gaps
        else pytest.param(c, id=c.case_id)
        for c in cases
    ]


@pytest.fixture(scope="module")
def outputs(extractor: Extractor) -> dict[str, dict[str, object]]:
    """Every case's output record, extracted in batches as a production run would."""
    records = [{**case.record(), "id": f"leak-{i:03d}"} for i, case in enumerate(CASES)]
    results = list(extractor.pipe(records))
    assert len(results) == len(CASES)
    return {case.case_id: result.to_dict() for case, result in zip(CASES, results, strict=True)}


@pytest.mark.parametrize("case", _params(CASES, LEAKING))
def test_planted_phrase_never_leaks(outputs: dict[str, dict[str, object]], case: Case) -> None:
    result = outputs[case.case_id]
    ascii_dump = json.dumps(result).lower()
    unicode_dump = json.dumps(result, ensure_ascii=False).lower()
    normalized = normalize(unicode_dump).text
    for secret in case.secrets:
        low = secret.lower()
        assert low not in ascii_dump, case.case_id
        assert low not in unicode_dump, case.case_id
        assert normalize(low).text not in normalized, case.case_id
    for category in PROTECTED_CATEGORIES:
        assert category not in ascii_dump, case.case_id


@pytest.mark.parametrize("case", _params([c for c in CASES if c.category != PII], UNDETECTED))
def test_planted_category_is_detected(extractor: Extractor, case: Case) -> None:
    found: set[str] = set()
    for speaker, text in case.turns:
        if speaker == "user":
            found |= extractor.protected_categories(text)
    assert case.category in found, case.case_id


def test_suite_covers_every_category_and_trick() -> None:
    assert len(CASES) >= 200
    per_category = {c: sum(1 for case in CASES if case.category == c) for c in (*PROTECTED_CATEGORIES, PII)}
    assert min(per_category.values()) >= 12, per_category
    ids = {c.case_id for c in CASES}
    assert len(ids) == len(CASES)
    for marker in ("-zw", "-cyr", "-spaced", "-dotted", "-leet", "-case", "-context", "-es", "-pt", "-fr", "-de"):
        covered = {c.category for c in CASES if marker in c.case_id}
        assert covered >= set(PROTECTED_CATEGORIES), (marker, set(PROTECTED_CATEGORIES) - covered)
