"""Returns' own database tables (only returns touches them)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, MetaData, String, Table

from handoff_plumbing.tables import UtcDateTime, define_plumbing_tables

metadata = MetaData()

known_applications = Table(
    "known_applications",
    metadata,
    Column("application_id", String(64), primary_key=True),
    Column("person_ref", String(64), nullable=False),
    Column("lodged_on", Date, nullable=False),
    Column("dublin_case", Boolean, nullable=False),
    Column("vulnerabilities", JSON, nullable=False),
    Column("learned_at", UtcDateTime(), nullable=False),
)

outbox, inbox = define_plumbing_tables(metadata)
