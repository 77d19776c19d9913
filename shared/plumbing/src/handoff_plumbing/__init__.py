"""handoff_plumbing."""
