"""A whole conversation rendered for real (preview size), and what happens to big files.

Album of 8 photos in 8 updates -> facts -> storyboard album + preview -> Approve button ->
progress edited in place -> the final MP4 received by the fake Bot API and probed.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from PIL import Image, ImageOps

from reelestate.agent.backends.base import ProgressSink, RenderRequest
from reelestate.bots.telegram.delivery import size_of
from reelestate.render.ffmpeg import find_tools
from reelestate.render.probe import ffprobe_json
from reelestate.render.result import RenderResult
from reelestate.storage.blobs import verify_blob_signature
from tests.agent.helpers import FACTS, RecordingRenderer, listing_photos
from tests.bots import updates
from tests.bots.harness import ANN, BotUnderTest, bot_under_test


def eight_photos(folder: Path) -> list[Path]:
    """The six fixture photos and two mirrored copies (different pictures, same rooms)."""
    photos = listing_photos()
    folder.mkdir()
    for source, name in ((photos[1], "7-kitchen.jpg"), (photos[2], "8-bedroom.jpg")):
        with Image.open(source) as image:
            ImageOps.mirror(image).save(folder / name, quality=90)
    return [*photos, folder / "7-kitchen.jpg", folder / "8-bedroom.jpg"]


def approve_message_id(t: BotUnderTest) -> tuple[int, str]:
    for call in reversed(t.api.calls_of("sendMessage", ANN)):
        markup = call.fields.get("reply_markup")
        if markup and "approve:" in markup:
            data = json.loads(markup)["inline_keyboard"][0][0]["callback_data"]
            return int(call.fields.get("message_id", "0") or 0), data
    raise AssertionError("no approval buttons were shown")


@pytest.mark.slow
async def test_whole_conversation_ends_with_a_probed_video(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path) as t:
        t.send(updates.text(ANN, "/start"))
        await t.wait_for_text(ANN, "Send 5 to 40 photos")
        t.send_photos(ANN, eight_photos(tmp_path / "extra"), group="album-1")
        await t.wait_for_text(ANN, "Got 8 photos, analysing")
        await t.wait_for_text(ANN, "address")
        t.send(updates.text(ANN, FACTS))
        await t.wait_for_text(ANN, "Render the final video from storyboard version 1", 240)

        album = t.api.calls_of("sendMediaGroup", ANN)[-1]
        media = album.json("media")
        assert 2 <= len(media) <= 10 and media[0]["caption"].startswith("*Storyboard v1:")
        assert all(m["media"].startswith("attach://") for m in media)
        assert len(album.files) == len(media) and all(
            f[:2] == b"\xff\xd8" for f in album.files.values()
        )
        preview = t.api.calls_of("sendVideo", ANN)[-1]
        assert preview.fields["supports_streaming"] == "true"

        _, data = approve_message_id(t)
        t.send(updates.button(ANN, data, message_id=1))
        await t.api.wait_for(lambda: bool(t.api.calls_of("sendDocument", ANN)), 300)

        assert t.api.calls_of("answerCallbackQuery")
        assert t.api.calls_of("editMessageReplyMarkup", ANN), "buttons removed after approval"
        progress = [
            c for c in t.api.calls_of("editMessageText", ANN) if "Final video" in c.fields["text"]
        ]
        assert progress, "final progress is edited in place"
        assert len({c.fields["message_id"] for c in progress}) == 1
        assert "100%" in progress[-1].fields["text"]

        video_call = t.api.calls_of("sendVideo", ANN)[-1]
        assert video_call.fields["supports_streaming"] == "true"
        received = tmp_path / "received.mp4"
        received.write_bytes(video_call.files["video"])
        probe = ffprobe_json(received)
        streams = {s["codec_type"]: s for s in probe["streams"]}
        assert streams["video"]["codec_name"] == "h264"
        assert streams["audio"]["codec_name"] == "aac"
        assert (streams["video"]["width"], streams["video"]["height"]) == (540, 960)
        assert float(probe["format"]["duration"]) > 5
        subtitles = t.api.calls_of("sendDocument", ANN)[-1].files["document"].decode()
        assert "-->" in subtitles
        await t.wait_for_text(ANN, "Your video is ready")
        assert not [x for x in t.texts(ANN) if str(tmp_path) in x], "no server paths in the chat"


def padded_video(path: Path, megabytes: int) -> Path:
    """A valid 3-second MP4 padded with a top-level `free` box to `megabytes` in size."""
    subprocess.run(
        [
            find_tools().ffmpeg, "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=320x568:rate=25:duration=3",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=3",
            "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest",
            "-movflags", "+faststart", str(path),
        ],
        check=True,
    )  # fmt: skip
    padding = megabytes * 1024 * 1024 - path.stat().st_size
    with path.open("ab") as out:
        out.write(padding.to_bytes(4, "big") + b"free")
        out.write(b"\0" * (padding - 8))
    ffprobe_json(path)
    return path


class BigFinalRenderer(RecordingRenderer):
    """Renders stand-ins, except that the final video is a real 60 MB MP4."""

    def __init__(self, big: Path) -> None:
        super().__init__()
        self.big = big

    async def render(self, request: RenderRequest, on_progress: ProgressSink) -> RenderResult:
        outputs = await super().render(request, on_progress)
        if request.kind != "final":
            return outputs
        (request.out_dir / "video.srt").write_text("1\n00:00:00,000 --> 00:00:02,000\nHi\n")
        return outputs.model_copy(update={"video": self.big, "duration": 3.0})


async def approve_and_wait(t: BotUnderTest) -> None:
    t.send_photos(ANN, listing_photos(), group="g")
    t.send(updates.text(ANN, FACTS))
    await t.wait_for_text(ANN, "Render the final video")
    _, data = approve_message_id(t)
    t.send(updates.button(ANN, data, message_id=1))
    await t.api.wait_for(lambda: bool(t.api.calls_of("sendDocument", ANN)), 120)


@pytest.fixture(scope="module")
def big_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return padded_video(tmp_path_factory.mktemp("big") / "video.mp4", 60)


async def test_60_mb_result_is_reencoded_to_fit(tmp_path: Path, big_video: Path) -> None:
    async with bot_under_test(tmp_path, BigFinalRenderer(big_video)) as t:
        await approve_and_wait(t)
        final = t.api.calls_of("sendVideo", ANN)[-1]
        data = final.files["video"]
        assert len(data) < 50 * 1024 * 1024 < size_of(big_video)
        received = tmp_path / "fitted.mp4"
        received.write_bytes(data)
        assert float(ffprobe_json(received)["format"]["duration"]) == pytest.approx(3, abs=0.2)
        assert not list((t.settings.data_dir / "telegram" / "outgoing").glob("*.mp4"))


async def test_60_mb_result_that_cannot_fit_is_sent_as_a_signed_link(
    tmp_path: Path, big_video: Path
) -> None:
    async with bot_under_test(tmp_path, BigFinalRenderer(big_video), upload_limit=100 * 1024) as t:
        await approve_and_wait(t)
        link_text = await t.wait_for_text(ANN, "too large for Telegram")
        url = re.search(r"\((https://studio\.example/blobs/[^)]+)\)", link_text)
        assert url is not None
        parsed = urlsplit(url.group(1).replace("\\", ""))
        key = unquote(parsed.path.removeprefix("/blobs/"))
        query = dict(parse_qsl(parsed.query))
        assert verify_blob_signature(key, int(query["expires"]), query["signature"], b"s" * 32)
        assert size_of(tmp_path / "blobs" / key) == size_of(big_video)
        finals = [
            c
            for c in t.api.calls_of("sendVideo", ANN)
            if "Your video" in c.fields.get("caption", "")
        ]
        assert finals == [], "nothing over the limit is uploaded"


async def test_413_from_the_server_is_not_retried_and_falls_back_to_a_link(
    tmp_path: Path, big_video: Path
) -> None:
    async with bot_under_test(
        tmp_path, BigFinalRenderer(big_video), server_upload_limit=64 * 1024
    ) as t:
        await approve_and_wait(t)
        await t.wait_for_text(ANN, "too large for Telegram")
        refused = [
            c for c in t.api.calls if c.method == "sendVideo" and c.fields.get("status") == "413"
        ]
        assert len(refused) == 1, "the re-encoded final: one try, never retried as a blip"
