"""Root conftest: the shared fixtures live in the devtools package's testing plugin.

The tests run the services in development mode: they accept the development issuer's
tokens and the local broker's development passwords (a test that checks the refusal to
start outside development mode says so explicitly).
"""

import os

os.environ.setdefault("DEVELOPMENT_MODE", "true")

pytest_plugins = ["handoff_devtools.testing.fixtures"]
