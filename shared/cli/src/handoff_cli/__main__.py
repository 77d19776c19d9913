"""``python -m handoff_cli`` is ``handoff``."""

from handoff_cli.app import main

main()
