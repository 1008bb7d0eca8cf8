"""docker-compose.yml run without containers: its migrations, app and CPU worker started from
their compose command lines and environment on 127.0.0.1 (a private PostgreSQL cluster, a
private redis-server, moto in MinIO's place), one listing taken through REST to a finished
video; then both processes' `/metrics`, and a second app process sharing the sign-in limit."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import httpx
import psycopg
import pytest
from moto.server import ThreadedMotoServer

from tests.agent.helpers import listing_photos
from tests.deploy.compose_host import ComposeService, env_file, free_port, load_compose
from tests.support.postgres import PostgresCluster
from tests.support.services import RedisServer
from tests.web.helpers import LISTING_FACTS, Account

REPO = Path(__file__).resolve().parents[2]


pytestmark = pytest.mark.slow


@dataclass
class Stack:
    app: ComposeService
    worker: ComposeService
    second_app: ComposeService
    """Another replica of the app service, on the same Redis and database."""
    outbox: Path
    """Where the app writes its mail (no SMTP server in the compose file)."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.app.port}"


def _app(hosts: dict[str, str], overrides: dict[str, str]) -> ComposeService:
    port = free_port()
    public = {"REELESTATE_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    return ComposeService("app", hosts, {**overrides, **public}, port=port)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("compose")
    dotenv = env_file(REPO / ".env.example")
    postgres = PostgresCluster()
    postgres.init()
    postgres.start()
    redis_server = RedisServer(root)
    redis_server.start()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    services: list[ComposeService] = []
    try:
        with psycopg.connect(postgres.dsn, autocommit=True) as conn:
            # What the postgres image does with POSTGRES_USER/PASSWORD/DB.
            conn.execute(
                f"CREATE ROLE reelestate LOGIN SUPERUSER PASSWORD '{dotenv['POSTGRES_PASSWORD']}'"
            )
            conn.execute("CREATE DATABASE reelestate OWNER reelestate")
        s3_host, s3_port = moto.get_host_and_port()
        # What the minio-bucket service does.
        boto3.client(
            "s3",
            endpoint_url=f"http://{s3_host}:{s3_port}",
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        ).create_bucket(Bucket=dotenv["S3_BUCKET"])
        hosts = {
            "@postgres:5432": f"@127.0.0.1:{postgres.port}",
            "redis://redis:6379": f"redis://127.0.0.1:{redis_server.port}",
            "http://minio:9000": f"http://{s3_host}:{s3_port}",
        }
        overrides = {
            "REELESTATE_DATA_DIR": str(root / "app-data"),  # the volume every service mounts
            "REELESTATE_LOG_LEVEL": "WARNING",
            "REELESTATE_SHUTDOWN_GRACE_S": "1",
            "REELESTATE_BLOB_GC_INTERVAL_S": "0",
        }
        ComposeService("migrate", hosts, overrides).run()
        health = free_port()
        app, second_app = _app(hosts, overrides), _app(hosts, overrides)
        worker = ComposeService(
            "worker-cpu", hosts, {**overrides, "REELESTATE_WORKER_HEALTH_PORT": str(health)}
        )
        services += [app, worker, second_app]
        for service in services:  # together, as compose starts them once migrations are done
            service.start()
        for service, port in ((app, app.port), (second_app, second_app.port), (worker, health)):
            service.wait_http(f"http://127.0.0.1:{port}/readyz")
        yield Stack(app, worker, second_app, root / "app-data" / "outbox")
    finally:
        for service in services:
            service.terminate()
        for service in services:
            service.stop()
        moto.stop()
        redis_server.stop()
        postgres.destroy()


def test_compose_orders_the_start_as_this_test_does() -> None:
    services = load_compose()["services"]
    for name in ("app", "worker-cpu", "worker-gpu", "bot"):
        needs = services[name]["depends_on"]
        assert needs["migrate"] == {"condition": "service_completed_successfully"}
        assert needs["minio-bucket"] == {"condition": "service_completed_successfully"}
        assert needs["postgres"] == needs["redis"] == {"condition": "service_healthy"}


def test_a_listing_goes_through_rest_to_a_finished_video(stack: Stack) -> None:
    with httpx.Client(base_url=stack.url, timeout=30) as client:
        me = Account(client, outbox=stack.outbox)  # type: ignore[arg-type]
        project = me.project(**LISTING_FACTS)["id"]
        assert me.upload(project, listing_photos()[:5]).status_code == 201
        created = me.post(f"/api/v1/projects/{project}/storyboards", json={"length_seconds": 20})
        assert created.status_code == 201, created.text
        approve = f"/api/v1/storyboards/{created.json()['id']}/approve"
        job = me.post(
            approve, json={"preview": True}, headers={"If-Match": created.headers["etag"]}
        )
        assert job.status_code == 202, job.text
        done = me.wait_job(job.json()["id"], timeout=120)
        assert done["status"] == "succeeded", (done["error_code"], done["error_message"])
        video = client.get(done["downloads"]["video"])
        assert video.status_code == 200 and video.content[4:8] == b"ftyp"

    app_metrics = httpx.get(f"{stack.url}/metrics", timeout=10).text
    port = stack.worker.env["REELESTATE_WORKER_HEALTH_PORT"]
    worker_metrics = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    for text in (app_metrics, worker_metrics):
        assert 'reelestate_queue_jobs{queue="cpu",state="queued"} 0.0' in text
        assert 'reelestate_queue_desired_workers{queue="gpu"} 0.0' in text
    assert 'reelestate_jobs_finished_total{kind="render_preview",outcome="succeeded"} 1.0' in (
        worker_metrics
    )
    assert "reelestate_render_seconds_count" in worker_metrics
    assert 'route="/api/v1/render-jobs/{job_id}"' in app_metrics
    assert 'reelestate_credits_total{kind="reserve"}' in app_metrics


def test_two_app_processes_on_one_redis_share_one_sign_in_limit(stack: Stack) -> None:
    urls = [stack.url, f"http://127.0.0.1:{stack.second_app.port}"]
    limit = int(stack.app.env.get("REELESTATE_LOGIN_LIMIT", "10"))
    wrong = {"email": f"nobody-{uuid.uuid4().hex[:8]}@example.com", "password": "wrong-one"}
    answers = [
        httpx.post(f"{urls[i % 2]}/api/v1/auth/login", json=wrong, timeout=10).status_code
        for i in range(limit)
    ]
    assert 429 not in answers
    # Each process saw only half the attempts; the limit counted them all.
    for url in urls:
        assert httpx.post(f"{url}/api/v1/auth/login", json=wrong, timeout=10).status_code == 429
