"""Facebook Login's server side: a code for a short-lived user token, that for a long-lived
one (`fb_exchange_token`), and the Pages the person manages with their Page tokens and linked
Instagram professional accounts.

The app secret and the codes travel in POST bodies, never in a URL that could be logged.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, SecretStr

from reelestate.core.errors import ProviderError
from reelestate.providers.social.base import SocialAccount
from reelestate.providers.social.meta_graph import MetaGraphClient

LOGIN_SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_manage_posts",
    "read_insights",
    "business_management",
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_insights",
)
"""What the dialog asks for: list and post to Pages, publish to Instagram, read insights."""


class ManagedPage(BaseModel):
    model_config = ConfigDict(frozen=True)

    page_id: str
    name: str | None
    page_token: SecretStr
    instagram_id: str | None


class MetaLogin:
    """The token exchanges of one Meta app, over a `MetaGraphClient`."""

    def __init__(self, graph: MetaGraphClient, app_id: str, app_secret: SecretStr) -> None:
        self._graph = graph
        self._app_id = app_id
        self._app_secret = app_secret

    def _token(self, form: dict[str, str]) -> SecretStr:
        secret = self._app_secret.get_secret_value()
        form = {"client_id": self._app_id, "client_secret": secret, **form}
        body = self._graph.call("POST", "oauth/access_token", None, data=form)
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise ProviderError("Facebook did not hand out a token.")
        return SecretStr(token)

    def user_token(self, code: str, redirect_uri: str) -> SecretStr:
        """The short-lived user token the dialog's code stands for."""
        return self._token({"redirect_uri": redirect_uri, "code": code})

    def long_lived(self, short: SecretStr) -> SecretStr:
        """A user token that lasts about 60 days (its Page tokens then do not expire)."""
        return self._token(
            {"grant_type": "fb_exchange_token", "fb_exchange_token": short.get_secret_value()}
        )

    def pages(self, user_token: SecretStr) -> list[ManagedPage]:
        """The Pages the person manages, each with its token and Instagram account."""
        me = SocialAccount(page_id="me", page_token=user_token)
        body = self._graph.call(
            "GET",
            "me/accounts",
            me,
            params={"fields": "id,name,access_token,instagram_business_account"},
        )
        pages = []
        for entry in body.get("data") or []:
            if not isinstance(entry, dict) or not entry.get("access_token"):
                continue
            linked = entry.get("instagram_business_account")
            pages.append(
                ManagedPage(
                    page_id=str(entry["id"]),
                    name=entry.get("name"),
                    page_token=SecretStr(str(entry["access_token"])),
                    instagram_id=str(linked["id"]) if isinstance(linked, dict) else None,
                )
            )
        return pages
