"""The product in Debian's Chromium, driven by Playwright: sign in, drop photos, read the
storyboard, approve, watch the progress move, play and download the video, come back to it.

Screenshots of every step are kept in `test-artifacts/browser/` (set REELESTATE_TEST_ARTIFACTS
to put them elsewhere), with `first-storyboard.json`: the time from pressing send to the preview
playing, as this test's server gives it (see `test_listing_to_video_in_the_browser`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, sync_playwright

from tests.support.browser import CHROMIUM, FLAGS, PREVIEW_PLAYING, WATCH_SEND, send_seconds
from tests.support.web import ChatServer
from tests.web.helpers import FACTS, listing_photos

ARTIFACTS = Path(os.environ.get("REELESTATE_TEST_ARTIFACTS", "test-artifacts")) / "browser"
RECORD_PROGRESS = """
() => {
  window.__progress = [];
  const seen = () => {
    const m = document.body.innerText.match(/Rendering the final video:\\s*(\\d+)%/g) || [];
    for (const hit of m) {
      const n = parseInt(hit.match(/(\\d+)%/)[1], 10);
      if (window.__progress[window.__progress.length - 1] !== n) window.__progress.push(n);
    }
  };
  new MutationObserver(seen).observe(document.body, {subtree: true, childList: true,
                                                     characterData: true});
}
"""
PLAY_VIDEO = """
async (video) => {
  video.muted = true;
  if (video.readyState < 1) {
    await new Promise(r => video.addEventListener('loadedmetadata', r, {once: true}));
  }
  await video.play();
  const start = Date.now();
  while (video.currentTime < 0.3 && Date.now() - start < 15000) {
    await new Promise(r => setTimeout(r, 100));
  }
  video.pause();
  return {duration: video.duration, played: video.currentTime};
}
"""


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[BrowserContext]:
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1400, "height": 1000},
            accept_downloads=True,
        )
        try:
            yield context
        finally:
            context.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_listing_to_video_in_the_browser(
    chat_server: ChatServer,
    browser: BrowserContext,
    tmp_path: Path,
    record_property: Callable[[str, object], None],
) -> None:
    """The whole road in the browser; on the way, the time from pressing send to the preview
    playing is recorded (`send_to_preview_playing_s`, and `first-storyboard.json` beside the
    screenshots), never asserted on. This server reads rooms from file names and renders through
    the held engine at preview size (`tests.support.web.chat_server`), with 5 photos: its time is
    not the first-storyboard figure, which `python -m benchmarks.browser_first_storyboard`
    measures on the embedded defaults."""
    page = browser.new_page()
    page.set_default_timeout(120_000)
    blocked: list[str] = []  # the page's Content-Security-Policy must not break anything
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )

    page.goto(f"{chat_server.base}/chat/")
    page.fill("#email", chat_server.admin_email)
    page.fill("#password", chat_server.admin_password)
    shot(page, "01-sign-in")
    page.click("button[type=submit]")
    page.wait_for_selector("#chat-input")
    page.get_by_text("Drop 5 to 40 photos").wait_for()
    shot(page, "02-welcome")
    page.click("#chat-settings-open-modal")
    page.get_by_text("Brand kit").first.wait_for()
    page.wait_for_timeout(500)  # let the dialog finish fading in before the picture
    shot(page, "02b-settings")
    page.keyboard.press("Escape")

    photos = listing_photos()[:5]
    page.set_input_files("#upload-button-input", [str(p) for p in photos])
    page.fill("#chat-input", FACTS)
    page.wait_for_function(
        "document.querySelectorAll('#attachments img, #attachments > *').length >= 5"
    )
    page.wait_for_selector("#chat-submit:enabled")  # every photo uploaded: send is the start
    shot(page, "03-photos-attached")
    page.evaluate(WATCH_SEND)
    page.click("#chat-submit")

    heading = page.get_by_text("Storyboard v1")
    heading.wait_for()
    strip = page.locator("img[alt='storyboard-v1.png']")
    strip.wait_for()
    strip.scroll_into_view_if_needed()
    assert strip.evaluate("img => img.complete && img.naturalWidth > 0")
    shot(page, "04-storyboard")
    preview = page.locator("video").first
    preview.scroll_into_view_if_needed()
    page.wait_for_selector(PREVIEW_PLAYING, state="attached")
    times = page.evaluate("window.__sendTimes")
    assert times["duration"] > 0
    assert times["played"] > 0
    seconds = send_seconds(times)
    record_property("send_to_preview_playing_s", seconds["playing"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "first-storyboard.json").write_text(
        json.dumps(
            {
                "photos": len(photos),
                "send_to_first_reply_s": seconds["reply"],
                "send_to_storyboard_s": seconds["storyboard"],
                "send_to_preview_playing_s": seconds["playing"],
                "server": "tests.support.web.chat_server: file-name analyser, held engine at "
                "preview size; not the benchmark figure",
            },
            indent=2,
        )
        + "\n"
    )
    shot(page, "05-preview")

    approve = page.get_by_role("button", name="Approve").last
    approve.wait_for()
    approve.scroll_into_view_if_needed()
    shot(page, "06-approval")
    page.evaluate(RECORD_PROGRESS)
    approve.click()
    page.get_by_text(re.compile(r"Rendering the final video: \d+%")).first.wait_for()
    shot(page, "07-progress")
    ready = page.get_by_text("Your video is ready").first
    ready.wait_for()
    progress = page.evaluate("window.__progress")
    assert len(progress) >= 2, progress
    assert progress == sorted(progress), progress
    assert progress[-1] == 100

    final = page.locator("video").last
    final.scroll_into_view_if_needed()
    played = final.evaluate(PLAY_VIDEO)
    assert played["duration"] > 0
    assert played["played"] > 0
    shot(page, "08-video")

    link = page.locator("a[download='listing-v1.mp4']").first
    link.scroll_into_view_if_needed()
    shot(page, "09-downloads")
    with page.expect_download() as download_info:
        link.click()
    saved = tmp_path / "listing.mp4"
    download_info.value.save_as(saved)
    assert saved.stat().st_size > 10_000
    assert saved.read_bytes()[4:8] == b"ftyp"

    page.reload()
    thread = page.locator("#thread-history a").filter(has_text="12 Oak St").first
    thread.wait_for()
    shot(page, "10-history")
    thread.click()
    page.get_by_text("Your video is ready").first.wait_for()
    resumed = page.locator("video").last
    resumed.scroll_into_view_if_needed()
    again = resumed.evaluate(PLAY_VIDEO)
    assert again["duration"] > 0
    shot(page, "11-resumed")
    assert blocked == [], blocked
