"""Resettlement's own database tables (only this service touches them)."""

from __future__ import annotations

from sqlalchemy import MetaData

from handoff_plumbing.tables import define_plumbing_tables

metadata = MetaData()

outbox, inbox = define_plumbing_tables(metadata)
