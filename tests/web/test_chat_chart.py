"""The analytics chart in the web chat: an interactive Plotly figure drawn from the event's
numbers; over the socket the Plotly element arrives with the PNG beside it, and its figure JSON
is fetched from the app's own origin, which the chat page's Content-Security-Policy allows."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import jwt
from plotly import io as pio

from reelestate.agent.events import ChartPoint, ChartReady, ChartSeries
from reelestate.api.security.tokens import app_secret
from reelestate.chat_ui.present import chart_lines
from reelestate.storage.context import TenantContext
from reelestate.storage.models import Channel, Role
from reelestate.storage.repositories.publications import NewPublication, PublicationsRepository
from reelestate.tools.analytics_figure import chart_figure
from tests.support.web import ChatServer
from tests.web.chat_client import ChatClient, elements


def _event(tmp_path: Path, series: list[ChartSeries]) -> ChartReady:
    image = tmp_path / "analytics-1234abcd.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    return ChartReady(title="Views and engagement, this month", image=image, series=series)


def test_the_interactive_chart_is_drawn_from_the_events_numbers(tmp_path: Path) -> None:
    oak = ChartSeries(
        label="12 Oak St",
        points=[
            ChartPoint(day=date(2026, 12, 1), views=100.0, engagement=7.0),
            ChartPoint(day=date(2026, 12, 2), views=250.0, engagement=12.0),
        ],
    )
    event = _event(tmp_path, [oak])
    figure = json.loads(pio.to_json(chart_figure(chart_lines(event), title=event.title)))
    traces = figure["data"]
    assert [(t["name"], t["y"]) for t in traces] == [
        ("12 Oak St", [100.0, 250.0]),
        ("12 Oak St", [7.0, 12.0]),
    ], "views above, engagement below"
    assert [t["showlegend"] for t in traces] == [True, False], "one legend entry per listing"
    assert traces[0]["x"] == ["2026-12-01", "2026-12-02"]
    assert {t["type"] for t in traces} == {"scatter"}, "no WebGL trace"
    assert figure["layout"]["title"]["text"] == "Views and engagement, this month"
    assert figure["layout"]["yaxis"]["title"]["text"] == "Views"
    empty = json.loads(pio.to_json(chart_figure([], title="Nothing")))
    assert empty["data"] == [] and empty["layout"]["annotations"][0]["text"] == "No insights yet"


async def test_the_plotly_element_arrives_over_the_socket(chat_server: ChatServer) -> None:
    client = ChatClient(chat_server.base)
    try:
        assert await client.sign_in(chat_server.admin_email, chat_server.admin_password) == 200
        assert client.token is not None
        claims = jwt.decode(client.token, app_secret(chat_server.settings), algorithms=["HS256"])
        meta = claims["metadata"]
        ctx = TenantContext(
            org_id=uuid.UUID(meta["org_id"]),
            user_id=uuid.UUID(meta["user_id"]),
            role=Role(meta["role"]),
        )
        posts = PublicationsRepository(chat_server.app.state.services.db)  # type: ignore[union-attr]
        post = posts.create(
            ctx,
            NewPublication(channel=Channel.INSTAGRAM, scheduled_at=datetime.now(UTC),
                           caption="Open house", title="9 Chart Court", video_key="k"),
        )  # fmt: skip
        posts.published(ctx, post.id, "ig-chart")
        posts.add_metrics(ctx, post.id, datetime.now(UTC), {"views": 4321.0, "likes": 9.0})

        await client.connect()
        shown = elements(await client.say("how did my listings do this month?"))
        [plotly] = [e for e in shown if e["type"] == "plotly"]
        assert plotly["display"] == "inline" and plotly["mime"] == "application/json"
        assert any(e["type"] == "image" and e["name"].endswith(".png") for e in shown)
        page = await client.http.get("/chat/")
        policy = page.headers["content-security-policy"]
        assert "connect-src 'self'" in policy and "script-src 'self'" in policy
        figure = await client.http.get(
            f"/chat/project/file/{plotly['chainlitKey']}",
            params={"session_id": client.session_id},
        )
        assert figure.status_code == 200, "fetched from the app's own origin"
        data = figure.json()["data"]
        assert any(t["name"] == "9 Chart Court" and 4321.0 in t["y"] for t in data)
    finally:
        await client.close()
