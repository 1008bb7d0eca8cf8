"""Fair-housing copy rules: phrases that state or imply a preference, and a safe rewrite.

Sources:
- HUD advertising guidelines, former 24 CFR Part 109 (removed from the CFR in 1996 but still
  HUD's reference list of "catch words" such as "exclusive", "restricted", "board approval").
- HUD "Achtenberg memo": Guidance Regarding Advertisements Under Section 804(c) of the Fair
  Housing Act, Roberta Achtenberg, January 9, 1995 (familial status, religion, disability,
  race/national origin examples; notes that describing the property, e.g. "family room",
  "master bedroom", "walking distance", is not by itself a violation).
- NAR Code of Ethics, Article 10 and Standard of Practice 10-3 (no advertising that indicates
  a preference based on race, colour, religion, sex, disability, familial status, national
  origin, sexual orientation or gender identity).
- Common MLS listing rules and style guides (many MLSs moved from "master" to "primary" in
  2020 and list steering words such as "safe area" or "man cave"); state and local
  source-of-income laws for voucher wording.

Phrases are lower case and written in US spelling; the lint in `tools.fair_housing` matches
them case-insensitively, across hyphens and spaces, and in British spellings
(`SPELLING_VARIANTS`). An empty rewrite means the phrase is removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Category = Literal[
    "familial_status",
    "sex",
    "race_national_origin",
    "religion",
    "disability",
    "steering",
    "source_of_income",
]

HUD_109 = "HUD advertising guidelines, former 24 CFR Part 109 (catch words)"
ACHTENBERG = "HUD Achtenberg memo (1995), guidance on advertisements under FHA §804(c)"
NAR_10 = "NAR Code of Ethics, Article 10 / Standard of Practice 10-3"
MLS = "common MLS listing rules and style guides"
INCOME = "state and local source-of-income laws; common MLS rules"


@dataclass(frozen=True)
class FairHousingTerm:
    """One rule: the phrasings it covers, what to say instead, and why."""

    phrases: tuple[str, ...]
    rewrite: str
    category: Category
    reason: str
    source: str


_WORSHIP = ("church", "synagogue", "mosque", "temple", "cathedral", "chapel")
_NEAR = ("walking distance to", "walking distance to the", "walk to", "steps from", "steps to")

FAIR_HOUSING_TERMS: tuple[FairHousingTerm, ...] = (
    # Familial status
    FairHousingTerm(
        (
            "perfect for families",
            "perfect for a family",
            "ideal for families",
            "ideal for a family",
            "great for families",
            "great for a family",
        ),
        "well laid out",
        "familial_status",
        "describes who should live there, not the home",
        ACHTENBERG,
    ),
    FairHousingTerm(
        ("family friendly", "family oriented", "family-oriented"),
        "welcoming",
        "familial_status",
        "implies a preference for households with children",
        NAR_10,
    ),
    FairHousingTerm(
        (
            "great for kids",
            "perfect for kids",
            "ideal for kids",
            "great for children",
            "perfect for children",
            "ideal for children",
            "kid friendly",
            "child friendly",
        ),
        "with generous space",
        "familial_status",
        "implies a preference for households with children",
        ACHTENBERG,
    ),
    FairHousingTerm(
        (
            "no kids",
            "no children",
            "no minors",
            "children not allowed",
            "no children allowed",
            "kids not allowed",
        ),
        "",
        "familial_status",
        "excludes households with children",
        ACHTENBERG,
    ),
    FairHousingTerm(
        ("no teenagers", "no teens", "no infants", "no babies", "one child only"),
        "",
        "familial_status",
        "excludes households with children",
        ACHTENBERG,
    ),
    FairHousingTerm(
        ("adults only", "adult only", "adult living", "adult building"),
        "",
        "familial_status",
        "excludes households with children",
        HUD_109,
    ),
    FairHousingTerm(
        (
            "ideal for singles",
            "perfect for singles",
            "great for singles",
            "singles only",
            "single person",
            "single professional",
        ),
        "well sized",
        "familial_status",
        "states a preference for one kind of household",
        ACHTENBERG,
    ),
    FairHousingTerm(
        ("bachelor pad", "bachelorette pad", "bachelor apartment"),
        "stylish retreat",
        "sex",
        "states a preference by sex and household",
        MLS,
    ),
    FairHousingTerm(
        ("perfect for empty nesters", "ideal for empty nesters", "empty nesters", "empty nester"),
        "easy to maintain",
        "familial_status",
        "states a preference for one kind of household",
        MLS,
    ),
    FairHousingTerm(
        ("perfect for retirees", "ideal for retirees", "great for retirees"),
        "easy to maintain",
        "familial_status",
        "states a preference by age and household",
        MLS,
    ),
    FairHousingTerm(
        (
            "perfect for young couples",
            "ideal for young couples",
            "young couples",
            "young couple",
            "perfect for newlyweds",
            "ideal for newlyweds",
            "newlyweds",
            "couples only",
        ),
        "",
        "familial_status",
        "states a preference by age and household",
        ACHTENBERG,
    ),
    FairHousingTerm(
        ("mature couple", "mature individual", "mature person", "mature adults"),
        "",
        "familial_status",
        "states a preference by age",
        ACHTENBERG,
    ),
    FairHousingTerm(
        ("young professionals", "young professional"),
        "",
        "familial_status",
        "states a preference by age and household",
        MLS,
    ),
    FairHousingTerm(
        ("family neighborhood", "family community", "family area"),
        "residential neighborhood",
        "familial_status",
        "describes the neighbours, not the home",
        NAR_10,
    ),
    # Sex
    FairHousingTerm(
        ("master bedroom", "master bed room"),
        "primary bedroom",
        "sex",
        "many MLSs retired 'master' for rooms",
        MLS,
    ),
    FairHousingTerm(("master suite",), "primary suite", "sex", "many MLSs retired 'master'", MLS),
    FairHousingTerm(
        ("master bathroom", "master bath"),
        "primary bath",
        "sex",
        "many MLSs retired 'master' for rooms",
        MLS,
    ),
    FairHousingTerm(("master closet",), "primary closet", "sex", "many MLSs retired 'master'", MLS),
    FairHousingTerm(
        ("man cave", "mancave"),
        "bonus room",
        "sex",
        "states a preference by sex",
        MLS,
    ),
    FairHousingTerm(
        ("his and hers", "his and her", "his & hers"),
        "dual",
        "sex",
        "assumes the sexes of the occupants",
        MLS,
    ),
    FairHousingTerm(
        (
            "mother in law suite",
            "mother in law unit",
            "mother in law apartment",
            "mother in law quarters",
            "granny flat",
        ),
        "guest suite",
        "sex",
        "assumes who will live in the unit",
        MLS,
    ),
    FairHousingTerm(
        (
            "men only",
            "male only",
            "women only",
            "female only",
            "female roommate",
            "male roommate",
            "female tenant",
            "male tenant",
        ),
        "",
        "sex",
        "states a preference by sex",
        HUD_109,
    ),
    # Race, colour, national origin
    FairHousingTerm(
        ("exclusive neighborhood", "exclusive area", "exclusive community", "exclusive enclave"),
        "established neighborhood",
        "race_national_origin",
        "'exclusive' is a HUD catch word for excluding people",
        HUD_109,
    ),
    FairHousingTerm(
        ("restricted community", "restricted neighborhood", "restricted area"),
        "established neighborhood",
        "race_national_origin",
        "'restricted' is a HUD catch word for excluding people",
        HUD_109,
    ),
    FairHousingTerm(
        ("integrated neighborhood", "integrated community", "traditional neighborhood"),
        "established neighborhood",
        "race_national_origin",
        "describes the neighbours in racial terms",
        HUD_109,
    ),
    FairHousingTerm(
        (
            "ethnic neighborhood",
            "ethnic area",
            "white neighborhood",
            "black neighborhood",
            "hispanic neighborhood",
            "latino neighborhood",
            "asian neighborhood",
        ),
        "neighborhood",
        "race_national_origin",
        "describes the neighbours by race or origin",
        ACHTENBERG,
    ),
    FairHousingTerm(
        ("whites only", "white only", "caucasian", "colored"),
        "",
        "race_national_origin",
        "states a racial preference",
        HUD_109,
    ),
    FairHousingTerm(
        ("english only", "english speaking only", "english speakers only", "must speak english"),
        "",
        "race_national_origin",
        "excludes by national origin",
        ACHTENBERG,
    ),
    FairHousingTerm(
        ("no immigrants", "citizens only", "us citizens only", "american citizens only"),
        "",
        "race_national_origin",
        "excludes by national origin",
        ACHTENBERG,
    ),
    # Religion
    FairHousingTerm(
        tuple(f"{near} {place}" for place in _WORSHIP for near in _NEAR)
        + tuple(
            f"{near} {place}" for place in _WORSHIP for near in ("near", "near the", "close to")
        ),
        "close to local amenities",
        "religion",
        "a house of worship as a landmark implies a religious preference",
        HUD_109,
    ),
    FairHousingTerm(
        ("christian home", "christian family", "christian community", "christian neighborhood"),
        "home",
        "religion",
        "states a religious preference",
        ACHTENBERG,
    ),
    FairHousingTerm(
        ("christian",),
        "",
        "religion",
        "states a religious preference",
        ACHTENBERG,
    ),
    FairHousingTerm(("jewish",), "", "religion", "states a religious preference", ACHTENBERG),
    FairHousingTerm(("catholic",), "", "religion", "states a religious preference", ACHTENBERG),
    FairHousingTerm(("muslim",), "", "religion", "states a religious preference", ACHTENBERG),
    FairHousingTerm(
        ("churchgoers", "church going", "churchgoing"),
        "",
        "religion",
        "states a religious preference",
        NAR_10,
    ),
    # Disability
    FairHousingTerm(
        ("handicap accessible", "handicapped accessible"),
        "accessible",
        "disability",
        "outdated term; describe the accessibility feature instead",
        ACHTENBERG,
    ),
    FairHousingTerm(
        ("handicapped", "handicap"),
        "accessible",
        "disability",
        "outdated term; describe the accessibility feature instead",
        ACHTENBERG,
    ),
    FairHousingTerm(
        ("no wheelchairs", "not for wheelchairs", "no disabled", "not suitable for disabled"),
        "",
        "disability",
        "excludes people with disabilities",
        ACHTENBERG,
    ),
    FairHousingTerm(
        ("able bodied",),
        "",
        "disability",
        "states a preference against disability",
        ACHTENBERG,
    ),
    FairHousingTerm(
        ("must be able to climb stairs", "must climb stairs", "must be able to walk"),
        "",
        "disability",
        "excludes people with disabilities",
        ACHTENBERG,
    ),
    FairHousingTerm(
        ("mentally ill", "mentally handicapped", "crippled", "cripple", "wheelchair bound"),
        "",
        "disability",
        "describes people by disability",
        ACHTENBERG,
    ),
    FairHousingTerm(
        ("no addicts", "no recovering addicts", "must be in good health", "healthy only"),
        "",
        "disability",
        "excludes people with disabilities",
        HUD_109,
    ),
    # Steering through the neighbourhood
    FairHousingTerm(
        ("safe area", "safe street", "safe location"),
        "established area",
        "steering",
        "'safe' steers buyers by who lives nearby",
        MLS,
    ),
    FairHousingTerm(
        ("safe neighborhood", "safe community"),
        "established neighborhood",
        "steering",
        "'safe' steers buyers by who lives nearby",
        MLS,
    ),
    FairHousingTerm(
        ("crime free", "low crime", "no crime"),
        "",
        "steering",
        "crime claims steer buyers by who lives nearby",
        MLS,
    ),
    FairHousingTerm(
        (
            "board approval required",
            "board approval",
            "membership approval",
            "membership required",
            "club membership required",
        ),
        "",
        "steering",
        "HUD catch words for screening buyers",
        HUD_109,
    ),
    # Source of income
    FairHousingTerm(
        (
            "no section 8",
            "no section eight",
            "section 8 not accepted",
            "no vouchers",
            "no housing vouchers",
        ),
        "",
        "source_of_income",
        "excludes by source of income where the law protects it",
        INCOME,
    ),
)

SPELLING_VARIANTS: dict[str, tuple[str, ...]] = {
    "neighborhood": ("neighbourhood",),
    "neighborhoods": ("neighbourhoods",),
    "colored": ("coloured",),
    "center": ("centre",),
}
"""US spelling -> other spellings (British, or longer forms) a phrase word may take."""
