"""The Meta Graph client against a local server speaking Meta's wire format."""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr

from reelestate.core.errors import (
    ProviderRejectedError,
    PublishingLimitError,
    ReconnectRequiredError,
)
from reelestate.providers.social.base import SocialAccount
from reelestate.providers.social.graph_errors import (
    ContainerNotReadyError,
    GraphRateLimitedError,
    graph_error,
)
from reelestate.providers.social.meta_graph import MetaGraphClient
from tests.support.fake_graph import FakeGraphApi, GraphFault

ACCOUNT = SocialAccount(page_id="1001", page_token=SecretStr("PAGE-TOKEN"), instagram_id="17841")


def test_reel_is_created_fetched_polled_and_published_once(
    client: MetaGraphClient, graph: FakeGraphApi, file_server: str
) -> None:
    url = f"{file_server}/reel.mp4"
    container = client.create_reel_container(ACCOUNT, video_url=url, caption="12 Oak St #home")
    assert graph.fetched[-1] == url
    with pytest.raises(ContainerNotReadyError):
        client.publish_container(ACCOUNT, container)
    assert client.container_state(ACCOUNT, container).status_code == "IN_PROGRESS"
    assert client.container_state(ACCOUNT, container).status_code == "FINISHED"
    media_id = client.publish_container(ACCOUNT, container)
    assert graph.published == [
        {"channel": "instagram", "id": media_id, "caption": "12 Oak St #home"}
    ]
    with pytest.raises(ProviderRejectedError, match="2207008"):
        client.publish_container(ACCOUNT, container)
    assert client.publishing_quota(ACCOUNT).used == 1
    # The token travels in the header, never in a URL.
    assert all("PAGE-TOKEN" not in r.path and "access_token" not in r.query for r in graph.requests)


def test_a_landscape_video_ends_the_container_in_error(
    client: MetaGraphClient, graph: FakeGraphApi, file_server: str
) -> None:
    container = client.create_reel_container(
        ACCOUNT, video_url=f"{file_server}/wide.mp4", caption="x"
    )
    client.container_state(ACCOUNT, container)
    state = client.container_state(ACCOUNT, container)
    assert state.status_code == "ERROR"
    assert state.status is not None and "2207026" in state.status


@pytest.mark.parametrize("code", [4, 17, 32, 613])
def test_throttling_is_retried_then_succeeds(
    client: MetaGraphClient, graph: FakeGraphApi, code: int
) -> None:
    graph.insights["777"] = {"views": 12.0}
    graph.graph_faults.append(GraphFault("777/insights", code, http_status=403))
    assert client.media_insights(ACCOUNT, "777") == {"views": 12.0}
    assert graph.calls("777/insights") == 2


def test_throttling_that_persists_is_reported_with_the_wait_meta_names(
    client: MetaGraphClient, graph: FakeGraphApi
) -> None:
    usage = json.dumps({"1001": [{"type": "pages", "estimated_time_to_regain_access": 7}]})
    for _ in range(3):
        graph.graph_faults.append(
            GraphFault("778/insights", 80001, headers={"X-Business-Use-Case-Usage": usage})
        )
    with pytest.raises(GraphRateLimitedError) as caught:
        client.media_insights(ACCOUNT, "778")
    assert caught.value.retry_after == 420.0
    assert graph.calls("778/insights") == 3


def test_an_expired_token_asks_to_reconnect_without_retrying(
    client: MetaGraphClient, graph: FakeGraphApi
) -> None:
    graph.graph_faults.append(GraphFault("779/insights", 190, subcode=463))
    with pytest.raises(ReconnectRequiredError) as caught:
        client.media_insights(ACCOUNT, "779")
    assert caught.value.user_error and "Reconnect" in (caught.value.hint or "")
    assert graph.calls("779/insights") == 1
    wrong = ACCOUNT.model_copy(update={"page_token": SecretStr("OLD")})
    with pytest.raises(ReconnectRequiredError) as again:
        client.media_insights(wrong, "779")
    assert "OLD" not in str(again.value)


def test_transient_server_errors_are_retried(client: MetaGraphClient, graph: FakeGraphApi) -> None:
    graph.insights["780"] = {"reach": 3.0}
    graph.graph_faults.append(GraphFault("780/insights", 2, http_status=500))
    graph.graph_faults.append(GraphFault("780/insights", 1, http_status=500))
    assert client.media_insights(ACCOUNT, "780") == {"reach": 3.0}


def test_facebook_reel_goes_through_start_upload_and_finish(
    client: MetaGraphClient, graph: FakeGraphApi, file_server: str
) -> None:
    upload = client.start_page_reel(ACCOUNT)
    assert upload.upload_url.startswith(graph.base_url)
    client.upload_page_reel(ACCOUNT, upload.upload_url, f"{file_server}/reel.mp4")
    assert not client.page_reel_published(ACCOUNT, upload.video_id)
    client.finish_page_reel(ACCOUNT, upload.video_id, description="Cedar Lane")
    assert client.page_reel_published(ACCOUNT, upload.video_id)
    assert graph.published[-1]["state"] == "PUBLISHED"


def test_error_codes_map_to_what_the_user_can_do() -> None:
    def body(code: int, sub: int | None = None) -> bytes:
        err: dict[str, object] = {"message": "m", "code": code, "fbtrace_id": "t"}
        if sub:
            err["error_subcode"] = sub
        return json.dumps({"error": err}).encode()

    assert isinstance(graph_error(400, body(9, 2207042), {}), PublishingLimitError)
    assert isinstance(graph_error(400, body(9007, 2207027), {}), ContainerNotReadyError)
    assert "fetch" in graph_error(400, body(9004, 2207052), {}).message
    assert graph_error(500, body(1), {}).retryable
    assert not graph_error(400, body(368), {}).retryable
    assert graph_error(502, b"<html>", {}).retryable
