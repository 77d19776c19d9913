"""What a run has done: the state file that lets a stopped run resume, and the run's tally.

The file is JSON, rewritten atomically (a temporary file renamed over it) at most every two
seconds, at the end of every stage and when the run stops. It holds the run's parameters
(a resumed run must be the same run), the items each stage finished, the ids the services
gave, and the tally: what the simulator did and what the suite answered, which the report
reconciles with the services' own figures.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

VERSION = 1
_ITEM_TALLY: ContextVar[Counter[str] | None] = ContextVar("item_tally", default=None)


class StateMismatch(ValueError):
    """The state file belongs to another run (other seed, scale, days or suite)."""


@dataclass
class RunState:
    path: Path
    identity: dict[str, Any]
    run: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    today: date = field(default_factory=lambda: datetime.now(UTC).date())
    done: dict[str, set[str]] = field(default_factory=dict)
    finished: set[str] = field(default_factory=set)
    ids: dict[str, dict[str, Any]] = field(default_factory=dict)
    tally: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    requests: int = 0
    _saved_at: float = 0.0
    _started: float = field(default_factory=time.monotonic)

    @classmethod
    def open(cls, path: Path, identity: dict[str, Any], *, fresh: bool) -> RunState:
        if fresh or not path.exists():
            return cls(path, identity)
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != VERSION or data.get("identity") != identity:
            raise StateMismatch(
                f"{path} belongs to another run ({data.get('identity')}); use --fresh to start over "
                "or --state for another file"
            )
        return cls(
            path,
            identity,
            run=data["run"],
            today=date.fromisoformat(data["today"]),
            done={stage: set(keys) for stage, keys in data["done"].items()},
            finished=set(data["finished"]),
            ids=data["ids"],
            tally=Counter(data["tally"]),
            seconds=data.get("seconds", 0.0),
            requests=data.get("requests", 0),
        )

    # ------------------------------------------------------------------ progress

    def is_done(self, stage: str, key: str) -> bool:
        return key in self.done.get(stage, ())

    def mark(self, stage: str, key: str, counted: Counter[str] | None = None) -> None:
        """``key`` is done; what it counted joins the tally at the same moment, so a stopped
        and resumed item is counted once."""
        self.done.setdefault(stage, set()).add(key)
        if counted:
            self.tally.update(counted)
        self.save()

    @staticmethod
    def counting_item() -> Counter[str]:
        """Start counting for the item taken in this task (see :meth:`count`)."""
        counted: Counter[str] = Counter()
        _ITEM_TALLY.set(counted)
        return counted

    def finish(self, stage: str) -> None:
        self.finished.add(stage)
        self.save(force=True)

    def of(self, key: str) -> dict[str, Any]:
        """The ids the services gave for one item (application, return case, plan, ...)."""
        return self.ids.setdefault(key, {})

    def count(self, name: str, by: int = 1) -> None:
        """Count for the tally: held with the item under way until it is done, or at once."""
        item = _ITEM_TALLY.get()
        (item if item is not None else self.tally)[name] += by

    # ------------------------------------------------------------------ the file

    def save(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._saved_at < 2.0:
            return
        self.seconds += now - self._started
        self._started = now
        self._saved_at = now
        data = {
            "version": VERSION,
            "identity": self.identity,
            "run": self.run,
            "today": self.today.isoformat(),
            "done": {stage: sorted(keys) for stage, keys in self.done.items()},
            "finished": sorted(self.finished),
            "ids": self.ids,
            "tally": dict(sorted(self.tally.items())),
            "seconds": round(self.seconds, 1),
            "requests": self.requests,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(self.path.suffix + ".tmp")
        temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(temporary, self.path)
