"""handoff_schemas."""
