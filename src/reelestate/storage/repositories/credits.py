"""The credit ledger: reserve when a job is queued, capture on success, release otherwise; grants
(a purchase, a plan's month, the sign-up, an operator) and refunds.

Every change appends one entry carrying the organisation's running balances, its reason and its
source. A grant pays any debt first; a refund takes back what is still available and records the
rest as debt, which blocks new reservations until a grant pays it. The organisation row
is locked (PostgreSQL) or the database is (SQLite `BEGIN IMMEDIATE`) while the next entry is
written; the unique (organisation, seq) pair and the non-negative CHECKs are the database's own
guarantee should any code path skip that lock.
"""

from __future__ import annotations

import uuid

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from reelestate.core.errors import CreditDebtError, InsufficientCreditsError, InvalidInputError
from reelestate.core.metrics import CREDITS
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import CreditEntry, LedgerKind, Organization
from reelestate.storage.schemas import CreditBalance, CreditEntryView


def _last_entry(session: Session, org_id: uuid.UUID) -> CreditEntry | None:
    return session.scalars(
        select(CreditEntry)
        .where(CreditEntry.organization_id == org_id)
        .order_by(CreditEntry.seq.desc())
        .limit(1)
    ).first()


def append_entry(
    session: Session,
    org_id: uuid.UUID,
    kind: LedgerKind,
    *,
    available_delta: int = 0,
    reserved_delta: int = 0,
    debt_delta: int = 0,
    job_id: uuid.UUID | None = None,
    note: str | None = None,
    source: str | None = None,
    lock: bool = True,
) -> CreditEntry:
    """Append one entry inside the caller's transaction; raises when credits would go negative."""
    if lock:
        session.execute(
            select(Organization.id).where(Organization.id == org_id).with_for_update(key_share=True)
        )
    last = _last_entry(session, org_id)
    available = (last.available_after if last else 0) + available_delta
    reserved = (last.reserved_after if last else 0) + reserved_delta
    debt = (last.debt_after if last else 0) + debt_delta
    if available < 0:
        raise InsufficientCreditsError(
            f"This needs {-available_delta} credits and {available - available_delta} are left.",
            hint="Add credits to your plan, or render a preview first.",
        )
    entry = CreditEntry(
        organization_id=org_id,
        seq=(last.seq if last else 0) + 1,
        kind=kind,
        available_delta=available_delta,
        reserved_delta=reserved_delta,
        available_after=available,
        reserved_after=reserved,
        debt_delta=debt_delta,
        debt_after=debt,
        job_id=job_id,
        note=note,
        source=source or (f"job:{job_id}" if job_id else None),
    )
    session.add(entry)
    session.flush()
    _count_when_committed(session, kind, abs(reserved_delta) or abs(available_delta))
    return entry


def lock_ledger(session: Session, org_id: uuid.UUID) -> CreditEntry | None:
    """Lock the organisation's ledger for this transaction; returns its last entry."""
    session.execute(
        select(Organization.id).where(Organization.id == org_id).with_for_update(key_share=True)
    )
    return _last_entry(session, org_id)


def add_credits(
    session: Session,
    org_id: uuid.UUID,
    amount: int,
    *,
    kind: LedgerKind = LedgerKind.GRANT,
    note: str,
    source: str | None,
    lock: bool = True,
) -> CreditEntry:
    """Add `amount` credits (a debt is paid from them first)."""
    if amount <= 0:
        raise InvalidInputError("A grant adds a positive number of credits.")
    last = lock_ledger(session, org_id) if lock else _last_entry(session, org_id)
    paid = min(amount, last.debt_after if last else 0)
    return append_entry(
        session,
        org_id,
        kind,
        available_delta=amount - paid,
        debt_delta=-paid,
        note=note,
        source=source,
        lock=False,
    )


def take_back(
    session: Session,
    org_id: uuid.UUID,
    amount: int,
    *,
    note: str,
    source: str | None,
    lock: bool = True,
) -> CreditEntry:
    """Take back `amount` refunded credits: what is available, the rest as debt (never below
    zero)."""
    if amount <= 0:
        raise InvalidInputError("A refund takes back a positive number of credits.")
    last = lock_ledger(session, org_id) if lock else _last_entry(session, org_id)
    taken = min(amount, last.available_after if last else 0)
    return append_entry(
        session,
        org_id,
        LedgerKind.REFUND,
        available_delta=-taken,
        debt_delta=amount - taken,
        note=note,
        source=source,
        lock=False,
    )


def _count_when_committed(session: Session, kind: LedgerKind, amount: int) -> None:
    """Add to the credits counter only if the transaction holding the entry commits."""

    def count(_: Session) -> None:
        CREDITS.labels(kind.value).inc(amount)

    event.listen(session, "after_commit", count, once=True)


def job_entries(session: Session, job_id: uuid.UUID) -> dict[LedgerKind, CreditEntry]:
    rows = session.scalars(select(CreditEntry).where(CreditEntry.job_id == job_id)).all()
    return {row.kind: row for row in rows}


def reserve(
    session: Session, org_id: uuid.UUID, job_id: uuid.UUID, amount: int, lock: bool
) -> None:
    if amount > 0:
        last = lock_ledger(session, org_id) if lock else _last_entry(session, org_id)
        if last is not None and last.debt_after > 0:
            raise CreditDebtError(
                f"Your organisation owes {last.debt_after} credits from a refunded payment.",
                hint="Buy credits to settle it; renders start again once it is paid.",
            )
        append_entry(
            session,
            org_id,
            LedgerKind.RESERVE,
            available_delta=-amount,
            reserved_delta=amount,
            job_id=job_id,
            lock=False,
        )


def settle(
    session: Session, org_id: uuid.UUID, job_id: uuid.UUID, *, capture: bool, lock: bool
) -> None:
    """Capture (success) or release (failure, cancel) a job's reservation, at most once."""
    entries = job_entries(session, job_id)
    held = entries.get(LedgerKind.RESERVE)
    if held is None or LedgerKind.CAPTURE in entries or LedgerKind.RELEASE in entries:
        return
    amount = held.reserved_delta
    if capture:
        append_entry(
            session, org_id, LedgerKind.CAPTURE, reserved_delta=-amount, job_id=job_id, lock=lock
        )
    else:
        append_entry(
            session,
            org_id,
            LedgerKind.RELEASE,
            available_delta=amount,
            reserved_delta=-amount,
            job_id=job_id,
            lock=lock,
        )


def balance_of(last: CreditEntry | None) -> CreditBalance:
    if last is None:
        return CreditBalance(available=0, reserved=0, debt=0)
    return CreditBalance(
        available=last.available_after, reserved=last.reserved_after, debt=last.debt_after
    )


class CreditsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def balance(self, ctx: TenantContext) -> CreditBalance:
        with self._db.tenant(ctx) as session:
            last = _last_entry(session, ctx.org_id)
            return balance_of(last)

    def grant(
        self,
        ctx: TenantContext,
        amount: int,
        note: str,
        *,
        source: str | None = None,
        kind: LedgerKind = LedgerKind.GRANT,
    ) -> CreditBalance:
        """Add credits (a purchase, a plan renewal, the sign-up, an operator's grant)."""
        with self._db.tenant(ctx) as session:
            entry = add_credits(
                session,
                ctx.org_id,
                amount,
                kind=kind,
                note=note,
                source=source,
                lock=self._db.is_postgres,
            )
            return balance_of(entry)

    def last_seq(self, ctx: TenantContext) -> int:
        """How many entries the ledger has (changes with every movement)."""
        with self._db.tenant(ctx) as session:
            last = _last_entry(session, ctx.org_id)
            return last.seq if last else 0

    def entries(self, ctx: TenantContext, *, limit: int = 100) -> list[CreditEntryView]:
        with self._db.tenant(ctx) as session:
            rows = session.scalars(
                select(CreditEntry)
                .where(CreditEntry.organization_id == ctx.org_id)
                .order_by(CreditEntry.seq.desc())
                .limit(limit)
            ).all()
            return [CreditEntryView.model_validate(r) for r in rows]
