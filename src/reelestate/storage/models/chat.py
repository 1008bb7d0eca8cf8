"""Chat history tables, in the shape Chainlit's SQLAlchemy data layer reads and writes.

Chainlit writes camelCase columns through its own SQL; the tables carry a `chat_` prefix so they
never collide with ours (`users` above all), and JSON travels as text because that is what the
data layer sends and expects back on every database. `organizationId` is ours: history lists
only the threads of the organisation the person is signed in to.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, Table, Text

from reelestate.storage.models.base import Base

CHAT_TABLES = ("users", "threads", "steps", "elements", "feedbacks")
"""Chainlit's table names; stored as `chat_<name>`."""

chat_users = Table(
    "chat_users",
    Base.metadata,
    Column("id", Text, primary_key=True),
    Column("identifier", Text, nullable=False, unique=True),
    Column("metadata", Text, nullable=False),
    Column("createdAt", Text),
)

chat_threads = Table(
    "chat_threads",
    Base.metadata,
    Column("id", Text, primary_key=True),
    Column("createdAt", Text),
    Column("name", Text),
    Column("userId", Text, ForeignKey("chat_users.id", ondelete="CASCADE")),
    Column("userIdentifier", Text),
    Column("tags", Text),
    Column("metadata", Text),
    Column("organizationId", Text),
    Index("ix_chat_threads_user", "userId"),
    Index("ix_chat_threads_organization", "organizationId"),
)

chat_steps = Table(
    "chat_steps",
    Base.metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("threadId", Text, ForeignKey("chat_threads.id", ondelete="CASCADE"), nullable=False),
    Column("parentId", Text),
    Column("streaming", Boolean, nullable=False),
    Column("waitForAnswer", Boolean),
    Column("isError", Boolean),
    Column("metadata", Text),
    Column("tags", Text),
    Column("input", Text),
    Column("output", Text),
    Column("createdAt", Text),
    Column("command", Text),
    Column("start", Text),
    Column("end", Text),
    Column("generation", Text),
    Column("showInput", Text),
    Column("language", Text),
    Column("indent", Integer),
    Column("defaultOpen", Boolean),
    Column("autoCollapse", Boolean),
    Column("modes", Text),
    Index("ix_chat_steps_thread", "threadId"),
)

chat_elements = Table(
    "chat_elements",
    Base.metadata,
    Column("id", Text, primary_key=True),
    Column("threadId", Text, ForeignKey("chat_threads.id", ondelete="CASCADE")),
    Column("type", Text),
    Column("url", Text),
    Column("chainlitKey", Text),
    Column("name", Text, nullable=False),
    Column("display", Text),
    Column("objectKey", Text),
    Column("size", Text),
    Column("page", Integer),
    Column("language", Text),
    Column("forId", Text),
    Column("mime", Text),
    Column("props", Text),
    Column("autoPlay", Boolean),
    Column("playerConfig", Text),
    Index("ix_chat_elements_thread", "threadId"),
)

chat_feedbacks = Table(
    "chat_feedbacks",
    Base.metadata,
    Column("id", Text, primary_key=True),
    Column("forId", Text, nullable=False),
    Column("threadId", Text, ForeignKey("chat_threads.id", ondelete="CASCADE"), nullable=False),
    Column("value", Integer, nullable=False),
    Column("comment", Text),
)
