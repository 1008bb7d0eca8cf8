"""`reelestate bot` as its own process against the fake Bot API: the session script's run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bots.bot_session import main


@pytest.mark.slow
def test_reelestate_bot_process_serves_a_whole_session(tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path)]) == 0
    log = (tmp_path / "session.log").read_text(encoding="utf-8")
    assert "Telegram user 31337 is linked to agent@oak.example." in log
    assert "chat=4040 text='This Telegram account is not linked" in log
    assert "Got 6 photos, analysing" in log
    assert "buttons=['✅ Approve', '✏️ Revise', 'Shorter', 'Change music', 'Square']" in log
    assert "pressed 'approve:1'" in log
    assert "Final video: done 100%" in log
    assert "sendDocument chat=31337 caption='Subtitles (SRT)'" in log
    assert "streams ['aac', 'h264']" in log
    bot_log = (tmp_path / "bot.log").read_text(encoding="utf-8")
    assert "video video.mp4 sent by upload" in bot_log
    assert "AAFakeTokenForTests" not in bot_log, "the token never reaches the log"
