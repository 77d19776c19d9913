"""Resettlement's handlers: load the aggregates, call the domain, stage the events, commit.

One module per concern: intake's events, cases and the quota, municipal places, matching
and offers, the municipalities' answers and what follows, and the follow-up reports.
"""
