from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import boto3
import pytest
from moto.server import ThreadedMotoServer

from reelestate.core.errors import BlobRejectedError, NotFoundError
from reelestate.core.settings import Settings
from reelestate.storage.blobs import (
    BlobStore,
    LocalBlobStore,
    S3BlobStore,
    blob_key,
    blob_url_secret,
    open_blob_store,
    org_of_key,
    verify_blob_signature,
)
from reelestate.storage.context import TenantContext

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PHOTO = Path(__file__).parents[1] / "fixtures" / "photos" / "house3" / "kitchen.jpg"


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def _s3_store(endpoint: str) -> S3BlobStore:
    bucket = f"reelestate-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=bucket)
    return S3BlobStore(bucket, endpoint_url=endpoint, cdn_base_url="https://cdn.example.com")


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path, aws_env: None) -> BlobStore:
    if request.param == "local":
        return LocalBlobStore(tmp_path / "blobs", b"k" * 32, base_url="http://app.test")
    return _s3_store(request.getfixturevalue("moto_endpoint"))


def _ctx() -> TenantContext:
    return TenantContext(org_id=uuid.uuid4())


def test_put_stat_list_download_and_delete(store: BlobStore, tmp_path: Path) -> None:
    ctx = _ctx()
    key = blob_key(ctx, "media", "kitchen.jpg")
    info = store.put_file(ctx, key, PHOTO, "image/jpeg")
    assert info.size == PHOTO.stat().st_size and info.sha256 is not None
    assert store.stat(ctx, key) == info
    store.put_bytes(ctx, blob_key(ctx, "media", "b.jpg"), JPEG, "image/jpeg")
    keys = [b.key for b in store.list(ctx, blob_key(ctx, "media"))]
    assert keys == sorted([key, blob_key(ctx, "media", "b.jpg")])
    assert not any(".tmp-" in k for k in keys)
    copy = store.download(ctx, key, tmp_path / "copy.jpg")
    assert copy.read_bytes() == PHOTO.read_bytes()
    assert store.read_bytes(ctx, blob_key(ctx, "media", "b.jpg")) == JPEG
    store.delete(ctx, key)
    assert store.stat(ctx, key) is None
    with pytest.raises(NotFoundError):
        store.read_bytes(ctx, key)
    with pytest.raises(NotFoundError):
        store.download(ctx, key, tmp_path / "gone.jpg")


def test_putting_the_same_key_again_replaces_it_whole(store: BlobStore) -> None:
    ctx = _ctx()
    key = blob_key(ctx, "renders", "job", "thumb.jpg")
    store.put_bytes(ctx, key, JPEG, "image/jpeg")
    store.put_bytes(ctx, key, JPEG + b"more", "image/jpeg")
    assert store.read_bytes(ctx, key) == JPEG + b"more"
    assert len(store.list(ctx, blob_key(ctx, "renders"))) == 1


def test_type_size_and_content_are_checked(store: BlobStore, tmp_path: Path) -> None:
    ctx = _ctx()
    with pytest.raises(BlobRejectedError, match="type"):
        store.put_bytes(ctx, blob_key(ctx, "x.exe"), b"MZ...", "application/x-msdownload")
    with pytest.raises(BlobRejectedError, match="not image/jpeg"):
        store.put_bytes(ctx, blob_key(ctx, "fake.jpg"), b"<html>", "image/jpeg")
    with pytest.raises(BlobRejectedError, match="empty"):
        store.put_bytes(ctx, blob_key(ctx, "e.jpg"), b"", "image/jpeg")
    # A video without captions has an empty subtitle file.
    assert store.put_bytes(ctx, blob_key(ctx, "e.srt"), b"", "application/x-subrip").size == 0
    big = tmp_path / "big.srt"
    with big.open("wb") as fh:
        fh.truncate(3 * 1024 * 1024)
    with pytest.raises(BlobRejectedError, match="limit"):
        store.put_file(ctx, blob_key(ctx, "big.srt"), big, "application/x-subrip")
    assert [b.key for b in store.list(ctx, blob_key(ctx, "e"))] == [blob_key(ctx, "e.srt")]


def test_another_organisations_keys_are_refused_before_any_io(store: BlobStore) -> None:
    alice, mallory = _ctx(), _ctx()
    key = blob_key(alice, "media", "a.jpg")
    store.put_bytes(alice, key, JPEG, "image/jpeg")
    for attempt in (
        lambda: store.read_bytes(mallory, key),
        lambda: store.stat(mallory, key),
        lambda: store.signed_url(mallory, key),
        lambda: store.delete(mallory, key),
        lambda: store.list(mallory, f"org/{alice.org_id}/"),
        lambda: store.put_bytes(mallory, key, JPEG, "image/jpeg"),
        lambda: store.read_bytes(mallory, f"org/{mallory.org_id}/../{alice.org_id}/media/a.jpg"),
    ):
        with pytest.raises(BlobRejectedError):
            attempt()
    with pytest.raises(BlobRejectedError):
        blob_key(mallory, "..", "x")
    assert store.read_bytes(alice, key) == JPEG
    assert org_of_key(key) == alice.org_id


def test_local_signed_urls_expire_and_cover_the_key(tmp_path: Path) -> None:
    secret = b"s" * 32
    store = LocalBlobStore(tmp_path, secret, base_url="http://app.test")
    alice, mallory = _ctx(), _ctx()
    key = blob_key(alice, "renders", "v.mp4")
    url = urlsplit(store.signed_url(alice, key, expires_in=60))
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert url.path == f"/blobs/{key}"
    expires, signature = int(query["expires"]), query["signature"]
    assert verify_blob_signature(key, expires, signature, secret)
    other = blob_key(mallory, "renders", "v.mp4")
    assert not verify_blob_signature(other, expires, signature, secret)
    assert not verify_blob_signature(key, expires + 3600, signature, secret)
    assert not verify_blob_signature(key, expires, signature, secret, now=expires + 1)
    assert not verify_blob_signature(key, expires, signature, b"x" * 32)
    with pytest.raises(NotFoundError):
        store.path_for_serving(alice, key)
    assert store.public_url(alice, key) is None


def test_s3_presigned_get_is_short_lived_and_fetchable(moto_endpoint: str, aws_env: None) -> None:
    store = _s3_store(moto_endpoint)
    ctx = _ctx()
    key = blob_key(ctx, "renders", "thumb.jpg")
    store.put_bytes(ctx, key, JPEG, "image/jpeg")
    url = store.signed_url(ctx, key, expires_in=300)
    query = parse_qs(urlsplit(url).query)
    # moto does not check signatures, so the signing itself is checked from the URL.
    assert query["X-Amz-Expires"] == ["300"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert len(query["X-Amz-Signature"][0]) == 64
    assert urlsplit(url).path.endswith(key)
    with urlopen(url) as response:
        assert response.read() == JPEG
        assert response.headers["Content-Type"] == "image/jpeg"
    assert store.public_url(ctx, key) == f"https://cdn.example.com/{key}"


def test_settings_choose_the_store(tmp_path: Path, moto_endpoint: str, aws_env: None) -> None:
    local = open_blob_store(Settings(REELESTATE_DATA_DIR=tmp_path))
    assert isinstance(local, LocalBlobStore)
    secret = blob_url_secret(Settings(REELESTATE_DATA_DIR=tmp_path))
    assert secret == blob_url_secret(Settings(REELESTATE_DATA_DIR=tmp_path)) and len(secret) == 64
    s3 = open_blob_store(
        Settings(
            S3_BUCKET="reelestate-media",
            S3_ENDPOINT_URL=moto_endpoint,
            REELESTATE_DATA_DIR=tmp_path,
        )
    )
    assert isinstance(s3, S3BlobStore) and s3.bucket == "reelestate-media"
