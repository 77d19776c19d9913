"""Root conftest: the shared fixtures live in the devtools package's testing plugin."""

pytest_plugins = ["handoff_devtools.testing.fixtures"]
