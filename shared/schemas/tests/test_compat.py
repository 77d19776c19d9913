"""The compatibility gate's core: BACKWARD compatibility between two closed JSON Schemas.

Every schema here comes from a real pydantic model (``model_json_schema()``), as the gate
sees them: ``$defs`` + ``$ref`` for nested models and enums, ``anyOf`` with null for
optional fields, ``additionalProperties: false`` for closed models.
"""

from __future__ import annotations

import copy
import itertools
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import BaseModel, ConfigDict, Field, create_model

from handoff_schemas import personal
from handoff_schemas.compat import Breaking, breaking_changes, check_versioned
from handoff_schemas.events.intake import ApplicationRegisteredV1

pytestmark = pytest.mark.unit


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


def schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


def changes(old: type[BaseModel], new: type[BaseModel]) -> list[Breaking]:
    return breaking_changes(schema(old), schema(new))


def only(found: list[Breaking], path: str, rule: str) -> Breaking:
    """The single reported change, checked to be `rule` at `path` and to name the field."""
    assert len(found) == 1, [str(item) for item in found]
    assert found[0].path == path
    assert found[0].rule == rule
    assert str(found[0]).startswith(f"{path}: {rule} (")
    return found[0]


# -- the models ----------------------------------------------------------------------------


class StageV1(StrEnum):
    LODGED = "lodged"
    SCREENED = "screened"
    DECIDED = "decided"


class StageV2(StrEnum):  # gained a value: compatible
    LODGED = "lodged"
    SCREENED = "screened"
    DECIDED = "decided"
    APPEALED = "appealed"


class StageV3(StrEnum):  # lost "decided": breaking
    LODGED = "lodged"
    SCREENED = "screened"


class DocumentV1(Closed):
    number: str = Field(max_length=32)
    country: str = Field(min_length=2, max_length=2)


class DocumentWithoutNumber(Closed):
    country: str = Field(min_length=2, max_length=2)


class IdentityV1(Closed):
    documents: list[DocumentV1]


class IdentityWithoutNumbers(Closed):
    documents: list[DocumentWithoutNumber]


class CaseV1(Closed):
    case_id: str = Field(description="The case id.", max_length=32)
    amount: int
    stage: StageV1
    note: str
    identity: IdentityV1
    tags: list[str] = Field(default_factory=list)
    retries: int = 0


class CaseV2(Closed):
    """Compatible with CaseV1 except for ``retries``, which became required."""

    case_id: str = Field(description="Another description.", title="Case", max_length=64)  # raised
    amount: float  # int -> float widens
    stage: StageV2  # added enum value
    note: str | None  # nullable added
    identity: IdentityV1
    tags: list[str] = Field(default_factory=list)
    retries: int
    comment: str | None = None  # added optional field
    documents: list[DocumentV1] | None = None  # added optional nested field


# -- compatible changes --------------------------------------------------------------------


def test_a_schema_is_compatible_with_itself() -> None:
    assert breaking_changes(schema(CaseV1), schema(CaseV1)) == []
    event = schema(ApplicationRegisteredV1)
    assert breaking_changes(event, copy.deepcopy(event)) == []


def test_several_compatible_changes_at_once_pass() -> None:
    class Old(Closed):
        case_id: str = Field(description="The case id.", max_length=32, min_length=4, pattern="^C-")
        amount: int
        stage: StageV1
        note: str
        retries: int

    class New(Closed):
        case_id: str = Field(description="Another description.", title="Case", max_length=64, min_length=1)
        amount: float
        stage: StageV2
        note: str | None
        retries: int = 0
        comment: str | None = None
        documents: list[DocumentV1] | None = None

    assert changes(Old, New) == []


def test_adding_an_optional_field_is_compatible() -> None:
    class Old(Closed):
        case_id: str

    class New(Closed):
        case_id: str
        comment: str | None = None
        flags: list[str] = Field(default_factory=list)

    assert changes(Old, New) == []


def test_widening_int_to_float_is_compatible() -> None:
    class Old(Closed):
        amount: int

    class New(Closed):
        amount: float

    assert changes(Old, New) == []


def test_adding_an_enum_value_is_compatible() -> None:
    class Old(Closed):
        stage: StageV1

    class New(Closed):
        stage: StageV2

    assert changes(Old, New) == []


def test_making_a_field_nullable_is_compatible() -> None:
    class Old(Closed):
        note: str
        amount: int | None = None

    class New(Closed):
        note: str | None
        amount: float | str | None = None

    assert changes(Old, New) == []


def test_raising_max_length_and_relaxing_constraints_is_compatible() -> None:
    class Old(Closed):
        name: str = Field(min_length=3, max_length=32, pattern="^[a-z]+$")
        count: int = Field(ge=1, le=10)
        items: list[int] = Field(max_length=3)
        when: date

    class New(Closed):
        name: str = Field(min_length=1, max_length=64)
        count: int = Field(ge=0)
        items: list[int] = Field(max_length=5)
        when: date | datetime

    assert changes(Old, New) == []


def test_making_a_required_field_optional_is_compatible() -> None:
    class Old(Closed):
        retries: int
        reason: str

    class New(Closed):
        retries: int = 0
        reason: str | None = None

    assert changes(Old, New) == []


def test_annotations_and_personal_data_marks_are_ignored() -> None:
    class Old(Closed):
        """Old docstring."""

        person_ref: str = Field(description="A reference.", examples=["P-1"])

    class New(Closed):
        """New docstring."""

        person_ref: str = personal("A pseudonymous reference.", examples=["P-2"], title="Person")

    assert changes(Old, New) == []


def test_integer_bounds_are_compared_on_integers() -> None:
    class Old(Closed):
        count: int = Field(ge=1)

    class New(Closed):
        count: int = Field(gt=0)  # the same integers

    assert changes(Old, New) == []
    assert changes(New, Old) == []


def test_renamed_defs_are_resolved_per_schema() -> None:
    class Holder(Closed):
        stage: StageV1
        document: DocumentV1

    class Renamed(Closed):
        stage: StageV2
        document: DocumentV1

    old, new = schema(Holder), schema(Renamed)
    assert "StageV1" in old["$defs"]
    assert "StageV2" in new["$defs"]
    assert breaking_changes(old, new) == []


def test_opening_a_closed_model_is_compatible() -> None:
    class Shut(Closed):
        case_id: str

    class Open(BaseModel):
        model_config = ConfigDict(extra="allow")
        case_id: str

    assert schema(Open)["additionalProperties"] is True
    assert changes(Shut, Open) == []


# -- breaking changes ----------------------------------------------------------------------


def test_a_removed_field_is_breaking() -> None:
    class Old(Closed):
        case_id: str
        note: str | None = None

    class New(Closed):
        case_id: str

    found = only(changes(Old, New), "note", "removed field")
    assert "note" in found.detail


def test_narrowing_float_to_int_is_breaking() -> None:
    class Old(Closed):
        amount: float

    class New(Closed):
        amount: int

    found = only(changes(Old, New), "amount", "narrowed type")
    assert found.detail == "number -> integer"


def test_narrowing_a_nullable_float_to_a_nullable_int_is_breaking() -> None:
    class Old(Closed):
        amount: float | None = None

    class New(Closed):
        amount: int | None = None

    only(changes(Old, New), "amount", "narrowed type")


def test_narrowing_str_to_enum_is_breaking() -> None:
    class Old(Closed):
        stage: str

    class New(Closed):
        stage: StageV1

    found = only(changes(Old, New), "stage", "narrowed type")
    assert "enum" in found.detail


def test_a_new_required_field_is_breaking() -> None:
    class Old(Closed):
        case_id: str

    class New(Closed):
        case_id: str
        office: str

    found = only(changes(Old, New), "office", "new required field")
    assert "office" in found.detail


def test_an_optional_field_becoming_required_is_breaking() -> None:
    class Old(Closed):
        retries: int = 0

    class New(Closed):
        retries: int

    found = only(changes(Old, New), "retries", "new required field")
    assert "optional" in found.detail


def test_a_removed_enum_value_is_breaking() -> None:
    class Old(Closed):
        stage: StageV1

    class New(Closed):
        stage: StageV3

    found = only(changes(Old, New), "stage", "removed enum value")
    assert "decided" in found.detail


def test_removing_nullable_is_breaking() -> None:
    class Old(Closed):
        note: str | None = None

    class New(Closed):
        note: str = ""

    found = only(changes(Old, New), "note", "removed branch")
    assert "null" in found.detail


def test_lowering_max_length_is_breaking() -> None:
    class Old(Closed):
        case_id: str = Field(max_length=64)

    class New(Closed):
        case_id: str = Field(max_length=32)

    found = only(changes(Old, New), "case_id", "tightened constraint")
    assert found.detail == "maxLength 64 -> 32"


def test_adding_a_pattern_is_breaking() -> None:
    class Old(Closed):
        case_id: str

    class New(Closed):
        case_id: str = Field(pattern="^C-[0-9]+$")

    found = only(changes(Old, New), "case_id", "tightened constraint")
    assert "pattern" in found.detail


def test_adding_a_format_is_breaking() -> None:
    class Old(Closed):
        lodged_on: str

    class New(Closed):
        lodged_on: date

    found = only(changes(Old, New), "lodged_on", "tightened constraint")
    assert "date" in found.detail


def test_tightening_a_numeric_bound_is_breaking() -> None:
    class Old(Closed):
        score: float = Field(ge=0)

    class New(Closed):
        score: float = Field(gt=0)

    found = only(changes(Old, New), "score", "tightened constraint")
    assert found.detail == "minimum 0 -> exclusiveMinimum 0"


def test_changing_a_const_is_breaking() -> None:
    class Old(Closed):
        kind: Literal["refusal"] = "refusal"

    class New(Closed):
        kind: Literal["grant"] = "grant"

    only(changes(Old, New), "kind", "changed const")


def test_a_field_removed_inside_a_list_of_nested_models_is_breaking() -> None:
    class Old(Closed):
        identity: IdentityV1

    class New(Closed):
        identity: IdentityWithoutNumbers

    found = only(changes(Old, New), "identity.documents[].number", "removed field")
    assert "number" in found.detail

    class OldList(Closed):
        documents: list[DocumentV1]

    class NewList(Closed):
        documents: list[DocumentWithoutNumber]

    only(changes(OldList, NewList), "documents[].number", "removed field")


def test_an_enum_in_defs_losing_a_value_is_reported_at_every_field_using_it() -> None:
    class Old(Closed):
        current: StageV1
        previous: StageV1 | None = None

    class New(Closed):
        current: StageV3
        previous: StageV3 | None = None

    old, new = schema(Old), schema(New)
    assert old["properties"]["current"] == {"$ref": "#/$defs/StageV1"}
    found = breaking_changes(old, new)
    assert [(item.path, item.rule) for item in found] == [
        ("current", "removed enum value"),
        ("previous", "removed enum value"),
    ]
    assert all("decided" in item.detail for item in found)


def test_closing_an_open_model_is_breaking() -> None:
    class Open(BaseModel):
        model_config = ConfigDict(extra="allow")
        case_id: str

    class Shut(Closed):
        case_id: str

    found = only(changes(Open, Shut), "(root)", "closed object")
    assert "additionalProperties" in found.detail


def test_changes_inside_tuples_and_dicts_name_the_position() -> None:
    class Old(Closed):
        pair: tuple[int, str]
        counts: dict[str, int]

    class New(Closed):
        pair: tuple[int, int]
        counts: dict[str, str]

    found = changes(Old, New)
    assert [(item.path, item.rule) for item in found] == [
        ("counts.*", "narrowed type"),
        ("pair[1]", "narrowed type"),
    ]


def test_discriminated_unions_may_gain_but_not_lose_a_variant() -> None:
    class Card(Closed):
        kind: Literal["card"] = "card"
        amount: float

    class Transfer(Closed):
        kind: Literal["transfer"] = "transfer"
        iban: str

    class Cash(Closed):
        kind: Literal["cash"] = "cash"

    class IntCard(Closed):
        kind: Literal["card"] = "card"
        amount: int

    class Two(Closed):
        payment: Card | Transfer = Field(discriminator="kind")

    class Three(Closed):
        payment: Card | Transfer | Cash = Field(discriminator="kind")

    class One(Closed):
        payment: Card

    class Narrowed(Closed):
        payment: IntCard | Transfer = Field(discriminator="kind")

    assert "oneOf" in schema(Two)["properties"]["payment"]
    assert changes(Two, Three) == []
    found = only(changes(Three, Two), "payment", "removed branch")
    assert "Cash" in found.detail
    found = only(changes(Two, One), "payment", "removed branch")
    assert "Transfer" in found.detail
    only(changes(Two, Narrowed), "payment.amount", "narrowed type")


def test_recursive_models_terminate_and_report_at_each_level() -> None:
    class Node(Closed):
        children: list[Node] = Field(default_factory=list)

    class LabelledNode(Closed):
        children: list[LabelledNode] = Field(default_factory=list)
        label: str

    Node.model_rebuild()
    LabelledNode.model_rebuild()
    assert breaking_changes(schema(Node), schema(Node)) == []
    found = changes(Node, LabelledNode)
    assert [(item.path, item.rule) for item in found] == [
        ("children[].label", "new required field"),
        ("label", "new required field"),
    ]


def test_a_recursive_optional_model_is_compared_once_per_pair() -> None:
    class Link(Closed):
        value: int
        next: Link | None = None

    class FloatLink(Closed):
        value: float
        next: FloatLink | None = None

    class StrLink(Closed):
        value: str
        next: StrLink | None = None

    for model in (Link, FloatLink, StrLink):
        model.model_rebuild()
    assert changes(Link, FloatLink) == []
    found = changes(Link, StrLink)
    assert [(item.path, item.rule) for item in found] == [
        ("next.value", "narrowed type"),
        ("value", "narrowed type"),
    ]


def test_an_unknown_constraining_keyword_is_treated_as_breaking() -> None:
    class Old(Closed):
        body: str

    class New(Closed):
        body: str = Field(json_schema_extra={"contentMediaType": "application/json"})

    found = only(changes(Old, New), "body", "unsupported keyword changed")
    assert "contentMediaType" in found.detail
    assert changes(New, Old) == []  # dropping it only relaxes


def test_the_result_is_sorted_by_path_and_reads_well() -> None:
    found = changes(CaseV1, CaseV2)
    assert found == sorted(found, key=lambda item: item.path)
    assert [str(item) for item in found] == [
        "retries: new required field (optional field 'retries' is now required)",
    ]
    several = breaking_changes(schema(CaseV2), schema(CaseV1))
    paths = [item.path for item in several]
    assert paths == sorted(paths)
    assert {"amount", "case_id", "comment", "documents", "note"} <= set(paths)


def test_breaking_renders_path_rule_and_detail() -> None:
    item = Breaking("identity.documents[].number", "removed field", "was required")
    assert str(item) == "identity.documents[].number: removed field (was required)"


# -- check_versioned -----------------------------------------------------------------------


def test_check_versioned_lets_a_new_major_break() -> None:
    class Old(Closed):
        amount: float

    class New(Closed):
        amount: int

    old, new = schema(Old), schema(New)
    assert check_versioned(old, new, old_type="handoff.intake.x.v1", new_type="handoff.intake.x.v2") == []
    same = check_versioned(old, new, old_type="handoff.intake.x.v1", new_type="handoff.intake.x.v1")
    assert [item.path for item in same] == ["amount"]
    unversioned = check_versioned(old, new, old_type="handoff.intake.x", new_type="handoff.intake.x.v2")
    assert [item.path for item in unversioned] == ["amount"]


# -- properties ----------------------------------------------------------------------------
#
# Random closed models are described by small specs, so that the same spec gives a pydantic
# model (and so a JSON Schema) and a strategy for JSON messages of roughly that shape:
#   ("leaf", name) | ("list", spec) | ("optional", spec) | ("model", ((field, spec, required), ...))

Spec = tuple[Any, ...]

_model_names = itertools.count()


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


_LEAVES: dict[str, Any] = {
    "int": int,
    "float": float,
    "str": str,
    "bool": bool,
    "date": date,
    "datetime": datetime,
    "colour": Colour,
    "xy": Literal["x", "y"],
    "short": Annotated[str, Field(max_length=3)],
    "lower": Annotated[str, Field(pattern="^[a-z]+$")],
    "small": Annotated[int, Field(ge=0, le=10)],
}
_SCALARS = st.one_of(
    st.integers(min_value=-3, max_value=12),
    st.floats(min_value=-3, max_value=12, allow_nan=False),
    st.sampled_from(["", "a", "abcd", "x", "y", "red", "blue", "ABC", "2026-01-02"]),
    st.booleans(),
    st.none(),
)
_FIELD_NAMES = ["a", "b", "c", "d"]


def _specs() -> st.SearchStrategy[Spec]:
    def extend(inner: st.SearchStrategy[Spec]) -> st.SearchStrategy[Spec]:
        return st.one_of(
            inner.map(lambda spec: ("list", spec)),
            inner.map(lambda spec: ("optional", spec)),
            _model_specs(inner),
        )

    leaves = st.sampled_from(sorted(_LEAVES)).map(lambda name: ("leaf", name))
    return st.recursive(leaves, extend, max_leaves=6)


def _model_specs(fields: st.SearchStrategy[Spec]) -> st.SearchStrategy[Spec]:
    named = st.lists(st.sampled_from(_FIELD_NAMES), min_size=1, max_size=3, unique=True)
    return named.flatmap(
        lambda names: st.tuples(*(st.tuples(st.just(name), fields, st.booleans()) for name in names))
    ).map(lambda entries: ("model", entries))


_models = _model_specs(_specs())


def _annotation(spec: Spec) -> Any:
    kind = spec[0]
    if kind == "leaf":
        return _LEAVES[spec[1]]
    if kind == "list":
        return list[_annotation(spec[1])]
    if kind == "optional":
        return _annotation(spec[1]) | None
    definitions: dict[str, Any] = {
        name: (_annotation(inner), ...) if required else (_annotation(inner) | None, None)
        for name, inner, required in spec[1]
    }
    return create_model(f"Random{next(_model_names)}", __config__=ConfigDict(extra="forbid"), **definitions)


def _messages(spec: Spec) -> st.SearchStrategy[Any]:
    kind = spec[0]
    if kind == "leaf":
        return _SCALARS
    if kind == "list":
        return st.one_of(st.lists(_messages(spec[1]), max_size=3), _SCALARS)
    if kind == "optional":
        return st.one_of(st.none(), _messages(spec[1]))
    required = {name: _messages(inner) for name, inner, needed in spec[1] if needed}
    optional = {name: _messages(inner) for name, inner, needed in spec[1] if not needed}
    return st.fixed_dictionaries(required, optional={**optional, "extra": _SCALARS})


def _mutate(spec: Spec, data: st.DataObject) -> Spec:
    """One random change somewhere in a model spec: compatible or not."""
    entries = list(spec[1])
    index = data.draw(st.integers(min_value=0, max_value=len(entries) - 1))
    name, inner, required = entries[index]
    change = data.draw(
        st.sampled_from(["retype", "drop", "add", "toggle", "nullable", "unwrap", "listify", "nested"])
    )
    if change == "retype":
        entries[index] = (name, data.draw(_specs()), required)
    elif change == "drop":
        del entries[index]
    elif change == "add":
        free = [candidate for candidate in _FIELD_NAMES if candidate not in {entry[0] for entry in entries}]
        if free:
            entries.append((free[0], data.draw(_specs()), data.draw(st.booleans())))
    elif change == "toggle":
        entries[index] = (name, inner, not required)
    elif change == "nullable":
        entries[index] = (name, ("optional", inner), required)
    elif change == "unwrap" and inner[0] in ("optional", "list"):
        entries[index] = (name, inner[1], required)
    elif change == "listify":
        entries[index] = (name, ("list", inner), required)
    elif change == "nested" and inner[0] == "model":
        entries[index] = (name, _mutate(inner, data), required)
    return ("model", tuple(entries))


@settings(max_examples=60, deadline=None)
@given(_models)
def test_any_closed_model_is_compatible_with_itself(spec: Spec) -> None:
    generated = schema(_annotation(spec))
    assert breaking_changes(generated, generated) == []
    assert breaking_changes(generated, copy.deepcopy(generated)) == []
    assert breaking_changes(generated, schema(_annotation(spec))) == []  # other $defs names


@settings(max_examples=60, deadline=None)
@given(_models, _specs())
def test_adding_an_optional_field_to_any_model_is_compatible(spec: Spec, extra: Spec) -> None:
    new = ("model", (*spec[1], ("extra", extra, False)))
    assert changes(_annotation(spec), _annotation(new)) == []


@settings(max_examples=60, deadline=None)
@given(_models, st.data())
def test_removing_a_field_from_any_model_is_breaking(spec: Spec, data: st.DataObject) -> None:
    removed = data.draw(st.integers(min_value=0, max_value=len(spec[1]) - 1))
    name = spec[1][removed][0]
    new = ("model", tuple(entry for entry in spec[1] if entry[0] != name))
    found = changes(_annotation(spec), _annotation(new))
    assert [(item.path, item.rule) for item in found] == [(name, "removed field")]


@settings(max_examples=150, deadline=None)
@given(_models, st.data())
def test_a_change_reported_compatible_accepts_every_old_message(spec: Spec, data: st.DataObject) -> None:
    """Soundness against a real validator: no report means no old message is rejected."""
    new_spec = _mutate(spec, data)
    old, new = schema(_annotation(spec)), schema(_annotation(new_spec))
    found = breaking_changes(old, new)
    if found:
        return
    old_validator, new_validator = Draft202012Validator(old), Draft202012Validator(new)
    for message in data.draw(st.lists(_messages(spec), min_size=1, max_size=15)):
        if old_validator.is_valid(message):
            assert new_validator.is_valid(message), (message, new_spec)
