"""Uploads cut off by the process ending: SIGTERM while a client stalls mid-body, SIGKILL at
several points of a request. Nothing is left half done: rows all or none, no temporary folders
once the app has started again, no stored file that no row references once collected."""

from __future__ import annotations

import signal
import socket
import sqlite3
import time
from pathlib import Path

import httpx

from tests.faults.serve import Served, child_env, run_cli

PHOTOS = sorted((Path(__file__).parents[1] / "fixtures" / "photos").glob("house[35]/*.jpg"))
BOUNDARY = "faultsuiteboundary"


def _multipart(photos: list[Path]) -> bytes:
    parts = []
    for photo in photos:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="{photo.name}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
            + photo.read_bytes()
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def _open_upload(served: Served, token: str, project: str, body: bytes) -> socket.socket:
    """A raw connection that has sent the request head; the caller sends as much body as it
    likes (httpx would not stop half way)."""
    sock = socket.create_connection(("127.0.0.1", served.port), timeout=30)
    head = (
        f"POST /api/v1/projects/{project}/media HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {token}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    sock.sendall(head.encode())
    return sock


def _new_project(served: Served, token: str) -> str:
    answer = httpx.post(
        f"{served.url}/api/v1/projects",
        json={"title": "fault"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert answer.status_code == 201
    return str(answer.json()["id"])


def test_sigterm_with_a_stalled_upload_ends_within_the_grace(tmp_path: Path) -> None:
    env = child_env(tmp_path / "data")
    run_cli(env, "db", "upgrade")
    served = Served(env)
    try:
        token = served.token()
        project = _new_project(served, token)
        body = _multipart(PHOTOS)
        sock = _open_upload(served, token, project, body)
        sock.sendall(body[: len(body) // 2])  # and then nothing more
        time.sleep(0.3)
        served.signal(signal.SIGTERM)
        # The grace is 2 s; the exit deadline allows the clean-up a few seconds more. uvicorn
        # re-raises the signal it handled once it has shut down, hence "killed by SIGTERM".
        assert served.proc.wait(timeout=15) in {0, -signal.SIGTERM}
        answer = sock.recv(65536).decode(errors="replace")
        sock.close()
    finally:
        served.stop()
    assert answer.startswith("HTTP/1.1 503")
    assert "retry-after: 5" in answer.lower()
    assert "shutting_down" in answer


def _rows_and_keys(data_dir: Path) -> tuple[dict[str, int], set[str]]:
    with sqlite3.connect(data_dir / "reelestate.sqlite3") as conn:
        rows: dict[str, int] = {}
        for (project,) in conn.execute("SELECT project_id FROM media"):
            rows[str(project)] = rows.get(str(project), 0) + 1
        keys = {k for (k,) in conn.execute("SELECT blob_key FROM media")}
    return rows, keys


def _stored_keys(data_dir: Path) -> set[str]:
    root = data_dir / "blobs"
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and not p.name.endswith(".meta.json")
    }


def _wait_for_first_blob(data_dir: Path, before: set[str], proc_alive: Served) -> None:
    deadline = time.monotonic() + 30
    while _stored_keys(data_dir) <= before:
        assert proc_alive.proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.001)


def _scratch_left(data_dir: Path) -> list[str]:
    scratch = data_dir / "tmp"
    return sorted(p.name for p in scratch.iterdir()) if scratch.exists() else []


CUTS = ("all-but-one-byte", "after-first-blob")
"""Where the kill lands: all but the body's last byte (the form is never complete, every part
but the last is spooled), and once the handler has stored its first photo (blobs written, rows
not yet). A kill earlier in the body leaves less behind than the first of these."""


def test_a_kill_mid_upload_leaves_rows_all_or_none_and_no_debris(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = child_env(data_dir, REELESTATE_BLOB_GC_GRACE_S="0")
    run_cli(env, "db", "upgrade")
    served = Served(env)
    projects: list[str] = []
    try:
        for cut in CUTS:
            token = served.token()
            projects.append(_new_project(served, token))
            body = _multipart(PHOTOS)
            before = _stored_keys(data_dir)
            sock = _open_upload(served, token, projects[-1], body)
            sent = {"all-but-one-byte": len(body) - 1}
            sock.sendall(body[: sent.get(cut, len(body))])
            if cut == "after-first-blob":
                _wait_for_first_blob(data_dir, before, served)
            else:
                time.sleep(0.3)
            served.signal(signal.SIGKILL)
            served.proc.wait()
            sock.close()
            # Starting again sweeps the killed process's temporary folders.
            served = Served(env)
            assert _scratch_left(data_dir) == [], cut
        run_cli(env, "blobs", "gc")
    finally:
        served.stop()
    rows, referenced = _rows_and_keys(data_dir)
    assert all(rows.get(p, 0) in {0, len(PHOTOS)} for p in projects)
    assert _stored_keys(data_dir) == referenced
    assert not list((data_dir / "blobs").rglob("*.tmp-*"))
