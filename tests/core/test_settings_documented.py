"""Every setting an operator can give is in the README's configuration table."""

from __future__ import annotations

from pathlib import Path

from reelestate.core.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def _variables() -> list[str]:
    names = []
    for name, field in Settings.model_fields.items():
        alias = field.alias or field.validation_alias
        names.append(alias if isinstance(alias, str) else name.upper())
    return names


def test_every_setting_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## Configuration") :]
    variables = _variables()
    assert len(variables) > 50
    assert [v for v in variables if f"`{v}`" not in table] == []
