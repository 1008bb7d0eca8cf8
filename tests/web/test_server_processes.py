"""How many processes `reelestate serve` runs: several only with PostgreSQL and Redis."""

from __future__ import annotations

import pytest

from reelestate.api.processes import server_processes
from reelestate.core.errors import ConfigurationError
from reelestate.core.settings import Settings

PG = "postgresql+psycopg://app@db/reelestate"


def test_one_process_on_the_embedded_defaults_and_one_per_core_in_production() -> None:
    assert server_processes(Settings(), None, cpus=8) == 1
    assert server_processes(Settings(DATABASE_URL=PG), None, cpus=8) == 1
    production = Settings(DATABASE_URL=PG, REDIS_URL="redis://r:6379/0")
    assert server_processes(production, None, cpus=8) == 8
    assert server_processes(production, 2, cpus=8) == 2


def test_several_processes_without_redis_are_refused_with_the_reason() -> None:
    with pytest.raises(ConfigurationError) as refused:
        server_processes(Settings(DATABASE_URL=PG), 2)
    assert "REDIS_URL" in refused.value.message and "DATABASE_URL" not in refused.value.message
    assert server_processes(Settings(), 1) == 1
