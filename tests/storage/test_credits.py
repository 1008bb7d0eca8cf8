from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from reelestate.core.errors import InsufficientCreditsError, InvalidInputError
from reelestate.storage.db import Database
from reelestate.storage.models import CreditEntry, LedgerKind
from reelestate.storage.repositories.credits import CreditsRepository, settle
from reelestate.storage.repositories.jobs import JobsRepository
from tests.storage.factories import new_org, preview_job


def test_ledger_never_goes_negative_under_50_concurrent_reservations(db: Database) -> None:
    ctx = new_org(db, credits=20)
    jobs = JobsRepository(db)

    def submit(_: int) -> str:
        try:
            jobs.create(ctx, preview_job(credits=1))
        except InsufficientCreditsError:
            return "refused"
        return "queued"

    with ThreadPoolExecutor(max_workers=50) as pool:
        outcomes = list(pool.map(submit, range(50)))
    assert outcomes.count("queued") == 20
    assert outcomes.count("refused") == 30
    balance = CreditsRepository(db).balance(ctx)
    assert (balance.available, balance.reserved) == (0, 20)
    entries = CreditsRepository(db).entries(ctx, limit=100)
    assert sorted(e.seq for e in entries) == list(range(1, 22))
    assert min(e.available_after for e in entries) >= 0
    assert len(jobs.recent(ctx, limit=100)) == 20


def test_the_database_itself_refuses_a_negative_balance(db: Database) -> None:
    ctx = new_org(db, credits=5)
    with pytest.raises(IntegrityError), db.tenant(ctx) as session:
        session.add(
            CreditEntry(
                organization_id=ctx.org_id,
                seq=2,
                kind=LedgerKind.ADJUST,
                available_delta=-6,
                reserved_delta=0,
                available_after=-1,
                reserved_after=0,
            )
        )
        session.flush()
    # Two writers that read the same last entry collide on (organisation, seq).
    with pytest.raises(IntegrityError), db.tenant(ctx) as session:
        session.add(
            CreditEntry(
                organization_id=ctx.org_id,
                seq=1,
                kind=LedgerKind.GRANT,
                available_delta=100,
                reserved_delta=0,
                available_after=105,
                reserved_after=0,
            )
        )
        session.flush()
    assert CreditsRepository(db).balance(ctx).available == 5


def test_a_job_is_captured_or_released_once(db: Database) -> None:
    ctx = new_org(db, credits=10)
    job, _ = JobsRepository(db).create(ctx, preview_job(credits=4))
    for capture in (True, True, False):
        with db.tenant(ctx) as session:
            settle(session, ctx.org_id, job.id, capture=capture, lock=True)
    kinds = [e.kind for e in CreditsRepository(db).entries(ctx)]
    assert kinds.count(LedgerKind.CAPTURE) == 1
    assert LedgerKind.RELEASE not in kinds
    balance = CreditsRepository(db).balance(ctx)
    assert (balance.available, balance.reserved) == (6, 0)
    with pytest.raises(IntegrityError), db.tenant(ctx) as session:
        session.add(
            CreditEntry(
                organization_id=ctx.org_id,
                seq=99,
                kind=LedgerKind.CAPTURE,
                available_delta=0,
                reserved_delta=0,
                available_after=6,
                reserved_after=0,
                job_id=job.id,
            )
        )
        session.flush()


def test_ledger_entries_are_append_only(db: Database) -> None:
    ctx = new_org(db, credits=3)
    with pytest.raises(Exception, match=r"immutable|permission denied"), db.tenant(ctx) as session:
        session.execute(text("UPDATE credit_ledger SET available_after = 999"))


def test_grant_must_be_positive_and_idempotency_key_prevents_double_billing(db: Database) -> None:
    ctx = new_org(db, credits=3)
    with pytest.raises(InvalidInputError):
        CreditsRepository(db).grant(ctx, 0, "nothing")
    key = f"submit-{uuid.uuid4()}"
    first, created = JobsRepository(db).create(ctx, preview_job(credits=2, idempotency_key=key))
    again, created_again = JobsRepository(db).create(
        ctx, preview_job(credits=2, idempotency_key=key)
    )
    assert created and not created_again and first.id == again.id
    assert CreditsRepository(db).balance(ctx).available == 1
