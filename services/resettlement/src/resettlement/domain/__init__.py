"""Resettlement's domain: plain Python, no framework imports.

* :mod:`.case`: the resettlement case (a quota family or a permit holder) and its life;
* :mod:`.quota`: the annual quota and its emergency reserve;
* :mod:`.places`: the municipal places a county board agrees with a municipality;
* :mod:`.matching`: the fair matcher of waiting cases to available places;
* :mod:`.placement`: an offer to a municipality, its answer, confirmation and settlement;
* :mod:`.answers`: which reasons a municipality may give for declining, and which not;
* :mod:`.followup`: lead times and the figures of the quarterly follow-up.
"""
