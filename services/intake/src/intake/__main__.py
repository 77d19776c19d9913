"""``python -m intake``: run the intake service."""

from handoff_plumbing.entrypoint import serve
from intake.bootstrap import IntakeSettings, build

if __name__ == "__main__":
    serve(build, IntakeSettings())
