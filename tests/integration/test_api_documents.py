"""Each service's committed AsyncAPI and OpenAPI documents are what its code generates."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]


def api_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("api_docs", ROOT / "tools" / "api_docs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DOCUMENTS = api_docs().documents()


@pytest.mark.parametrize("path", sorted(DOCUMENTS), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_committed_document_is_current(path: Path) -> None:
    assert path.exists(), f"{path.relative_to(ROOT)} missing: run make contracts"
    assert path.read_text(encoding="utf-8") == DOCUMENTS[path], (
        f"{path.relative_to(ROOT)} is stale: run make contracts and commit"
    )


@pytest.mark.parametrize("name", ["intake", "returns", "police-handover", "monitoring", "resettlement"])
def test_asyncapi_document_describes_the_service_events(name: str) -> None:
    document = json.loads(DOCUMENTS[ROOT / "docs" / "asyncapi" / f"{name}.json"])
    assert document["asyncapi"] == "3.0.0"
    schemas = document["components"]["schemas"]
    for operation in document["operations"].values():
        channel = operation["channel"]["$ref"].removeprefix("#/channels/")
        assert channel in document["channels"]
        for message in operation.get("messages", []):
            message_id = message["$ref"].rsplit("/", 1)[-1]
            payload = document["components"]["messages"][message_id]["payload"]["$ref"].rsplit("/", 1)[-1]
            assert payload in schemas
    text = json.dumps(document)
    for ref in {part.split('"')[0] for part in text.split('"#/components/schemas/')[1:]}:
        assert ref in schemas, f"dangling $ref {ref}"
