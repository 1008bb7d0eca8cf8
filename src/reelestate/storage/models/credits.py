"""The credit ledger: append-only, with running balances the database itself keeps consistent.

Every movement is a row with its reason (`note`) and where it came from (`source`: a Stripe
event, a job, an operator, the sign-up); the balance is the last row's running totals. A refund
that takes back credits already spent leaves `debt_after` above zero, and a debt is only
possible with nothing available (a grant pays the debt first).
"""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import (
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from reelestate.storage.models.base import Base, TenantMixin


class LedgerKind(enum.StrEnum):
    GRANT = "grant"
    RESERVE = "reserve"
    CAPTURE = "capture"
    RELEASE = "release"
    ADJUST = "adjust"
    """An operator's grant or correction."""
    REFUND = "refund"
    """Credits taken back because the payment for them was refunded."""


class CreditEntry(TenantMixin, Base):
    """One movement of credits.

    `seq` numbers an organisation's entries 1, 2, 3...; the unique (organisation, seq) pair makes
    two writers that read the same previous entry collide instead of both succeeding, and the CHECKs
    make a negative running balance impossible whatever the Python code does.
    """

    __tablename__ = "credit_ledger"
    __table_args__ = (
        UniqueConstraint("organization_id", "seq"),
        CheckConstraint("available_after >= 0", name="available_not_negative"),
        CheckConstraint("reserved_after >= 0", name="reserved_not_negative"),
        CheckConstraint("seq >= 1", name="seq_positive"),
        CheckConstraint("debt_after >= 0", name="debt_not_negative"),
        CheckConstraint("debt_after = 0 OR available_after = 0", name="debt_only_when_empty"),
        CheckConstraint(
            "kind <> 'refund' OR (available_delta <= 0 AND debt_delta >= 0)",
            name="refund_only_takes",
        ),
        Index(
            "uq_credit_ledger_job_kind",
            "job_id",
            "kind",
            unique=True,
            sqlite_where=text("job_id IS NOT NULL"),
            postgresql_where=text("job_id IS NOT NULL"),
        ),
    )
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[LedgerKind] = mapped_column(
        Enum(
            LedgerKind, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]
        )
    )
    available_delta: Mapped[int] = mapped_column(Integer)
    reserved_delta: Mapped[int] = mapped_column(Integer)
    available_after: Mapped[int] = mapped_column(Integer)
    reserved_after: Mapped[int] = mapped_column(Integer)
    job_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("render_jobs.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(String(200))
    """Why: "sign-up", "pack pack-200", the operator's reason."""
    debt_delta: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    debt_after: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Credits spent and then refunded, owed before anything new renders."""
    source: Mapped[str | None] = mapped_column(String(200))
    """Where it came from: `stripe:evt_...`, `job:<id>`, `operator:<name>`, `signup`."""
