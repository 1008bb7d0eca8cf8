"""Connecting a Page through Facebook Login over HTTP, against the local Graph server: the link,
the redirect to the dialog with a sealed state, the callback's token exchanges, the Page token
stored sealed; a forged state or a used code connects nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from reelestate.api.app import AppOptions, create_app
from reelestate.api.services import AppServices
from reelestate.core.sealing import secret_box
from reelestate.storage import migrate
from reelestate.storage.repositories.social_accounts import SocialAccountsRepository
from tests.agent.helpers import FileNameAnalyser
from tests.support.fake_graph import FakeGraphApi
from tests.web.conftest import web_settings
from tests.web.helpers import Account


@pytest.fixture
def app_client(graph: FakeGraphApi, tmp_path: Path) -> Iterator[TestClient]:
    settings = web_settings(
        tmp_path,
        META_APP_ID=graph.app_id,
        META_APP_SECRET=graph.app_secret,
        META_GRAPH_URL=graph.base_url,
        META_LOGIN_URL="https://login.example",
        REELESTATE_PUBLIC_URL="http://testserver",
    )
    migrate.upgrade(settings)
    with TestClient(create_app(settings, AppOptions(chat=False, analyser=FileNameAnalyser()))) as c:
        yield c


def test_facebook_login_stores_the_pages_token_sealed(
    app_client: TestClient, graph: FakeGraphApi
) -> None:
    me = Account(app_client)
    link = me.post("/api/v1/social/meta/connect-link").json()["url"]
    assert link.startswith("http://testserver/api/v1/social/meta/connect?ticket=")
    dialog = app_client.get(link, follow_redirects=False)
    assert dialog.status_code == 302
    where = urlsplit(dialog.headers["location"])
    assert (
        f"{where.scheme}://{where.netloc}{where.path}" == "https://login.example/v23.0/dialog/oauth"
    )
    query = {k: v[0] for k, v in parse_qs(where.query).items()}
    assert query["client_id"] == graph.app_id and "instagram_content_publish" in query["scope"]
    assert query["redirect_uri"] == "http://testserver/api/v1/social/meta/callback"
    graph.redirect_uri = query["redirect_uri"]

    forged = query["state"][:-4] + "AAAA"
    refused = app_client.get(
        "/api/v1/social/meta/callback", params={"code": graph.login_code, "state": forged}
    )
    assert refused.status_code == 401 and "not valid" in refused.text
    assert graph.calls("oauth") == 0, "a forged state reaches nobody"
    used = app_client.get(
        "/api/v1/social/meta/callback", params={"code": "USED-CODE", "state": query["state"]}
    )
    assert used.status_code == 502 and "Not connected" in used.text

    done = app_client.get(
        "/api/v1/social/meta/callback", params={"code": graph.login_code, "state": query["state"]}
    )
    assert done.status_code == 200, done.text
    assert "Connected Oak Realty and its Instagram account" in done.text
    exchanges = [r for r in graph.requests if r.path.endswith("/oauth/access_token")]
    assert [r.method for r in exchanges][-2:] == ["POST", "POST"]
    assert all(graph.app_secret not in str(r.query) for r in graph.requests), "secret in a URL"
    assert graph.calls("me/accounts") == 1

    services: AppServices = app_client.app.state.services  # type: ignore[attr-defined]
    ctx = services.tokens.verify(me.tokens["access_token"], "access").context()
    account = SocialAccountsRepository(services.db).current(ctx)
    assert (account.page_id, account.instagram_id) == (graph.page_id, graph.ig_id)
    assert graph.token not in account.page_token_sealed
    assert secret_box(services.settings).open(account.page_token_sealed) == graph.token

    assert app_client.get("/api/v1/social/meta/connect?ticket=" + "x" * 40).status_code == 401
    assert app_client.post("/api/v1/social/meta/connect-link").status_code == 401
