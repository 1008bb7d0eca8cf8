"""How long an agent waits for the first storyboard: photos in, storyboard and preview out.

    python -m benchmarks.first_storyboard              # 12 photos, embedded defaults
    python -m benchmarks.first_storyboard --photos 6

One conversation through the agent runner on the embedded defaults (rule-based assistant,
embedded photo analysis, espeak-ng narration, in-process preview render, SQLite), in one message
with the listing's facts and 12 photos, the way a user drops them into the chat. The clock runs
from that message to the `storyboard_ready` event that carries a playable preview. Each tool
the assistant calls (analysis, script, plan, narration and preview) is timed as it runs; the
rest is the conversation's own work (intake, checkpoints, messages).

Prints a RESULTS.md section and writes the raw figures to benchmarks/results/first_storyboard.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.measure import cpu_seconds
from reelestate.agent import actions, nodes
from reelestate.agent.backends.base import InProcessRenderBackend
from reelestate.agent.events import ErrorEvent, StoryboardReady
from reelestate.agent.runner import Runner
from reelestate.core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = sorted((ROOT / "tests" / "fixtures" / "photos").glob("house*/*.jpg"))
RESULTS = ROOT / "benchmarks" / "results" / "first_storyboard.json"
FACTS = "3 bed 2 bath, $529,000, 1,826 sq ft, 12 Oak St, Paso Robles CA, new roof, quiet street"
TARGET_S = 12.0

Handler = Callable[..., Awaitable[Any]]


def _timed(name: str, handler: Handler, spent: dict[str, float]) -> Handler:
    async def run(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return await handler(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - start

    return run


async def _conversation(settings: Settings, photos: list[Path]) -> dict[str, object]:
    spent: dict[str, float] = {}
    # The graph's nodes call tools through their own table, built from the actions' at import.
    originals = dict(nodes.TOOL_HANDLERS)
    for name in actions.HANDLERS:
        nodes.TOOL_HANDLERS[name] = _timed(name, originals[name], spent)
    render_stages: dict[str, float] = {}
    plain_run = InProcessRenderBackend._run

    def keep_timings(self: InProcessRenderBackend, *args: Any) -> Any:
        result = plain_run(self, *args)
        render_stages.update(result.timings)
        return result

    InProcessRenderBackend._run = keep_timings  # type: ignore[method-assign]
    events: list[str] = []
    ready: StoryboardReady | None = None
    try:
        async with Runner.open(settings) as runner:
            cpu = cpu_seconds()
            start = time.perf_counter()
            first_event: float | None = None
            async for event in runner.send("bench-1", "agent@example.com", FACTS, photos):
                if first_event is None:
                    first_event = time.perf_counter() - start
                events.append(event.type)
                if isinstance(event, ErrorEvent):
                    raise SystemExit(f"The conversation failed: {event.message}")
                if isinstance(event, StoryboardReady) and event.preview_video is not None:
                    ready = event
                    break
            total = time.perf_counter() - start
            cpu = cpu_seconds() - cpu
    finally:
        InProcessRenderBackend._run = plain_run  # type: ignore[method-assign]
        nodes.TOOL_HANDLERS.clear()
        nodes.TOOL_HANDLERS.update(originals)
    if ready is None:
        raise SystemExit(f"No storyboard with a preview came back; events: {events}")
    stages = _named_stages(spent, render_stages, total)
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "photos": len(photos),
        "first_storyboard_s": round(total, 2),
        "first_event_s": round(first_event or 0.0, 2),
        "cpu_s": round(cpu, 2),
        "stages_s": stages,
        "preview_render_stages_s": render_stages,
        "preview_seconds_of_video": ready.total_seconds,
        "scenes": len(ready.scenes),
        "load_after": round(os.getloadavg()[0], 2),
    }


STAGES = {
    "analyse_photos": "analysis (quality, duplicates, rooms, focal points)",
    "write_script": "script",
    "plan_storyboard": "plan (shots and storyboard version 1)",
}


def _named_stages(
    spent: dict[str, float], render: dict[str, float], total: float
) -> dict[str, float]:
    """The wait split the way the user lives it: analysis, script, plan, narration, preview.

    Narration is synthesised inside the preview render (its `voice_and_music` stage), so it is
    taken out of the preview's time and shown on its own row."""
    narration = render.get("voice_and_music", 0.0)
    stages = {label: spent.get(tool, 0.0) for tool, label in STAGES.items()}
    stages["narration (espeak-ng, word timings)"] = narration
    stages["preview render (frames, music and mix, join, probe)"] = (
        spent.get("render_preview", 0.0) - narration
    )
    other_tools = sum(v for k, v in spent.items() if k not in STAGES and k != "render_preview")
    stages["the rest (photos stored, intake, other tools, checkpoints, messages)"] = (
        total - sum(spent.values()) + other_tools
    )
    return {name: round(seconds, 2) for name, seconds in stages.items()}


def run(photos: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="reelestate-first-") as tmp:
        settings = Settings(REELESTATE_DATA_DIR=Path(tmp))
        return asyncio.run(_conversation(settings, PHOTOS[:photos]))


def markdown(result: dict[str, object]) -> str:
    total = float(result["first_storyboard_s"])  # type: ignore[arg-type]
    stages = result["stages_s"]
    assert isinstance(stages, dict)
    verdict = "met" if total <= TARGET_S else f"MISSED by {total - TARGET_S:.1f} s"
    slowest = max(stages, key=lambda k: stages[k])
    return "\n".join(
        [
            "## First storyboard (`python -m benchmarks.first_storyboard`)",
            "",
            f"{result['photos']} photos and the listing's facts in one message through the agent "
            f"runner on the embedded defaults, until the storyboard arrives with its playable "
            f"preview; {result['machine']}, {result['date']}, load average (1 min) at the end "
            f"{result['load_after']}. One run.",
            "",
            f"**{total:.1f} s** (target ≤ {TARGET_S:.0f} s: {verdict}); the slowest stage is "
            f"`{slowest}`. First event after {result['first_event_s']} s. CPU seconds over the "
            f"wait, this process and its children: {result['cpu_s']} (on a busy machine the wall "
            "time grows, the CPU seconds hardly).",
            "",
            "| stage | seconds |",
            "| --- | --- |",
            *[f"| {name} | {seconds} |" for name, seconds in stages.items()],
            "",
            "The preview render's own stages (narration is `voice_and_music`):",
            "",
            "| render stage | seconds |",
            "| --- | --- |",
            *[f"| {k} | {v} |" for k, v in result["preview_render_stages_s"].items()],  # type: ignore[attr-defined]
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=12)
    args = parser.parse_args()
    result = run(args.photos)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(markdown(result))


if __name__ == "__main__":
    main()
