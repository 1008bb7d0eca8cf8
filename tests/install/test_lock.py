"""The environment runs the locked bytes: what is installed, the lock and pyproject's ranges agree.

When one of these fails after a deliberate change, `make lock` (a range edited) or
`make install` (the lock moved) brings them back together; see the README's set-up section.
"""

from __future__ import annotations

import os
import tomllib
from importlib.metadata import distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from scripts.deps import changes, pins

ROOT = Path(__file__).resolve().parents[2]
# `make upgrade` runs the checks in an environment installed from candidate lock files.
LOCKS = Path(os.environ.get("REELESTATE_LOCK_DIR") or ROOT / "requirements")
DEV_LOCK = LOCKS / "dev.txt"
RUNTIME_LOCK = LOCKS / "runtime.txt"
PROJECT = "reelestate-studio"


def _installed() -> dict[str, str]:
    found = {canonicalize_name(d.metadata["Name"]): d.version for d in distributions()}
    found.pop(PROJECT, None)
    return found


def _direct_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = project["dependencies"] + project["optional-dependencies"]["dev"]
    return [Requirement(line) for line in listed]


def test_installed_distributions_are_exactly_the_dev_lock() -> None:
    drift = changes(pins(DEV_LOCK), _installed())
    described = [f"{name}: locked {locked}, installed {got}" for name, locked, got in drift]
    assert not described, "the environment differs from requirements/dev.txt ('-' = absent):\n" + (
        "\n".join(described)
    )


def test_runtime_lock_is_the_dev_lock_without_the_dev_tools() -> None:
    runtime, dev = pins(RUNTIME_LOCK), pins(DEV_LOCK)
    differing = {name: (version, dev.get(name)) for name, version in runtime.items()}
    assert {n: v for n, v in differing.items() if v[0] != v[1]} == {}
    assert {"pytest", "ruff", "mypy"} <= dev.keys() - runtime.keys()


def test_every_direct_requirement_is_locked_within_its_range() -> None:
    locked = pins(DEV_LOCK)
    outside = [
        f"{req.name}{req.specifier} locked at {locked.get(canonicalize_name(req.name), 'nothing')}"
        for req in _direct_requirements()
        if locked.get(canonicalize_name(req.name)) not in req.specifier
        or canonicalize_name(req.name) not in locked
    ]
    assert outside == [], "pyproject.toml changed without `make lock`: " + "; ".join(outside)


def test_every_pin_carries_hashes() -> None:
    for lock in (DEV_LOCK, RUNTIME_LOCK):
        lines = lock.read_text(encoding="utf-8").splitlines()
        pinned = [i for i, line in enumerate(lines) if line and line[0] not in " #-"]
        unhashed = [lines[i] for i in pinned if not lines[i + 1].lstrip().startswith("--hash=")]
        assert pinned and unhashed == [], f"{lock.name}: pins without hashes: {unhashed}"


def test_changes_names_added_removed_and_moved_packages() -> None:
    before = {"numpy": "2.4.6", "rich": "13.7.0", "gone": "1.0"}
    after = {"numpy": "2.5.0", "rich": "13.7.0", "new": "0.1"}
    assert changes(before, after) == [
        ("gone", "1.0", "-"),
        ("new", "-", "0.1"),
        ("numpy", "2.4.6", "2.5.0"),
    ]


def test_pins_keep_only_the_forks_for_this_interpreter(tmp_path: Path) -> None:
    lock = tmp_path / "lock.txt"
    lock.write_text(
        "# header\n"
        "numpy==2.4.6 ; python_full_version < '3.12' \\\n"
        "    --hash=sha256:aa\n"
        "numpy==2.5.5 ; python_full_version >= '3.12' \\\n"
        "    --hash=sha256:bb\n"
        "Typing_Extensions==4.12.0 \\\n"
        "    --hash=sha256:cc\n"
        "    # via pydantic\n",
        encoding="utf-8",
    )
    assert pins(lock) == {"numpy": "2.4.6", "typing-extensions": "4.12.0"}
