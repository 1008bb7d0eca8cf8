"""docker-compose.yml against the Compose Specification's schema (vendored), the promises the
file makes (health checks, ordering, profiles, the GPU reservation), and `.env.example`
against the README's configuration table."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from reelestate.core.settings import Settings
from tests.deploy.compose_host import env_file, load_compose

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads(
    (REPO / "tests" / "fixtures" / "deploy" / "compose-spec.schema.json").read_text()
)
APP_SERVICES = ("migrate", "app", "worker-cpu", "worker-gpu", "bot")
_NAME = re.compile(r"^#?\s*([A-Z][A-Z0-9_]+)=", re.MULTILINE)


def _validator() -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(SCHEMA)
    cls.check_schema(SCHEMA)
    return cls(SCHEMA)


def test_the_compose_file_follows_the_compose_specification() -> None:
    errors = sorted(_validator().iter_errors(load_compose()), key=str)
    assert errors == []


def test_the_schema_check_rejects_an_unknown_key() -> None:
    compose = load_compose()
    compose["services"]["app"]["bogus_key"] = True
    assert any("bogus_key" in e.message for e in _validator().iter_errors(compose))


def test_services_check_their_health_and_start_in_order() -> None:
    services = load_compose()["services"]
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    for name in ("postgres", "redis", "minio", "app", "worker-cpu", "worker-gpu"):
        assert services[name]["healthcheck"]["test"], name
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "mc mb --ignore-existing" in services["minio-bucket"]["command"][0]
    commands = {name: services[name]["command"] for name in APP_SERVICES}
    assert commands["worker-cpu"] == ["worker", "--queue", "cpu"]
    assert commands["worker-gpu"] == ["worker", "--queue", "gpu"]
    assert commands["bot"] == ["bot"]
    assert commands["app"][0] == "serve"
    for name in APP_SERVICES:
        assert services[name]["env_file"] == [{"path": ".env", "required": False}]
    assert set(load_compose()["volumes"]) >= {"postgres-data", "redis-data", "minio-data"}


def test_the_gpu_worker_and_the_bot_are_profiles_and_the_gpu_is_reserved() -> None:
    services = load_compose()["services"]
    assert services["worker-gpu"]["profiles"] == ["gpu"]
    assert services["bot"]["profiles"] == ["bot"]
    (device,) = services["worker-gpu"]["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and "gpu" in device["capabilities"]
    assert services["worker-gpu"]["build"]["dockerfile"] == "Dockerfile.gpu"
    assert [n for n, s in services.items() if "profiles" in s] == ["worker-gpu", "bot"]


def _readme_variables() -> set[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text[text.index("## Configuration") :]
    table = table[: table.index("\n## ", 1)]
    names: set[str] = set()
    for row in table.splitlines():
        if row.startswith("| `"):
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]{2,})`", row.split("|")[1]))
    return names


def test_env_example_lists_every_setting_of_the_readme_table() -> None:
    listed = set(_NAME.findall((REPO / ".env.example").read_text(encoding="utf-8")))
    readme = _readme_variables()
    aliases = {str(f.alias) for f in Settings.model_fields.values() if f.alias}
    assert aliases <= readme  # the table is complete (tests/core checks it too)
    assert sorted(readme - listed) == []
    assert sorted(listed - readme - {"POSTGRES_PASSWORD", "MINIO_ROOT_USER",
                                     "MINIO_ROOT_PASSWORD", "REELESTATE_PORT"}) == []  # fmt: skip


@pytest.mark.parametrize("name", ["DATABASE_URL", "REDIS_URL", "S3_ENDPOINT_URL"])
def test_compose_sets_the_addresses_of_its_own_services(name: str) -> None:
    app = load_compose()["services"]["app"]["environment"]
    assert name in app
    # .env.example leaves them commented, so the compose file's addresses apply.
    assert name not in env_file(REPO / ".env.example")
