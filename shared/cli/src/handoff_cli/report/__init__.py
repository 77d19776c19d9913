"""``handoff report``: what the suite's own statistics say, as HTML with charts (and PNG).

:mod:`.collect` reads the services' statistics endpoints (never recomputing what a service
publishes: the monitor's suppression of small figures is the monitor's), :mod:`.reconcile`
checks a simulator run's ids against the suite, :mod:`.charts` draws with matplotlib's Agg
backend, :mod:`.html` writes the page.
"""
