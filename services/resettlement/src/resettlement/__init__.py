"""resettlement."""
