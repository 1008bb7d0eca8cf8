"""What the bot says and the buttons it shows: pure functions from runner events to text.

Messages go out as MarkdownV2 and every piece of user or assistant text is escaped, so a price
like "$529,000 (firm)." never breaks the message. Button data stays far below Telegram's
64-byte limit (PTB does not check it).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.helpers import escape_markdown

from reelestate.agent.events import ApprovalRequest, Question, SceneSummary, StoryboardReady
from reelestate.core.settings import MAX_PHOTOS, MIN_PHOTOS

BAR_WIDTH = 20
MAX_CALLBACK_BYTES = 64
MAX_MESSAGE_CHARS = 4096
MAX_CAPTION_CHARS = 1024


def start_text(minimum: int = MIN_PHOTOS, maximum: int = MAX_PHOTOS) -> str:
    """The welcome and help, with the photo limits this bot runs with."""
    return (
        "Hi! I turn a listing into a marketing video.\n\n"
        f"1. Send {minimum} to {maximum} photos of the property "
        "(an album is fine; as files keeps full quality).\n"
        "2. Tell me the facts: beds, baths, price, size, address, highlights.\n"
        "3. Look at the storyboard and press Approve.\n\n"
        "Want your own music? Send an audio file (MP3, M4A, WAV, OGG, FLAC; 10 s to 15 min).\n"
        "Commands: /new starts a new video, /status, /versions, /undo, /cancel, /unlink, /help."
    )


START_TEXT = start_text()
UNLINKED_TEXT = (
    "This Telegram account is not linked to a ReelEstate Studio account yet.\n"
    "Open Settings → Telegram in the web app, get a link code and send it here as "
    "/start CODE (or ask your admin to link you)."
)
VOICE_TEXT = "I can't listen to voice messages yet. Please type what you'd like to change."
PLEASE_TYPE = "Please type what you'd like to change."

MUSIC_CHOICES: dict[str, tuple[str, str]] = {
    "calm": ("Calm", "calmer music"),
    "upbeat": ("Upbeat", "more upbeat music"),
    "elegant": ("Elegant", "use elegant music"),
    "warm": ("Warm", "warmer music"),
    "off": ("No music", "no music"),
}
QUICK_CHANGES: dict[str, str] = {"shorter": "make it shorter", "square": "make it square"}


def md(text: str) -> str:
    """`text` escaped for MarkdownV2."""
    return escape_markdown(text, version=2)


def bold(text: str) -> str:
    return f"*{md(text)}*"


def clip(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def progress_bar(percent: float, width: int = BAR_WIDTH) -> str:
    filled = round(width * max(0.0, min(percent, 100.0)) / 100)
    return "█" * filled + "░" * (width - filled)


def progress_text(kind: str, stage: str, percent: float) -> str:
    """One progress message, edited in place: what is rendering, the stage, a bar; while it
    runs, how to stop it."""
    label = "Final video" if kind == "final" else "Preview"
    text = f"{label}: {stage} {percent:.0f}%\n{progress_bar(percent)}"
    if stage not in ("cancelled", "done") and percent < 100:
        text += "\nSend /cancel to stop it."
    return md(text)


def scene_line(scene: SceneSummary) -> str:
    caption = f" “{scene.caption}”" if scene.caption else ""
    room = scene.room_words or scene.room
    motion = scene.motion_words or scene.motion
    return f"{scene.number}. {room} ({scene.seconds:.1f} s, {motion}){caption}"


def storyboard_text(event: StoryboardReady) -> str:
    head = (
        f"Storyboard v{event.version}: {len(event.scenes)} scenes, {event.total_seconds:g} s, "
        f"{event.aspect}, {event.style} style, {event.music} music"
    )
    lines = [bold(head), *(md(scene_line(s)) for s in event.scenes)]
    if event.total_words:
        lines.append(bold(event.total_words))
    lines.extend(f"_{md(note)}_" for note in event.notes)
    if event.reason:
        lines.append(f"_{md(event.reason)}_")
    return clip("\n".join(lines))


def approval_text(event: ApprovalRequest) -> str:
    """The question; when credits are short, the Checkout link itself (it works even where
    buttons do not show)."""
    text = md(event.text)
    if event.buy_credits_url:
        text += f"\n\nBuy credits: {md(event.buy_credits_url)}"
    return text


def approval_keyboard(version: int, buy_credits_url: str | None = None) -> InlineKeyboardMarkup:
    buy = [[InlineKeyboardButton("💳 Buy credits", url=buy_credits_url)]] if buy_credits_url else []
    return InlineKeyboardMarkup(
        [
            *buy,
            [
                InlineKeyboardButton("✅ Approve", callback_data=callback(f"approve:{version}")),
                InlineKeyboardButton("✏️ Revise", callback_data=callback("revise")),
            ],
            [
                InlineKeyboardButton("Shorter", callback_data=callback("say:shorter")),
                InlineKeyboardButton("Change music", callback_data=callback("music")),
                InlineKeyboardButton("Square", callback_data=callback("say:square")),
            ],
        ]
    )


def music_keyboard() -> InlineKeyboardMarkup:
    row = [
        InlineKeyboardButton(label, callback_data=callback(f"mood:{key}"))
        for key, (label, _) in MUSIC_CHOICES.items()
    ]
    return InlineKeyboardMarkup([row[:3], row[3:]])


def question_text(event: Question) -> str:
    """The question; when it asks for missing facts its suggestions are examples, not answers,
    so they are shown as such instead of as buttons that would state them."""
    if event.missing and event.suggested_replies:
        return md(f"{event.text}\nFor example: " + "; ".join(event.suggested_replies))
    return md(event.text)


def question_keyboard(event: Question) -> InlineKeyboardMarkup | None:
    """Suggested replies as buttons (not for missing facts, see `question_text`); a reply too
    long for button data is left to be typed."""
    if event.missing:
        return None
    buttons = [
        InlineKeyboardButton(reply[:40], callback_data=f"reply:{reply}")
        for reply in event.suggested_replies
        if len(f"reply:{reply}".encode()) <= MAX_CALLBACK_BYTES
    ]
    if not buttons:
        return None
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def callback(data: str) -> str:
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"button data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return data


def batch_received_text(count: int) -> str:
    return f"Got {count} photos, analysing..."


def too_few_text(have: int, minimum: int, maximum: int = MAX_PHOTOS) -> str:
    return (
        f"Got {have} photo{'s' if have != 1 else ''}. A video needs {minimum} to {maximum}: "
        f"send at least {minimum - have} more."
    )


def too_many_text(count: int, room: int, maximum: int) -> str:
    if room <= 0:
        return f"This video already has {maximum} photos, the most it can use."
    return (
        f"That's {count} photos; a video uses at most {maximum}. "
        f"Send your best {room} (I've kept none of these {count})."
    )


def error_text(message: str, hint: str | None) -> str:
    return md(f"⚠️ {message}" + (f" {hint}" if hint else ""))


def heard_text(words: str) -> str:
    """The transcript echoed back, so a misheard instruction is noticed before it runs."""
    return md(clip(f"I heard: “{words}”"))


def voice_failed_text(reason: str) -> str:
    """The plain fallback when a recording could not be heard; `reason` is safe to show."""
    reason = reason.rstrip(".")
    return md(f"I couldn't transcribe that voice message: {reason}. {PLEASE_TYPE}")
