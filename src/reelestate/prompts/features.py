"""Words that claim a feature of the property, and which fact may back each claim.

A script may use a feature word only when the agent's highlights mention the feature (any of
its spellings) or, for room words, when a photo was labelled that room with confidence (or
the bed/bath count is given). Everything here is lower case; matching is on whole words.
"""

from __future__ import annotations

FEATURE_TERMS: dict[str, tuple[str, ...]] = {
    "pool": ("pool", "pools", "swimming pool", "plunge pool"),
    "ocean view": ("ocean view", "ocean views", "sea view", "sea views", "oceanfront", "ocean"),
    "water view": ("water view", "water views", "waterfront", "lake view", "lakefront", "lake"),
    "mountain view": ("mountain view", "mountain views", "mountains"),
    "city view": ("city view", "city views", "skyline"),
    "view": ("view", "views", "panoramic", "vista", "vistas"),
    "beach": ("beach", "beachfront", "beaches"),
    "fireplace": ("fireplace", "fireplaces", "hearth", "wood stove"),
    "garage": ("garage", "carport"),
    "hardwood": ("hardwood", "hardwood floors", "wood floors", "parquet"),
    "granite": ("granite",),
    "marble": ("marble",),
    "quartz": ("quartz",),
    "stainless steel": ("stainless", "stainless steel"),
    "island": ("island", "kitchen island"),
    "walk-in closet": ("walk-in closet", "walk in closet", "walk-in closets"),
    "balcony": ("balcony", "balconies", "terrace", "terraces"),
    "patio": ("patio", "patios"),
    "deck": ("deck", "decking", "rooftop deck", "roof deck"),
    "garden": ("garden", "gardens", "landscaped", "landscaping"),
    "yard": ("yard", "backyard", "back yard", "front yard", "lawn"),
    "porch": ("porch", "veranda", "verandah"),
    "basement": ("basement", "cellar"),
    "attic": ("attic", "loft"),
    "gym": ("gym", "fitness room", "home gym"),
    "sauna": ("sauna", "steam room"),
    "hot tub": ("hot tub", "jacuzzi", "spa", "whirlpool"),
    "wine cellar": ("wine cellar", "wine room", "wine fridge"),
    "solar": ("solar", "solar panels"),
    "smart home": ("smart home", "smart thermostat", "smart lighting"),
    "renovated": (
        "renovated",
        "remodeled",
        "remodelled",
        "updated",
        "refurbished",
        "brand new",
        "newly built",
        "new construction",
    ),
    "vaulted ceilings": ("vaulted", "vaulted ceilings", "cathedral ceilings"),
    "high ceilings": ("high ceilings", "soaring ceilings", "double-height"),
    "skylight": ("skylight", "skylights"),
    "natural light": (
        "natural light",
        "sunlight",
        "sun-filled",
        "light-filled",
        "sunlit",
        "sun-drenched",
        "bright",
        "airy",
    ),
    "pantry": ("pantry", "butler's pantry"),
    "laundry": ("laundry", "laundry room", "washer", "dryer"),
    "office": ("office", "home office", "study"),
    "den": ("den",),
    "dining room": ("dining room", "formal dining"),
    "guest house": ("guest house", "guesthouse", "casita", "pool house"),
    "dock": ("dock", "boat slip", "marina"),
    "tennis court": ("tennis", "tennis court", "pickleball"),
    "elevator": ("elevator",),
    "soaking tub": ("soaking tub", "clawfoot", "freestanding tub", "bathtub", "tub"),
    "double vanity": ("double vanity", "dual vanity", "double sinks"),
    "walk-in shower": ("walk-in shower", "rain shower"),
    "open floor plan": ("open floor plan", "open plan", "open-plan", "open concept"),
    "air conditioning": ("air conditioning", "central air", "a/c", "ac"),
    "heated floors": ("heated floors", "underfloor heating", "radiant heat"),
    "ev charger": ("ev charger", "ev charging"),
    "gated": ("gated", "gated community"),
    "quiet": ("quiet", "peaceful street", "secluded"),
    "acreage": ("acre", "acres", "acreage"),
    "schools": ("school", "schools"),
    "parking": ("parking", "driveway"),
}
"""Feature -> the words that claim it."""

ROOM_TERMS: dict[str, tuple[str, ...]] = {
    "kitchen": ("kitchen", "kitchens"),
    "bedroom": ("bedroom", "bedrooms", "suite"),
    "bathroom": ("bathroom", "bathrooms", "bath", "baths", "ensuite", "en-suite", "powder room"),
    "living_room": (
        "living room",
        "living rooms",
        "lounge",
        "living area",
        "great room",
        "family room",
        "sitting room",
    ),
}
"""Room label -> the words that name the room; a photo label or a count backs them."""

ROOM_LABELS: dict[str, str] = {
    "exterior": "Exterior",
    "kitchen": "Kitchen",
    "bedroom": "Bedroom",
    "bathroom": "Bathroom",
    "living_room": "Living room",
}
"""Short captions for a scene by its room."""
