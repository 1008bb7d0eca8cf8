"""Debian's Chromium for browser tests and benchmarks, and the page clock of a first storyboard."""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WATCH_SEND = """
() => {
  // On the page's own clock, from the press on #chat-submit: the first words of a new reply,
  // the "Storyboard v1" heading, and the first <video> (the preview) playing, muted: the first
  // moment its currentTime is past 0. Read it back from window.__sendTimes (milliseconds);
  // wait for it on `html[data-preview-playing]` (the page's Content-Security-Policy forbids the
  // eval that a polling wait_for_function needs).
  const w = window.__sendTimes = {reply: null, storyboard: null, playing: null,
                                   played: null, duration: null};
  let clicked = null;
  let asked = null;
  const replies = () => document.querySelectorAll('[data-step-type="assistant_message"]');
  const before = new Set(replies());
  const look = () => {
    if (clicked === null || w.playing !== null) return;
    const now = performance.now() - clicked;
    if (w.reply === null) {
      for (const step of replies()) {
        if (!before.has(step) && step.textContent.trim()) { w.reply = now; break; }
      }
    }
    if (w.storyboard === null && document.body.textContent.includes('Storyboard v1')) {
      w.storyboard = now;
    }
    const video = document.querySelector('video');
    if (video === null) return;
    if (video.currentTime > 0) {
      w.playing = now;
      w.played = video.currentTime;
      w.duration = video.duration;
      video.pause();
      document.documentElement.dataset.previewPlaying = 'yes';
      observer.disconnect();
      clearInterval(timer);
    } else if (asked !== video) {
      asked = video;
      video.muted = true;
      video.play().catch(() => { asked = null; });
    }
  };
  document.addEventListener('click', (e) => {
    if (clicked === null && e.target instanceof Element && e.target.closest('#chat-submit')) {
      clicked = performance.now();
    }
  }, true);
  const observer = new MutationObserver(look);
  observer.observe(document.body, {subtree: true, childList: true, characterData: true});
  const timer = setInterval(look, 20);
}
"""
SEND_TIMES = ("reply", "storyboard", "playing")
PREVIEW_PLAYING = "html[data-preview-playing]"
"""The moments `WATCH_SEND` records, each in milliseconds after the press on send; it marks
`PREVIEW_PLAYING` once the preview plays."""


def send_seconds(times: dict[str, float | None]) -> dict[str, float | None]:
    """`WATCH_SEND`'s moments in seconds after the press on send (None: not reached)."""
    return {
        name: None if (ms := times.get(name)) is None else round(ms / 1000, 2)
        for name in SEND_TIMES
    }
