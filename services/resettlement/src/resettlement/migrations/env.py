from handoff_plumbing.migrations import run_env
from resettlement.adapters.orm import metadata

run_env(metadata)
