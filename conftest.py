"""Root conftest: the shared fixtures live in the devtools package's testing plugin.

Hypothesis's per-example deadline is a timing target, and tests assert none: on a shared
two-core machine one slow example is load, not a failure (the examples still run).
"""

from hypothesis import settings

settings.register_profile("handoff", deadline=None)
settings.load_profile("handoff")

pytest_plugins = ["handoff_devtools.testing.fixtures"]
