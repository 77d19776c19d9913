"""Resettlement's commands: load the aggregates, call the domain, store, stage the events.

Each runs inside the unit of work it is given and does not commit: the HTTP edge
(:data:`handoff_plumbing.http.commands.Command`) commits, together with the answer it
remembers under the caller's ``request_id``. One module per concern: cases and the quota,
municipal places, matching and offers, the municipalities' answers and what follows.
"""
