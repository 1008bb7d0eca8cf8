"""Music dropped into the web chat (over its own wire protocol): refused with the check's
reason, or made the music bed that the storyboard names and its preview plays."""

from __future__ import annotations

from pathlib import Path

from tests import music_files as mf
from tests.support.web import ChatServer
from tests.web.chat_client import ChatClient, elements, messages
from tests.web.helpers import FACTS, listing_photos


async def test_an_audio_file_dropped_into_the_chat_is_the_music_bed(
    chat_server: ChatServer, tmp_path: Path
) -> None:
    jingle = mf.music(tmp_path / "jingle.wav", 4.0)
    song = mf.music(tmp_path / "Porch Song.mp3", 12.0)
    client = ChatClient(chat_server.base)
    try:
        assert await client.sign_in(chat_server.admin_email, chat_server.admin_password) == 200
        await client.connect()
        refused = messages(await client.say("", await client.upload([jingle], "audio/wav")))
        assert any("music beds need at least 10 s" in t for t in refused), refused

        taken = messages(await client.say("", await client.upload([song], "audio/mpeg")))
        assert any("Your track Porch Song.mp3 (0:12) is now the music bed" in t for t in taken)

        turn = await client.say(FACTS, await client.upload(listing_photos()[:5]))
        texts = messages(turn)
        assert any(
            t.startswith("### Storyboard v1") and "music “Porch Song.mp3”" in t for t in texts
        ), texts
        assert "preview-v1.mp4" in {e["name"] for e in elements(turn)}
    finally:
        await client.close()
