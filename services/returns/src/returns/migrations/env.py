from handoff_plumbing.migrations import run_env
from returns.adapters.orm import metadata

run_env(metadata)
