"""`reelestate credits grant` and `credits show`: an operator's grants, without Stripe."""

from __future__ import annotations

import getpass

from typer.testing import CliRunner

from reelestate.cli import app
from reelestate.core.settings import get_settings
from reelestate.storage import migrate

cli = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = cli.invoke(app, list(args))
    return result.exit_code, result.output


def test_operator_grants_and_shows_credits() -> None:
    migrate.upgrade(get_settings())
    code, out = run("users", "create", "ann@oak.example", "--org", "Oak Realty")
    assert code == 0, out
    code, out = run("credits", "grant", "Oak Realty", "25", "--reason", "pilot month")
    assert code == 0, out
    assert "Granted 25 credits." in out and "25 credits available, 0 reserved" in out
    run("credits", "grant", "oak-realty", "5", "--reason", "goodwill")
    code, out = run("credits", "show", "oak-realty")
    assert code == 0, out
    assert "30 credits available" in out
    lines = [line for line in out.splitlines() if "adjust" in line]
    assert len(lines) == 2
    assert "+25" in lines[1] and "pilot month" in lines[1]
    assert f"[operator:{getpass.getuser()}]" in lines[0]

    code, out = run("credits", "show", "Elm Homes")
    assert code == 2 and "no organisation named 'Elm Homes'" in out
    code, out = run("credits", "grant", "Oak Realty", "0", "--reason", "nothing")
    assert code == 2
    code, out = run("credits", "grant", "Oak Realty", "3", "--reason", "  ")
    assert code == 2 and "Say why" in out
