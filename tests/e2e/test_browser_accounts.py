"""A new agent on their own, in Debian's Chromium: sign up on `/signup`, follow the mailed link,
answer the first-time questions, drop photos and get the first storyboard preview, with no
operator step; and "Sign in with Google" through the real redirect flow against a local OpenID
Connect provider, with the provider's bad answers each refused on a clear page.

Screenshots are kept in the test's temporary folder (`accounts-*.png`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, Route, sync_playwright

from tests.support.browser import CHROMIUM, FLAGS
from tests.support.mail import link, wait_for_mail
from tests.support.oidc_provider import Person as GooglePerson
from tests.support.oidc_provider import Provider
from tests.support.web import ChatServer
from tests.web.helpers import FACTS, PASSWORD, listing_photos, sign_up


@dataclass
class Studio:
    base: str
    outbox: Path
    provider: Provider


@pytest.fixture(scope="module")
def studio(chat_server: ChatServer) -> Studio:
    return Studio(chat_server.base, chat_server.settings.outbox_dir, chat_server.oidc)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()


def shot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"accounts-{name}.png"))


def answer(page: Page, text: str, then: str) -> None:
    page.fill("#chat-input", text)
    page.click("#chat-submit")
    page.get_by_text(then).first.wait_for()


def test_sign_up_onboarding_and_first_storyboard(
    studio: Studio, browser: BrowserContext, tmp_path: Path
) -> None:
    browser.clear_cookies()
    page = browser.new_page()
    page.set_default_timeout(90_000)
    page.goto(f"{studio.base}/signup")
    page.fill("#organization_name", "Oak Realty")
    page.fill("#display_name", "Ann Lee")
    page.fill("#email", "ann-signup@oak.example")
    page.fill("#password", PASSWORD)
    shot(page, tmp_path, "01-signup")
    page.click("button[type=submit]")
    page.get_by_text("Check your inbox").first.wait_for()

    page.goto(link(wait_for_mail(studio.outbox, "ann-signup@oak.example"), "/verify-email"))
    page.click("button[type=submit]")
    page.wait_for_selector("#chat-input")
    page.get_by_text("What is your brokerage called?").wait_for()
    shot(page, tmp_path, "02-onboarding")
    answer(page, "Oak Realty", "Your name and phone number")
    answer(page, "Ann Lee, 555-0100", "Brand colours")
    answer(page, "#1F3A5F #F2B134", "A voice for the narration")
    answer(page, "skip", "link Telegram")
    answer(page, "skip", "Drop 5 to 40 photos")
    page.get_by_text("All set: your brand kit").wait_for()
    shot(page, tmp_path, "03-onboarded")

    page.set_input_files("#upload-button-input", [str(p) for p in listing_photos()[:5]])
    page.fill("#chat-input", FACTS)
    page.wait_for_function(
        "document.querySelectorAll('#attachments img, #attachments > *').length >= 5"
    )
    page.click("#chat-submit")
    page.get_by_text("Storyboard v1").wait_for()
    strip = page.locator("img[alt='storyboard-v1.png']")
    strip.wait_for()
    strip.scroll_into_view_if_needed()
    assert strip.evaluate("img => img.complete && img.naturalWidth > 0")
    shot(page, tmp_path, "04-first-storyboard")
    page.close()


def _tamper_state(route: Route) -> None:
    """Start a sign-in, and change the `state` of the provider's redirect back on the way
    (Playwright sees only the first request of a chain of redirects, so it follows them)."""
    start = route.fetch(max_redirects=0)
    back = route.fetch(url=start.headers["location"], max_redirects=0)
    location = back.headers["location"].replace("state=", "state=tampered")
    route.fulfill(status=302, headers={**start.headers, "location": location})


def test_google_sign_in_lands_in_the_chat_and_bad_answers_are_refused(
    studio: Studio, browser: BrowserContext, tmp_path: Path
) -> None:
    browser.clear_cookies()
    page = browser.new_page()
    page.set_default_timeout(60_000)
    provider = studio.provider
    refusals = {
        "nonce": "wrong nonce",
        "expired": "has expired",
        "unverified": "has not verified this email address",
        "signature": "not signed by Google",
    }
    for spoil, words in refusals.items():
        provider.spoil = spoil
        page.goto(f"{studio.base}/login")
        page.click("text=Sign in with Google")
        page.get_by_text("Google sign-in refused").wait_for()
        page.get_by_text(words).wait_for()
        assert "/chat" not in page.url
    shot(page, tmp_path, "05-google-refused")
    provider.spoil = None
    page.route(f"{studio.base}/auth/google", _tamper_state)
    page.goto(f"{studio.base}/login")
    page.click("text=Sign in with Google")
    page.get_by_text("state did not match").wait_for()
    page.unroute(f"{studio.base}/auth/google")

    page.goto(f"{studio.base}/login")
    shot(page, tmp_path, "06-login")
    page.click("text=Sign in with Google")
    page.wait_for_selector("#chat-input")
    page.get_by_text("What is your brokerage called?").wait_for()
    assert page.url.startswith(f"{studio.base}/chat")
    shot(page, tmp_path, "07-google-onboarding")

    # An invited address joins the inviting organisation with Google, not a new one.
    with httpx.Client(base_url=studio.base) as http:
        tokens = sign_up(http.post, studio.outbox, "owner@birch.example")
        owner = {"Authorization": f"Bearer {tokens['access_token']}"}
        invited = http.post(
            "/api/v1/organizations/current/invitations",
            json={"email": "lin@birch.example"},
            headers=owner,
        ).json()
        browser.clear_cookies()
        provider.person = GooglePerson("google-sub-2", "lin@birch.example", name="Lin Park")
        page.goto(invited["accept_url"])
        page.click("text=Join with Google instead")
        page.wait_for_selector("#chat-input")
        page.get_by_text("Drop 5 to 40 photos").wait_for()
        members = http.get("/api/v1/organizations/current/members", headers=owner).json()
        assert {m["email"]: m["role"] for m in members}["lin@birch.example"] == "member"
    page.close()
