"""Reading a service's /metrics the way Prometheus does (its own text parser)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from prometheus_client.parser import text_string_to_metric_families

Labels = dict[str, str]


@dataclass(frozen=True)
class Scrape:
    """One scrape: every sample by name, each with its labels."""

    text: str
    samples: dict[str, list[tuple[Labels, float]]]

    @classmethod
    def parse(cls, text: str) -> Scrape:
        samples: dict[str, list[tuple[Labels, float]]] = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                samples.setdefault(sample.name, []).append((dict(sample.labels), sample.value))
        return cls(text, samples)

    def series(self, name: str, **labels: str) -> list[tuple[Labels, float]]:
        """The samples of ``name`` whose labels include ``labels``."""
        return [
            (have, value)
            for have, value in self.samples.get(name, [])
            if all(have.get(k) == v for k, v in labels.items())
        ]

    def value(self, name: str, **labels: str) -> float:
        """The sum of the matching samples (0 when there are none)."""
        return sum(value for _, value in self.series(name, **labels))

    def delta(self, before: Scrape, name: str, **labels: str) -> float:
        return self.value(name, **labels) - before.value(name, **labels)


async def scrape(client: httpx.AsyncClient, path: str = "/metrics") -> Scrape:
    response = await client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return Scrape.parse(response.text)
