"""The caseload simulator (``handoff simulate``): a year's work of the five authorities, drawn
from a seed with the proportions of the source documents, driven through the running suite
over its public HTTP interfaces, stage by stage, resumable from a state file.

* :mod:`.model`: the numbers and shares, each with its source (docs/simulation.md);
* :mod:`.geography`: counties, municipalities and their police regions;
* :mod:`.caseload`: the year drawn from the seed, every case's fate and dates decided up front;
* :mod:`.state`: what a run has done so far (the state file) and its tally;
* :mod:`.runner`: the stages in order, with progress bars, bounded concurrency and Ctrl-C;
* :mod:`.stages`: one module per stage, each a list of items and what to do with one.
"""
