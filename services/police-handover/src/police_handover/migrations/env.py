from handoff_plumbing.migrations import run_env
from police_handover.adapters.orm import metadata

run_env(metadata)
