"""One case walked through the whole chain over HTTP (``handoff flow``).

Every step is one call to one service with the token of the role that makes it; where the
next step needs an event to cross Kafka first, the step waits for it with a bounded poll and
says how long it waited. Dates are relative to the day of the run, so the walk always works.
"""
