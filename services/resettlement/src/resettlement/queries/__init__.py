"""Resettlement's reads: cases and what belongs to them (:mod:`.cases`), the follow-up (:mod:`.follow_up`)."""
