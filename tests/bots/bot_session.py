"""Start `reelestate bot` against a fake Bot API and write the whole session to a log.

    .venv/bin/python -m tests.bots.bot_session [--out FOLDER]

Sets up a fresh data folder with the CLI (`db upgrade`, `users create`, `users link-telegram`),
starts `reelestate bot --trial` as its own process, then plays an agent: /start, an album of the
six listing photos, the facts, the Approve button, /versions, a voice note; and a stranger who
is not linked. It writes `session.log` (every update and every Bot API call, in order),
`bot.log` (the bot's own log) and `video.mp4` (the video the bot sent), and probes the video.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from reelestate.render.probe import ffprobe_json
from tests.agent.helpers import FACTS, listing_photos
from tests.bots import updates
from tests.bots.fake_bot_api import TOKEN, FakeBotApi

AGENT = 31337
STRANGER = 4040
REELESTATE = [sys.executable, "-m", "reelestate.cli"]


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [*REELESTATE, *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"reelestate {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return (done.stdout + done.stderr).strip()


def approve_data(api: FakeBotApi) -> str:
    for call in reversed(api.calls_of("sendMessage", AGENT)):
        markup = call.fields.get("reply_markup", "")
        if "approve:" in markup:
            return str(json.loads(markup)["inline_keyboard"][0][0]["callback_data"])
    raise AssertionError("no Approve button was shown")


async def play(api: FakeBotApi, bot: subprocess.Popen[bytes]) -> None:
    async def until(check: object, what: str, within_s: float = 600) -> None:
        try:
            await api.wait_for(check, within_s)  # type: ignore[arg-type]
        except AssertionError as exc:
            state = "exited" if bot.poll() is not None else "running"
            raise AssertionError(f"{what} (bot {state}): {exc}") from None

    def shown(fragment: str, chat: int = AGENT) -> bool:
        return any(fragment in text for text in api.texts(chat))

    await until(lambda: bool(api.calls_of("getMe")), "the bot never started", 120)
    api.push(updates.text(STRANGER, "3 bed 2 bath, $1"))
    api.push(updates.text(AGENT, "/start"))
    await until(lambda: shown("Send 5 to 40 photos") and shown("not linked", STRANGER), "/start")
    for path in listing_photos():
        hosted = api.host_file(path.read_bytes(), path.name)
        api.push(updates.document(AGENT, hosted, path.name, "album-1"))
    await until(lambda: shown("address"), "the photos were not analysed")
    api.push(updates.text(AGENT, FACTS))
    await until(lambda: shown("Render the final video"), "no storyboard to approve")
    api.push(updates.button(AGENT, approve_data(api), message_id=1))
    await until(lambda: bool(api.calls_of("sendDocument", AGENT)), "no final video")
    api.push(updates.text(AGENT, "/versions"))
    api.push(updates.voice(AGENT))
    await until(lambda: shown("voice messages"), "no answer to the voice note")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="where to write the logs")
    out: Path = parser.parse_args(argv).out or Path(tempfile.mkdtemp(prefix="bot-session-"))
    out.mkdir(parents=True, exist_ok=True)
    with FakeBotApi() as api:
        env = {
            **os.environ,
            "REELESTATE_DATA_DIR": str(out / "data"),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.base,
            "TELEGRAM_ALBUM_WAIT_S": "1.0",
            "REELESTATE_PUBLIC_URL": "https://studio.example",
        }
        for name in ("DATABASE_URL", "REDIS_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
            env.pop(name, None)
        setup = [
            cli(env, "db", "upgrade"),
            cli(env, "users", "create", "agent@oak.example", "--org", "Oak Realty"),
            cli(env, "users", "link-telegram", "agent@oak.example", str(AGENT)),
        ]
        with (out / "bot.log").open("wb") as bot_log:
            bot = subprocess.Popen(
                [*REELESTATE, "bot", "--trial"], env=env, stdout=bot_log, stderr=bot_log
            )
            try:
                asyncio.run(play(api, bot))
            finally:
                bot.send_signal(signal.SIGINT)
                bot.wait(timeout=60)
        video = out / "video.mp4"
        video.write_bytes(api.calls_of("sendVideo", AGENT)[-1].files["video"])
        probe = ffprobe_json(video)
        streams = sorted(s["codec_name"] for s in probe["streams"])
        summary = f"video.mp4: {float(probe['format']['duration']):.1f} s, streams {streams}"
        lines = ["# set-up", *setup, "# session", *api.transcript, "# result", summary]
        (out / "session.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"session log: {out / 'session.log'}\nbot log: {out / 'bot.log'}\n{summary}")
    print(f"bot exit code: {bot.returncode}")
    return 0 if bot.returncode == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
