"""police_handover."""
