"""A brand kit's narrator over REST, and what a storyboard will cost before approval."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.web.helpers import LISTING_FACTS, Account, listing_photos

KIT_VOICE = {
    "name": "Oak Realty",
    "voice": "elevenlabs:Rachel",
    "voice_model": "eleven_turbo_v2_5",
    "voice_style": {"stability": 0.4, "similarity_boost": 0.8, "speed": 1.05},
}


def _board(me: Account, kit_id: str | None) -> dict[str, object]:
    project = me.post(
        "/api/v1/projects",
        json={"title": "Oak St", "facts": LISTING_FACTS, "brand_kit_id": kit_id},
    ).json()
    assert me.upload(project["id"], listing_photos()).status_code == 201
    board = me.post(f"/api/v1/projects/{project['id']}/storyboards", json={"length_seconds": 20})
    assert board.status_code == 201, board.text
    return dict(board.json())


def test_a_kit_voice_is_kept_and_narrates_the_kits_storyboards(client: TestClient) -> None:
    me = Account(client)
    created = me.post("/api/v1/brand-kits", json=KIT_VOICE)
    assert created.status_code == 201, created.text
    kit = created.json()
    assert kit["voice"] == "elevenlabs:Rachel" and kit["voice_model"] == "eleven_turbo_v2_5"
    assert kit["voice_style"]["stability"] == 0.4
    board = _board(me, kit["id"])
    current = board["current"]
    assert isinstance(current, dict)
    assert current["voice"] == "elevenlabs:Rachel"
    assert current["ai_cost_estimate_usd"] == 0.0
    plain = _board(Account(client), None)["current"]
    assert isinstance(plain, dict) and plain["voice"] == "espeak:en-us"


def test_ai_motion_shows_its_estimated_cost_before_approval(client: TestClient) -> None:
    me = Account(client)
    board = _board(me, None)
    revised = me.post(
        f"/api/v1/storyboards/{board['id']}/operations",
        json={"operations": [{"op": "set_ai_motion", "scene": 1, "model": "kling-1.6-pro"}]},
        headers={"If-Match": '"v1"'},
    )
    assert revised.status_code == 200, revised.text
    current = revised.json()["current"]
    assert current["scenes"][0]["ai_model"] == "kling-1.6-pro"
    assert current["ai_cost_estimate_usd"] > 0
    unknown = me.post(
        f"/api/v1/storyboards/{board['id']}/operations",
        json={"operations": [{"op": "set_ai_motion", "scene": 1, "model": "sora-99"}]},
        headers={"If-Match": '"v2"'},
    )
    assert unknown.status_code == 422
    assert "kling-1.6-standard" in unknown.text


@pytest.mark.parametrize("voice", ["acme:bob", ""])
def test_a_kit_voice_from_an_unknown_provider_is_refused(client: TestClient, voice: str) -> None:
    me = Account(client)
    refused = me.post("/api/v1/brand-kits", json={"name": "Oak", "voice": voice})
    assert refused.status_code == 422
