"""Redraw `docs/infographic-contact-sheet.jpg`: the last frame of three facts cards per aspect.

    python scripts/infographic_sheet.py [--out docs/infographic-contact-sheet.jpg]

Each row is one listing with its own brand colours, each column one aspect (9:16, 4:5, 1:1,
16:9) at the same height, so a change to the card's layout or icons can be looked at in one
picture before it is committed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image

from reelestate.render.infographic import parse_infographic
from reelestate.render.infographic.painter import CardPainter

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = ROOT / "tests" / "fixtures" / "photos"
ASPECTS = ("9:16", "4:5", "1:1", "16:9")
ROW_HEIGHT, GAP = 380, 8
LISTINGS = [
    {
        "facts": {
            "address": "849 Maple Avenue, 93446",
            "price": 529000,
            "beds": 3,
            "baths": 2,
            "area_sqft": 1826,
            "highlights": ["Ocean-view terrace", "Chef's kitchen with island", "Two-car garage"],
        },
        "brand": {
            "name": "Harbor & Pine Realty",
            "agent_name": "Dana Whitfield",
            "agent_phone": "(555) 014-2277",
            "primary_color": "#1F3A5F",
            "accent_color": "#F2B134",
        },
        "photo": PHOTOS / "house3" / "frontal.jpg",
    },
    {
        "facts": {
            "address": "184 Maple Avenue, 85255",
            "price": 1039000,
            "beds": 4,
            "baths": 4,
            "area_sqft": 3428,
            "highlights": ["Corner lot", "New roof 2022"],
        },
        "brand": {
            "name": "Summit Homes",
            "agent_name": "Luis Ortega",
            "agent_phone": "555-0199",
            "primary_color": "#1E4D3A",
            "accent_color": "#E8C547",
        },
        "photo": PHOTOS / "house5" / "frontal.jpg",
    },
    {
        "facts": {
            "address": "1150 Maple Avenue, 92677",
            "price": 1795000,
            "currency": "EUR",
            "beds": 4,
            "baths": 4.5,
            "area_sqft": 4038,
        },
        "brand": {
            "name": "Coastline Realty",
            "agent_name": "Mia Chen",
            "agent_phone": "+1 555 010 3344",
            "primary_color": "#5A1F3D",
            "accent_color": "#F28C8C",
        },
        "photo": PHOTOS / "house107" / "frontal.jpg",
    },
]


def sheet() -> Image.Image:
    rows = []
    for listing in LISTINGS:
        stills = []
        for aspect in ASPECTS:
            spec = parse_infographic({**listing, "aspect": aspect, "profile": "preview"})
            still = CardPainter(spec).still()
            width = round(still.width * ROW_HEIGHT / still.height)
            stills.append(still.resize((width, ROW_HEIGHT), Image.Resampling.LANCZOS))
        rows.append(stills)
    width = max(sum(s.width for s in row) + GAP * (len(row) + 1) for row in rows)
    height = len(rows) * ROW_HEIGHT + GAP * (len(rows) + 1)
    out = Image.new("RGB", (width, height), (236, 236, 236))
    y = GAP
    for row in rows:
        x = GAP
        for still in row:
            out.paste(still, (x, y))
            x += still.width + GAP
        y += ROW_HEIGHT + GAP
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "infographic-contact-sheet.jpg")
    args = parser.parse_args()
    sheet().save(args.out, quality=88)
    print(args.out)


if __name__ == "__main__":
    main()
