"""Root conftest: the shared fixtures live in the devtools package's testing plugin.

The tests run the services in development mode: they accept the development issuer's
tokens and the local broker's development passwords (a test that checks the refusal to
start outside development mode says so explicitly).

Hypothesis's per-example deadline is a timing target, and tests assert none: on a shared
two-core machine one slow example is load, not a failure (the examples still run).
"""

import os

from hypothesis import settings

os.environ.setdefault("DEVELOPMENT_MODE", "true")
settings.register_profile("handoff", deadline=None)
settings.load_profile("handoff")

pytest_plugins = ["handoff_devtools.testing.fixtures"]
