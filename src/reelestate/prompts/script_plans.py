"""Sentence frames the rule-based writer joins facts with, beyond the per-slot templates.

Each style has several frames per kind, so two listings rarely read alike: {highlights} is
one to three of the agent's highlights joined as a list ("a renovated kitchen and a two-car
garage"), {rooms} the bed and bath counts in words, {area} the square feet, {value} an
optional fact's value. The words around the placeholders claim nothing: no views, light,
finishes or sizes, and no label-and-colon lines ("Bonus: ...") that read like a form.
"""

from __future__ import annotations

from reelestate.core.styles import Style

HIGHLIGHT_FRAMES: dict[Style, tuple[str, ...]] = {
    "luxury": (
        "The residence also offers {highlights}.",
        "It is complemented by {highlights}.",
        "Thoughtful additions include {highlights}.",
        "You will also find {highlights}.",
        "The home is further distinguished by {highlights}.",
    ),
    "modern": (
        "It comes with {highlights}.",
        "You also get {highlights}.",
        "There's {highlights}, too.",
        "Add {highlights} to the list.",
        "It also has {highlights}.",
    ),
    "cozy": (
        "You'll love {highlights}.",
        "There's {highlights} as well.",
        "It also has {highlights}.",
        "And there's {highlights} to enjoy.",
        "Little extras include {highlights}.",
    ),
    "energetic": (
        "And it has {highlights}!",
        "You also get {highlights}!",
        "Throw in {highlights}!",
        "It even has {highlights}!",
        "On top of that, {highlights}!",
    ),
    "minimal": (
        "It has {highlights}.",
        "With {highlights}.",
        "Also {highlights}.",
        "Plus {highlights}.",
    ),
}

ROOMS_AREA_FRAMES: dict[Style, tuple[str, ...]] = {
    "luxury": (
        "The residence offers {rooms} across {area} square feet.",
        "Within {area} square feet are {rooms}.",
        "Some {area} square feet hold {rooms}.",
    ),
    "modern": (
        "You get {rooms} in {area} square feet.",
        "{rooms} across {area} square feet.",
        "It packs {rooms} into {area} square feet.",
    ),
    "cozy": (
        "There are {rooms}, all in {area} square feet.",
        "You'll find {rooms} across {area} square feet of home.",
        "It has {rooms} in {area} square feet.",
    ),
    "energetic": (
        "That's {rooms} in {area} square feet!",
        "{rooms} across {area} square feet!",
        "We're talking {rooms} and {area} square feet!",
    ),
    "minimal": (
        "{rooms}, {area} square feet.",
        "It has {rooms} in {area} square feet.",
        "{area} square feet, {rooms}.",
    ),
}

PLACE_FRAMES: dict[Style, tuple[str, ...]] = {
    "luxury": ("in {city}", "in the city of {city}"),
    "modern": ("in {city}", "right in {city}"),
    "cozy": ("in {city}", "here in {city}"),
    "energetic": ("in {city}", "right in {city}"),
    "minimal": ("in {city}", "{city}"),
}
"""How an opening adds the city to an address that does not already name it."""

OPTIONAL_FACT_FRAMES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "zip_code": ("zip", "zip code", ("The zip code is {value}.", "It sits in zip code {value}.")),
}
"""Listing field -> (fact key, label, frames). A field present and not None is said with one
of its frames; a new optional fact needs a row here (and its key on the fact sheet)."""
