"""Intake's own database tables (only intake touches them)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, MetaData, String, Table

from handoff_plumbing.tables import UtcDateTime, define_plumbing_tables

metadata = MetaData()

applications = Table(
    "applications",
    metadata,
    Column("application_id", String(64), primary_key=True),
    Column("person_ref", String(64), nullable=False, unique=True),
    Column("request_id", String(128), nullable=True, unique=True),
    Column("full_name", String(255), nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("nationality", String(3), nullable=False),
    Column("lodged_on", Date, nullable=False),
    Column("registered_at", UtcDateTime(), nullable=False),
    Column("eurodac_hit", Boolean, nullable=False),
    Column("documents", JSON, nullable=False),
    Column("vulnerabilities", JSON, nullable=False),
)

outbox, inbox = define_plumbing_tables(metadata)
