"""Write the lock files, and try an upgrade in a throwaway environment before taking it.

Every machine installs from `requirements/dev.txt` (checks, laptops) or `requirements/runtime.txt`
(container images), both with hashes, never from the ranges in `pyproject.toml`: an upstream
release then changes nothing until someone decides to take it.

    python scripts/deps.py lock             # re-resolve after editing pyproject.toml
    python scripts/deps.py upgrade [--apply]

`lock` keeps every version that still satisfies the ranges and resolves only what changed.
`upgrade` resolves the newest allowed versions into a temporary folder, installs them into a
fresh virtual environment there, runs `make test` against it and prints each change with the
verdict; `--apply` copies the new lock files into `requirements/` when every check passed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements"
TOOLS_IN = REQUIREMENTS / "tools.in"
COMMON = [
    "--universal",
    "--python-version",
    "3.11",
    "--generate-hashes",
    "--quiet",
    "--custom-compile-command",
    "make lock",
]


def _uv() -> str:
    found = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if not found:
        sys.exit("uv is not installed: run `make install` first (it is in the dev lock)")
    return found


def compile_locks(out_dir: Path, *, upgrade: bool) -> None:
    """The dev lock (runtime, checks and packaging tools), then the runtime lock inside it, so
    that a package both sets share has one version."""
    uv = _uv()
    dev, runtime = out_dir / "dev.txt", out_dir / "runtime.txt"
    if not upgrade:
        # Seed uv with the current lock so that unchanged requirements keep their versions.
        for name in ("dev.txt", "runtime.txt"):
            current = REQUIREMENTS / name
            if current.exists() and current.resolve() != (out_dir / name).resolve():
                shutil.copyfile(current, out_dir / name)
    extra = ["--upgrade"] if upgrade else []
    inputs = ["pyproject.toml", str(TOOLS_IN.relative_to(ROOT))]
    subprocess.run(
        [uv, "pip", "compile", *inputs, "--extra", "dev", *COMMON, *extra, "-o", str(dev)],
        cwd=ROOT,
        check=True,
    )
    subprocess.run(
        [uv, "pip", "compile", *inputs, *COMMON, *extra, "-c", str(dev), "-o", str(runtime)],
        cwd=ROOT,
        check=True,
    )


def pins(lock: Path) -> dict[str, str]:
    """`name -> version` of every pin in a lock file that applies to this interpreter (the lock is
    universal: it also lists forks for other Python versions and platforms)."""
    found: dict[str, str] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        if not line or line[0] in " #-":
            continue
        requirement = Requirement(line.rstrip(" \\"))
        if requirement.marker is None or requirement.marker.evaluate():
            found[canonicalize_name(requirement.name)] = str(requirement.specifier).lstrip("=")
    return found


def changes(old: dict[str, str], new: dict[str, str]) -> list[tuple[str, str, str]]:
    rows = []
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name, "-"), new.get(name, "-")
        if before != after:
            rows.append((name, before, after))
    return rows


def run_checks(workdir: Path) -> bool:
    """Install the candidate lock into a fresh environment and run every check of `make test`."""
    venv = workdir / "venv"
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "install", "-q", "--no-deps"]
    subprocess.run([*pip, "--require-hashes", "-r", str(workdir / "dev.txt")], check=True)
    subprocess.run([*pip, "--no-build-isolation", "-e", str(ROOT)], check=True)
    result = subprocess.run(
        ["make", "--no-print-directory", "checks", f"VENV={venv}"],
        cwd=ROOT,
        check=False,
        env={**os.environ, "REELESTATE_LOCK_DIR": str(workdir)},  # what the drift test compares
    )
    return result.returncode == 0


def upgrade(*, apply: bool) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="reelestate-upgrade-"))
    compile_locks(workdir, upgrade=True)
    rows = changes(pins(REQUIREMENTS / "dev.txt"), pins(workdir / "dev.txt"))
    if not rows:
        print("Every package is already at the newest version the ranges allow.")
        return 0
    passed = run_checks(workdir)
    verdict = "passed" if passed else "FAILED"
    width = max(len(name) for name, _, _ in rows)
    print(f"\n{len(rows)} change(s); make test {verdict} with them:")
    for name, before, after in rows:
        print(f"  {name:<{width}}  {before} -> {after}")
    if apply and passed:
        for name in ("dev.txt", "runtime.txt"):
            shutil.copyfile(workdir / name, REQUIREMENTS / name)
        print("Applied to requirements/; run `make install` and commit the lock files.")
    else:
        print(f"Candidate lock files left in {workdir} (`--apply` takes them when checks pass).")
    return 0 if passed else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("lock", help="re-resolve the lock files after editing pyproject.toml")
    up = sub.add_parser("upgrade", help="try the newest allowed versions and report")
    up.add_argument("--apply", action="store_true", help="take them when every check passes")
    args = parser.parse_args()
    if args.command == "lock":
        compile_locks(REQUIREMENTS, upgrade=False)
        print("Wrote requirements/dev.txt and requirements/runtime.txt.")
        return 0
    return upgrade(apply=args.apply)


if __name__ == "__main__":
    sys.exit(main())
