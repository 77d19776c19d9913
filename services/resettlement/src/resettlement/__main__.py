"""``python -m resettlement``: run the resettlement service."""

from handoff_plumbing.entrypoint import serve
from resettlement.bootstrap import ResettlementSettings, build

if __name__ == "__main__":
    serve(build, ResettlementSettings())
