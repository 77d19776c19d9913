"""One module per ``handoff`` command."""
