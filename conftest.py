"""Root conftest: the shared fixtures live in the plumbing library's testing plugin."""

pytest_plugins = ["handoff_plumbing.testing.fixtures"]
