"""``python -m police_handover``: run the police-handover service."""

from handoff_plumbing.entrypoint import serve
from police_handover.bootstrap import PoliceHandoverSettings, build

if __name__ == "__main__":
    serve(build, PoliceHandoverSettings())
