"""Chainlit's working folder: its config, its upload folder and our look, made before it loads.

Chainlit reads `CHAINLIT_APP_ROOT` when it is first imported (and creates `.files` there at
once), so `prepare_chainlit_root` must run before anything imports `chainlit`. The folder lives
in the data dir, never in the installed package.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from importlib.resources import files
from pathlib import Path
from typing import Any

from reelestate.core.settings import Settings

ASSETS = Path(str(files("reelestate.chat_ui"))) / "assets"
PUBLIC_FILES = (
    "reelestate.css",
    "theme.json",
    "logo_light.svg",
    "logo_dark.svg",
    "favicon.svg",
    "login.svg",
)


def chainlit_root(settings: Settings) -> Path:
    return (settings.data_dir / "chainlit").resolve()


def prepare_chainlit_root(settings: Settings, *, auth_secret: str) -> Path:
    """Write Chainlit's config and public files and point its environment at them."""
    root = chainlit_root(settings)
    config_dir = root / ".chainlit"
    config_dir.mkdir(parents=True, exist_ok=True)
    template = (ASSETS / "config.toml").read_text(encoding="utf-8")
    # One message may carry every photo and a music track; each kind's own limit is checked
    # when the message arrives.
    config = template.replace("{max_files}", str(settings.max_photos + 1)).replace(
        "{max_size_mb}", str(max(settings.max_photo_mb, settings.max_music_mb))
    )
    (config_dir / "config.toml").write_text(config, encoding="utf-8")
    shutil.copyfile(ASSETS / "chainlit.md", root / "chainlit.md")
    public = root / "public"
    public.mkdir(exist_ok=True)
    for name in PUBLIC_FILES:
        shutil.copyfile(ASSETS / name, public / name)
    _write_translation(config_dir / "translations")
    os.environ["CHAINLIT_APP_ROOT"] = str(root)
    os.environ["CHAINLIT_AUTH_SECRET"] = auth_secret
    os.environ.setdefault("CHAINLIT_COOKIE_SAMESITE", "lax")
    os.environ.setdefault("CHAINLIT_HEADLESS", "true")
    return root


WORDING = {
    ("auth", "login", "title"): "Sign in to ReelEstate Studio",
    ("chat", "watermark"): "Check every fact in a video before you publish it.",
    ("threadHistory", "sidebar", "empty"): "No listings yet",
}


def _write_translation(folder: Path) -> None:
    """Chainlit's English wording with our product's words where its defaults do not fit."""
    spec = importlib.util.find_spec("chainlit")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return
    source = Path(next(iter(spec.submodule_search_locations))) / "translations" / "en-US.json"
    data: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    for path, text in WORDING.items():
        node = data
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = text
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "en-US.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
