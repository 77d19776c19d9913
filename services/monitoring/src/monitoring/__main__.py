"""``python -m monitoring``: run the monitoring service."""

from handoff_plumbing.entrypoint import serve
from monitoring.bootstrap import MonitoringSettings, build

if __name__ == "__main__":
    serve(build, MonitoringSettings())
