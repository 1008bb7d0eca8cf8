from __future__ import annotations

from pathlib import Path

from reelestate.core.filenames import safe_name, safe_stem
from reelestate.core.hashing import file_sha256


def test_safe_name_keeps_dots_and_joins_runs() -> None:
    assert safe_name("Front door (1).final.JPG") == "Front-door-1-.final.JPG"
    assert safe_name("AgAD_x-9") == "AgAD_x-9"
    assert safe_name("../etc/passwd") == "..-etc-passwd"


def test_safe_stem_replaces_dots_too() -> None:
    assert safe_stem("my song v1.2") == "my-song-v1-2"
    assert safe_stem("kitchen été", fill="") == "kitchent"


def test_file_sha256_is_the_digest_of_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"abc")
    assert file_sha256(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
