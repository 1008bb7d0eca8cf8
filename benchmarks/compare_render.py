"""The render engine of this tree against the one of a git ref, interleaved, on a busy machine.

    python -m benchmarks.compare_render --ref HEAD~3 --reps 3 --photos 6
    python -m benchmarks.compare_render --ref main --profile preview

Each repetition renders the workload of `run_all` once with the ref's engine and once with this
tree's, in fresh child processes with fresh caches, alternating which goes first. Medians of wall
time and of CPU seconds (the render process, and its children: x264 and the other FFmpeg steps)
are printed with their spread. CPU seconds hardly move when other work shares the machine, so
they compare the two engines' work even where wall times are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from benchmarks.run_all import workload
from reelestate.render.engine import render_video
photos = sorted((Path(sys.argv[5]) / "tests" / "fixtures" / "photos").glob("house*/*.jpg"))
spec = workload(photos[: int(sys.argv[2])])
if sys.argv[3] != "final":
    spec = spec.model_copy(update={"profile": sys.argv[3]})
work = Path(sys.argv[4])
start = time.perf_counter()
result = render_video(spec, work / "out", cache_dir=work / "cache")
wall = time.perf_counter() - start
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "wall": wall,
    "cpu_self": me.ru_utime + me.ru_stime,
    "cpu_children": kids.ru_utime + kids.ru_stime,
    "timings": result.timings,
}))
"""


def extract(ref: str, into: Path) -> Path:
    blob = subprocess.run(
        ["git", "archive", ref, "src", "benchmarks"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(into, filter="data")
    return into


def render_once(tree: Path, photos: int, profile: str, work: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": f"{tree / 'src'}{os.pathsep}{tree}"}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(tree), str(photos), profile, str(work), str(ROOT)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    shutil.rmtree(work, ignore_errors=True)
    if proc.returncode != 0:
        raise SystemExit(f"The render in {tree} failed:\n{proc.stderr[-2000:]}")
    data: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


def summary(runs: list[dict[str, object]], key: str) -> str:
    values = [float(r[key]) for r in runs]  # type: ignore[arg-type]
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", required=True, help="git ref of the engine to compare against")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--photos", type=int, default=12)
    parser.add_argument("--profile", default="final", choices=["final", "preview"])
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="reelestate-compare-"))
    try:
        trees = {"ref": extract(args.ref, tmp / "ref"), "this": ROOT}
        runs: dict[str, list[dict[str, object]]] = {"ref": [], "this": []}
        for rep in range(args.reps):
            order = ["ref", "this"] if rep % 2 == 0 else ["this", "ref"]
            for name in order:
                result = render_once(trees[name], args.photos, args.profile, tmp / "work")
                runs[name].append(result)
                print(f"rep {rep + 1} {name}: wall {float(result['wall']):.2f} s", flush=True)  # type: ignore[arg-type]
        print(f"\n{args.photos} photos, {args.profile}, {args.reps} reps, load {os.getloadavg()}")
        print("| engine | wall s | CPU s, render process | CPU s, children |")
        print("|---|---|---|---|")
        for name, items in runs.items():
            print(
                f"| {name} | {summary(items, 'wall')} | {summary(items, 'cpu_self')} | "
                f"{summary(items, 'cpu_children')} |"
            )
        ratios = [
            float(t["wall"]) / float(r["wall"])  # type: ignore[arg-type]
            for r, t in zip(runs["ref"], runs["this"], strict=True)
        ]
        cpu = [
            (float(t["cpu_self"]) + float(t["cpu_children"]))  # type: ignore[arg-type]
            / (float(r["cpu_self"]) + float(r["cpu_children"]))  # type: ignore[arg-type]
            for r, t in zip(runs["ref"], runs["this"], strict=True)
        ]
        print(
            f"\nthis / ref, wall: median {statistics.median(ratios):.2f} "
            f"(pairs {', '.join(f'{x:.2f}' for x in ratios)}); total CPU: median "
            f"{statistics.median(cpu):.2f} (pairs {', '.join(f'{x:.2f}' for x in cpu)})"
        )
        print("timings, this (last rep):", json.dumps(runs["this"][-1]["timings"]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
