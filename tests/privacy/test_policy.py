"""Record-level policy: excluded regions, consent, minors."""

from __future__ import annotations

import pytest

from extractor.config import ExtractorConfig
from extractor.privacy.policy import decide, discloses_minor
from extractor.schema import parse_record

EU_EEA_UK_KR = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO GB KR".split()


def _conv(text: str = "I love board games", **fields: object):
    return parse_record({"id": "p1", "turns": [{"speaker": "user", "text": text}], **fields})


@pytest.mark.parametrize("region", EU_EEA_UK_KR)
def test_policy_excludes_every_eu_eea_uk_and_korean_region(region: str) -> None:
    decision = decide(_conv(region=region), ExtractorConfig())
    assert decision.excluded and decision.reason == "region"


@pytest.mark.parametrize("region", ["US", "CA", "BR", "JP", "IN", "AU", "MX", "ZA", "CH"])
def test_policy_keeps_other_regions(region: str) -> None:
    assert not decide(_conv(region=region), ExtractorConfig()).excluded


def test_policy_region_list_is_configurable() -> None:
    cfg = ExtractorConfig(excluded_regions=["us"])
    assert decide(_conv(region="US"), cfg).excluded
    assert not decide(_conv(region="DE"), cfg).excluded


@pytest.mark.parametrize(("setting", "excluded"), [("allow", False), ("exclude", True)])
def test_policy_unknown_region_is_a_configurable_choice(setting: str, excluded: bool) -> None:
    decision = decide(_conv(), ExtractorConfig(unknown_region=setting))
    assert decision.excluded is excluded


def test_policy_excludes_opted_out_user() -> None:
    decision = decide(_conv(region="US", consent=False), ExtractorConfig())
    assert decision.excluded and decision.reason == "consent"


@pytest.mark.parametrize(("age", "excluded"), [(12, True), (17, True), (18, False), (40, False)])
def test_policy_excludes_age_field_under_18(age: int, excluded: bool) -> None:
    assert decide(_conv(region="US", age=age), ExtractorConfig()).excluded is excluded


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("I'm 15 and I want to get into skateboarding", True),
        ("im 16 years old, what camera should i get", True),
        ("As a 14-year-old I love Minecraft", True),
        ("I'm in 8th grade and need a new backpack", True),
        ("i am 17.", True),
        ("I'm a sophomore in high school", True),
        ("I'm sixteen, so no car yet", True),
        ("I’m 13 lol", True),
        ("I'm 25 and love climbing", False),
        ("I'm 5 minutes away", False),
        ("I'm 10 pounds heavier than last year", False),
        ("My son is 12 and loves Lego", False),
        ("I ran 15 miles today", False),
        ("I'm 30 years old", False),
    ],
)
def test_policy_detects_self_disclosed_minors(text: str, minor: bool) -> None:
    assert discloses_minor(text) is minor
    assert decide(_conv(text, region="US"), ExtractorConfig()).excluded is minor
