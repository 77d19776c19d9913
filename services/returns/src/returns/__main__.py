"""``python -m returns``: run the return counselling service."""

from handoff_plumbing.entrypoint import serve
from returns.bootstrap import ReturnsSettings, build

if __name__ == "__main__":
    serve(build, ReturnsSettings())
