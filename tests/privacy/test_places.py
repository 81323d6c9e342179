"""The gazetteer behind the origin-by-place rule, and how the rules read a frame and a place."""

from __future__ import annotations

import pytest

from extractor.privacy.places import PlacesSpec, place_names
from extractor.privacy.rules import ProtectedRules, folded_words


@pytest.fixture(scope="module")
def us_home() -> dict[tuple[str, ...], str]:
    spec = PlacesSpec(
        home_countries=("US",),
        languages=("es",),
        subdivision_types=("State",),
        aliases={"GB": ("England", "the UK"), "REGION": ("West Africa",)},
        not_places=("Nice",),
    )
    return place_names(spec, folded_words)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("ghana", "GH"),
        ("accra", "GH"),
        ("mexico city", "MX"),
        ("gambia", "GM"),  # GeoNames says "Gambia"; "back home in the Gambia" reads the "the" as the gap
        ("netherlands", "NL"),  # GeoNames says "The Netherlands"
        ("alemania", "DE"),  # pycountry's Spanish name
        ("kerala", "IN"),  # an ISO 3166-2 state
        ("england", "GB"),
        ("uk", "GB"),
        ("west africa", "REGION"),
        ("san juan", "PR"),  # Puerto Rico is its own code, not a home place
    ],
)
def test_places_name_places_abroad(us_home: dict[tuple[str, ...], str], name: str, code: str) -> None:
    assert us_home[tuple(name.split())] == code


@pytest.mark.parametrize(
    "name",
    [
        "ohio",  # a home state
        "chicago",  # a home city
        "georgia",  # a country that shares its name with a home state
        "birmingham",  # a foreign city that shares its name with a home city
        "nice",  # listed as an everyday word
        "united states",
    ],
)
def test_places_leave_out_home_ambiguous_and_listed_names(us_home: dict[tuple[str, ...], str], name: str) -> None:
    assert tuple(name.split()) not in us_home


def test_places_follow_the_home_countries() -> None:
    ghana_home = place_names(PlacesSpec(home_countries=("GH",)), folded_words)
    assert ("accra",) not in ghana_home
    assert ghana_home[("chicago",)] == "US"


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        ({"category": "astrology"}, "unknown category"),
        ({"home_countries": ["XX"]}, "unknown country codes"),
        ({"min_city_population": 500}, "greater than or equal to 15000"),
        ({"frame": {"en": ["\\bback home in"]}}, "Extra inputs are not permitted"),
    ],
)
def test_places_reject_a_bad_section(section: dict, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        ProtectedRules({"categories": {}, "places": section})


# A toy gazetteer, injected: the frames come from the file's section, the names from the caller.
TOY_PLACES = {"Accra": "GH", "Mexico": "MX", "Mexico City": "MX", "Gambia": "GM"}
TOY_RULES = {
    "categories": {},
    "places": {"frames": {"en": ["\\bback home in", "\\bcame here from", "\\bi grew up in"]}},
}


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("Back home in Accra we ate this.", ["Back home in Accra"]),
        ("We came here from Mexico City in 2005.", ["came here from Mexico City"]),  # the longest name
        ("We came here from Mexico.", ["came here from Mexico"]),
        ("Back home in the Gambia, rain.", ["Back home in the Gambia"]),
        ("BACK  HOME  IN  ACCRA", ["BACK  HOME  IN  ACCRA"]),
        ("We came here from a small village near Accra.", ["came here from a small village near Accra"]),
        ("Back home in Ohio we ate this.", []),
        ("I grew up in a village. Accra came later.", []),  # the place must follow the frame
        ("Back home in Accrafield we ate this.", []),  # whole words only
        ("I grew up inAccra", []),
    ],
)
def test_places_rules_read_a_frame_then_a_place(text: str, spans: list[str]) -> None:
    rules = ProtectedRules(TOY_RULES, places=TOY_PLACES)
    found = rules.find(text)
    assert [text[m.start : m.end] for m in found] == spans
    assert {(m.category, m.kind) for m in found} <= {("racial_ethnic_origin", "places")}


def test_places_section_absent_reads_no_places() -> None:
    assert ProtectedRules({"categories": {}}, places=TOY_PLACES).find("Back home in Accra.") == []
