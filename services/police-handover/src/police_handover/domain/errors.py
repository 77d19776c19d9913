"""The Police's own refusal beyond the plumbing's (:mod:`handoff_plumbing.errors`)."""

from __future__ import annotations

from handoff_plumbing.errors import Conflict


class IllegalTransition(Conflict):
    """The removal plan's (or measure's) state does not allow this step."""
