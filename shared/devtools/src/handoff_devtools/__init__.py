"""handoff_devtools: developer-only tools (local Kafka broker, test fixtures); never in a service image."""
