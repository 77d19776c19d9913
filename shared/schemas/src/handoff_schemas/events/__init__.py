"""Event models per publishing service and major version."""
