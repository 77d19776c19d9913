"""The core of the schema compatibility gate: BACKWARD compatibility of closed JSON Schemas.

Topics are BACKWARD compatible: consumers are upgraded before producers, so a new schema
(within one major version) must accept every message the old schema accepted.
:func:`breaking_changes` lists every way in which the new schema rejects data the old one
accepted; an empty list means the change is safe.

The comparison works on the JSON Schemas pydantic emits (``Model.model_json_schema()``):

* ``$ref`` is resolved against the schema's own document (old refs against the old
  ``$defs``, new refs against the new ones), so renaming a ``$defs`` entry is not a change;
  a recursive ``$ref`` is compared once per pair of subschemas (a comparison already in
  progress is assumed to hold, which is sound for regular, tree-shaped schemas).
* ``properties``/``required``/``additionalProperties`` (and ``patternProperties``),
  ``items``/``prefixItems``, ``anyOf``/``oneOf``/``allOf``, ``not``, ``type``, ``enum``,
  ``const``, ``format``, ``pattern`` and the numeric, length, item and property-count bounds
  are understood.
* Annotations (``title``, ``description``, ``examples``, ``default``, ``deprecated``,
  ``readOnly``, ``writeOnly``, ``$comment``, ``discriminator``, ``x-*`` extensions, ...) are
  ignored.
* Every other keyword is compared literally (after resolving the ``$ref``s inside it): when
  the new schema adds or changes it, the change is reported as breaking; removing it is
  taken as a relaxation.

Where exact reasoning would be costly the answer errs towards "breaking":

* an added or changed ``pattern`` or ``format`` is breaking (no regex or format inclusion is
  worked out), except that the values of an old ``enum``/``const`` are checked one by one;
* a new ``oneOf`` must keep each old branch matching exactly one new branch: besides being
  covered, the old branch must be provably disjoint from every other new branch (different
  JSON types or constants, a required property the other forbids, or the property named by
  pydantic's ``discriminator``, whose tag pydantic requires even when the field has a default);
* an old ``oneOf`` is read as an ``anyOf`` (it may have accepted less), and conflicting
  ``allOf`` parts of the old schema are merged by keeping the first part's keyword;
* a ``$ref`` that cannot be resolved inside the document is compared as a literal string;
* adding or removing a ``patternProperties`` pattern is reported unless it cannot matter.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeAlias
from urllib.parse import unquote

__all__ = ["ROOT", "Breaking", "breaking_changes", "check_versioned"]

Schema: TypeAlias = dict[str, Any] | bool

ROOT = "(root)"

REMOVED_FIELD = "removed field"
NEW_REQUIRED_FIELD = "new required field"
NARROWED_TYPE = "narrowed type"
REMOVED_ENUM_VALUE = "removed enum value"
CHANGED_CONST = "changed const"
TIGHTENED_CONSTRAINT = "tightened constraint"
REMOVED_BRANCH = "removed branch"
AMBIGUOUS_BRANCH = "ambiguous branch"
CLOSED_OBJECT = "closed object"
UNSUPPORTED_KEYWORD = "unsupported keyword changed"

_ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "examples",
        "example",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$comment",
        "$schema",
        "$id",
        "$anchor",
        "$defs",
        "definitions",
        "discriminator",
    }
)
_HANDLED = frozenset(
    {
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "type",
        "nullable",
        "enum",
        "const",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "items",
        "prefixItems",
        "additionalItems",
        "minItems",
        "maxItems",
        "uniqueItems",
        "properties",
        "patternProperties",
        "additionalProperties",
        "required",
        "minProperties",
        "maxProperties",
    }
)
# Keywords whose meaning depends on each other: two schemas are only merged into one dict
# when at most one of them uses the group (or both use it identically).
_GROUPS = (
    frozenset({"properties", "patternProperties", "additionalProperties", "unevaluatedProperties"}),
    frozenset({"items", "prefixItems", "additionalItems", "unevaluatedItems"}),
    frozenset({"contains", "minContains", "maxContains"}),
    frozenset({"if", "then", "else"}),
)
_ALL_TYPES = frozenset({"null", "boolean", "integer", "number", "string", "array", "object"})
_NUMERIC = frozenset({"integer", "number"})
_VERSION = re.compile(r"\.v(\d+)$")


@dataclass(frozen=True)
class Breaking:
    """One way in which the new schema rejects data the old schema accepted."""

    path: str
    """The field path, e.g. ``identity.documents[].number``; ``(root)`` for the top level."""
    rule: str
    """Short rule name, e.g. ``removed field`` or ``narrowed type``."""
    detail: str
    """What it was and what it is now."""

    def __str__(self) -> str:
        return f"{self.path}: {self.rule} ({self.detail})"


def breaking_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Breaking]:
    """Every way in which `new` rejects data that `old` accepted (BACKWARD, closed schemas).

    Sorted by path; an empty list means every message valid under `old` is valid under `new`.
    """
    comparer = _Comparer(_Document(old), _Document(new), {})
    found = comparer.compare(old, new, "")
    return sorted(set(found), key=lambda b: (b.path, b.rule, b.detail))


def check_versioned(
    old: dict[str, Any], new: dict[str, Any], *, old_type: str, new_type: str
) -> list[Breaking]:
    """Breaking changes from `old` to `new`, unless the CloudEvents type changes its major version.

    ``handoff.intake.x.v1`` -> ``handoff.intake.x.v2`` is a new major and may break: ``[]``.
    A type without a ``.v<major>`` suffix is treated as the same major (checked).
    """
    old_major, new_major = _major(old_type), _major(new_type)
    if old_major is not None and new_major is not None and old_major != new_major:
        return []
    return breaking_changes(old, new)


def _major(event_type: str) -> int | None:
    match = _VERSION.search(event_type)
    return int(match.group(1)) if match else None


class _Missing:
    pass


_MISSING = _Missing()


class _Document:
    """One schema document: resolves ``$ref`` against its own root."""

    def __init__(self, root: Any) -> None:
        self.root = root

    def resolve(self, ref: str) -> Any:
        if not ref.startswith("#"):
            return _MISSING
        pointer = unquote(ref[1:])
        node: Any = self.root
        if not pointer:
            return node
        if not pointer.startswith("/"):
            return _MISSING
        for raw_token in pointer[1:].split("/"):
            token = raw_token.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return _MISSING
        return node

    def normalize(self, raw: Any, *, widen: bool, seen: frozenset[str] = frozenset()) -> Schema:
        """Resolve ``$ref`` and merge ``allOf`` into one schema where that is exact.

        With ``widen`` (the old side) a conflict keeps the first schema's keywords, which can
        only make the old schema accept more (conservative). Without it (the new side) a
        conflict is kept as an ``allOf`` that is checked part by part.
        """
        if isinstance(raw, bool):
            return raw
        if not isinstance(raw, dict):
            return True if widen else {"$unsupported": raw}
        ref = raw.get("$ref")
        if isinstance(ref, str) and ref not in seen:
            target = self.resolve(ref)
            if not isinstance(target, _Missing):
                siblings = {key: value for key, value in raw.items() if key != "$ref"}
                resolved = self.normalize(target, widen=widen, seen=seen | {ref})
                return _conjoin(resolved, self.normalize(siblings, widen=widen, seen=seen), widen=widen)
        elif isinstance(ref, str) and widen:
            return True  # a $ref cycle that never reaches a schema
        parts = raw.get("allOf")
        if isinstance(parts, list):
            merged: Schema = self.normalize(
                {key: value for key, value in raw.items() if key != "allOf"}, widen=widen, seen=seen
            )
            for part in parts:
                merged = _conjoin(merged, self.normalize(part, widen=widen, seen=seen), widen=widen)
            return merged
        return raw

    def expand(self, value: Any, seen: frozenset[str] = frozenset()) -> Any:
        """`value` with every resolvable ``$ref`` replaced by its target (for literal comparison)."""
        if isinstance(value, list):
            return [self.expand(item, seen) for item in value]
        if not isinstance(value, dict):
            return value
        ref = value.get("$ref")
        if isinstance(ref, str) and ref not in seen:
            target = self.resolve(ref)
            if not isinstance(target, _Missing):
                siblings = {key: item for key, item in value.items() if key != "$ref"}
                return {"allOf": [self.expand(target, seen | {ref}), self.expand(siblings, seen)]}
        return {key: self.expand(item, seen) for key, item in value.items()}


class _Comparer:
    def __init__(
        self,
        old_doc: _Document,
        new_doc: _Document,
        active: dict[tuple[int, int, int, int], tuple[object, object]],
    ) -> None:
        self.old_doc = old_doc
        self.new_doc = new_doc
        # Comparisons in progress, keyed by the identity of the raw subschemas; the values
        # keep those objects alive so an id is never reused while its comparison runs.
        self.active = active

    # -- entry point: raw (unresolved) subschemas -------------------------------------

    def compare(self, old_raw: Any, new_raw: Any, path: str) -> list[Breaking]:
        key = (id(self.old_doc), id(self.new_doc), id(old_raw), id(new_raw))
        if key in self.active:
            return []  # a recursive $ref: this pair is already being compared further up
        self.active[key] = (old_raw, new_raw)
        try:
            old_node = self.old_doc.normalize(old_raw, widen=True)
            return self._compare_nodes(old_node, self.new_doc.normalize(new_raw, widen=False), path)
        finally:
            del self.active[key]

    def _compare_nodes(self, old_node: Schema, new_node: Schema, path: str) -> list[Breaking]:
        """Compare two resolved schemas, either of which may be a union (anyOf/oneOf).

        Every old branch must be covered by (not narrowed by) some new branch. A new ``oneOf``
        also needs the covering branch to be the only match: the old branch must be provably
        disjoint from every other new branch (by JSON type, by constant values, by a required
        property the other forbids, or by the OpenAPI ``discriminator`` pydantic emits).
        """
        old_branches, _, _ = _branches(old_node, self.old_doc, widen=True)
        new_branches, exclusive, discriminator = _branches(new_node, self.new_doc, widen=False)
        if len(old_branches) == 1 and len(new_branches) == 1:
            return self.single(old_branches[0], new_branches[0], path)
        found: list[Breaking] = []
        for old_branch in old_branches:
            if old_branch is False:
                continue
            trials = [(self.single(old_branch, branch, path), branch) for branch in new_branches]
            covering = [branch for problems, branch in trials if not problems]
            if covering:
                if exclusive:
                    found.extend(
                        self._check_exclusive(old_branch, covering, new_branches, discriminator, path)
                    )
                continue
            candidates = [
                (problems, branch) for problems, branch in trials if self._overlap(old_branch, branch)
            ]
            if candidates:
                found.extend(min(candidates, key=lambda candidate: len(candidate[0]))[0])
            else:
                now = " | ".join(_describe(branch) for branch in new_branches) or "nothing"
                found.append(
                    _breaking(
                        path, REMOVED_BRANCH, f"{_describe(old_branch)} is no longer accepted; now {now}"
                    )
                )
        return found

    def _check_exclusive(
        self,
        old_branch: Schema,
        covering: list[Schema],
        new_branches: list[Schema],
        discriminator: str | None,
        path: str,
    ) -> list[Breaking]:
        if len(covering) > 1:
            detail = f"{_describe(old_branch)} now matches {len(covering)} oneOf branches"
            return [_breaking(path, AMBIGUOUS_BRANCH, detail)]
        for other in new_branches:
            if other is not covering[0] and not self._disjoint(old_branch, other, discriminator):
                detail = f"{_describe(old_branch)} may also match oneOf branch {_describe(other)}"
                return [_breaking(path, AMBIGUOUS_BRANCH, detail)]
        return []

    def _disjoint(self, old: Schema, new: Schema, discriminator: str | None) -> bool:
        """Whether no value of `old` can match `new` (False when that cannot be shown)."""
        if not _overlap(old, new):
            return True
        if not isinstance(old, dict) or not isinstance(new, dict):
            return old is False or new is False
        for first, second in ((old, new), (new, old)):
            values = _finite_values(first)
            if values is not None and all(_reject(second, value, second) is not None for value in values):
                return True
        if _kinds(old) != frozenset({"object"}) or _kinds(new) != frozenset({"object"}):
            return False
        old_props, new_props = _dict(old.get("properties")), _dict(new.get("properties"))
        old_required, new_required = _names(old.get("required")), _names(new.get("required"))
        for name in old_props.keys() & new_props.keys():
            if name != discriminator and not (name in old_required and name in new_required):
                continue
            old_values = _finite_values_of(self.old_doc.normalize(old_props[name], widen=True))
            new_values = _finite_values_of(self.new_doc.normalize(new_props[name], widen=False))
            if _disjoint_values(old_values, new_values):
                return True
        forbidden_in_new = any(_schemas_for_name(new, name) == [False] for name in old_required)
        return forbidden_in_new or any(_schemas_for_name(old, name) == [False] for name in new_required)

    def _overlap(self, old: Schema, new: Schema) -> bool:
        """Whether a new branch looks like the successor of an old one (to report its differences).

        Branches must share a JSON type, and objects must not be told apart by a property with
        disjoint constant values (a discriminator such as ``kind: "card"`` vs ``kind: "cash"``).
        """
        if not _overlap(old, new):
            return False
        if not isinstance(old, dict) or not isinstance(new, dict):
            return True
        old_props, new_props = _dict(old.get("properties")), _dict(new.get("properties"))
        for name in old_props.keys() & new_props.keys():
            old_values = _finite_values_of(self.old_doc.normalize(old_props[name], widen=True))
            new_values = _finite_values_of(self.new_doc.normalize(new_props[name], widen=False))
            if _disjoint_values(old_values, new_values):
                return False
        return True

    # -- one old branch against one new branch (both resolved) ---------------------

    def single(self, old: Schema, new: Schema, path: str) -> list[Breaking]:
        if old is False or new is True:
            return []
        if new is False:
            return [_breaking(path, NARROWED_TYPE, f"{_describe(old)} -> nothing (false schema)")]
        if old is True:
            old = {}
        if not _constraints(new):
            return []
        if "allOf" in old or "$ref" in old:
            old = self.old_doc.normalize(old, widen=True)
        if _is_union(old) or _is_union(new):
            return self._compare_nodes(old, new, path)
        if not isinstance(old, dict):
            return self.single(old, new, path)
        parts = new.get("allOf")
        if isinstance(parts, list):
            rest = {key: value for key, value in new.items() if key != "allOf"}
            found = self.single(old, rest, path)
            for part in parts:
                found.extend(self.compare(old, part, path))
            return found
        if not _constraints(old):
            # The old schema accepted anything: one report instead of one per new keyword.
            if self._checks(old, new, path):
                return [_breaking(path, NARROWED_TYPE, f"anything -> {_describe(new)}")]
            return []
        return self._checks(old, new, path)

    def _checks(self, old: dict[str, Any], new: dict[str, Any], path: str) -> list[Breaking]:
        found: list[Breaking] = []
        values = _finite_values(old)
        if values is not None:
            kinds = self._check_values(old, values, new, path, found)
        else:
            kinds = self._check_types(old, new, path, found)
            if "string" in kinds:
                self._check_string(old, new, path, found)
            if kinds & _NUMERIC:
                self._check_numbers(old, new, path, found, integral="number" not in kinds)
        if not kinds:
            return found
        if "array" in kinds:
            self._check_array(old, new, path, found)
        if "object" in kinds:
            self._check_object(old, new, path, found)
        self._check_not(old, new, path, found)
        self._check_unknown(old, new, path, found)
        return found

    # -- types, enums and const ------------------------------------------------------

    def _check_types(
        self, old: dict[str, Any], new: dict[str, Any], path: str, found: list[Breaking]
    ) -> set[str]:
        old_types = _type_set(old, widen=True)
        new_types = _type_set(new, widen=False)
        if "enum" in new or "const" in new:
            found.append(_breaking(path, NARROWED_TYPE, f"{_show_types(old_types)} -> {_describe(new)}"))
            return set()
        kinds: set[str] = set()
        lost = False
        for kind in old_types if old_types is not None else _ALL_TYPES:
            if _type_accepted(kind, new_types):
                kinds.add(kind)
                continue
            lost = True
            if kind == "number" and _type_accepted("integer", new_types):
                kinds.add("integer")
        if lost:
            found.append(
                _breaking(path, NARROWED_TYPE, f"{_show_types(old_types)} -> {_show_types(new_types)}")
            )
        return kinds

    def _check_values(
        self,
        old: dict[str, Any],
        values: list[Any],
        new: dict[str, Any],
        path: str,
        found: list[Breaking],
    ) -> set[str]:
        kinds: set[str] = set()
        problems: dict[str, list[str]] = {}
        for value in values:
            reason = _reject(new, value, old)
            if reason is None:
                kinds.add(_json_type(value))
            else:
                problems.setdefault(reason[0], []).append(reason[1])
        for rule, details in problems.items():
            found.append(_breaking(path, rule, "; ".join(details)))
        return kinds

    # -- strings and numbers ---------------------------------------------------------

    def _check_string(
        self, old: dict[str, Any], new: dict[str, Any], path: str, found: list[Breaking]
    ) -> None:
        _check_count(old, new, "minLength", lower=True, path=path, found=found)
        _check_count(old, new, "maxLength", lower=False, path=path, found=found)
        for key in ("pattern", "format"):
            if key in new and not _json_equal(new[key], old.get(key)):
                if key in old:
                    detail = f"{key} {_show(old[key])} -> {_show(new[key])}"
                else:
                    detail = f"{key} {_show(new[key])} added"
                found.append(_breaking(path, TIGHTENED_CONSTRAINT, detail))

    def _check_numbers(
        self,
        old: dict[str, Any],
        new: dict[str, Any],
        path: str,
        found: list[Breaking],
        *,
        integral: bool,
    ) -> None:
        for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"):
            if key in new and _number(new[key]) is None and not _json_equal(new[key], old.get(key)):
                found.append(
                    _breaking(path, UNSUPPORTED_KEYWORD, f"{key}: {_show(new[key])} is not a number")
                )
        old_low, new_low = (
            _bound(old, lower=True, integral=integral),
            _bound(new, lower=True, integral=integral),
        )
        if new_low is not None and (old_low is None or _tighter(new_low, old_low, lower=True)):
            before = old_low[2] if old_low else "no lower bound"
            found.append(_breaking(path, TIGHTENED_CONSTRAINT, f"{before} -> {new_low[2]}"))
        old_high = _bound(old, lower=False, integral=integral)
        new_high = _bound(new, lower=False, integral=integral)
        if new_high is not None and (old_high is None or _tighter(new_high, old_high, lower=False)):
            before = old_high[2] if old_high else "no upper bound"
            found.append(_breaking(path, TIGHTENED_CONSTRAINT, f"{before} -> {new_high[2]}"))
        new_step = _number(new.get("multipleOf"))
        if new_step is not None and new_step > 0:
            old_step = _number(old.get("multipleOf"))
            if not (
                (old_step is not None and _is_multiple(old_step, new_step))
                or (integral and _is_multiple(1, new_step))
            ):
                before = f"multipleOf {_show(old_step)}" if old_step is not None else "no multipleOf"
                found.append(
                    _breaking(path, TIGHTENED_CONSTRAINT, f"{before} -> multipleOf {_show(new_step)}")
                )

    # -- arrays ----------------------------------------------------------------------

    def _check_array(
        self, old: dict[str, Any], new: dict[str, Any], path: str, found: list[Breaking]
    ) -> None:
        _check_count(old, new, "minItems", lower=True, path=path, found=found)
        _check_count(old, new, "maxItems", lower=False, path=path, found=found)
        if new.get("uniqueItems") is True and old.get("uniqueItems") is not True:
            found.append(_breaking(path, TIGHTENED_CONSTRAINT, "uniqueItems added"))
        old_prefix, old_rest = _tuple_items(old)
        new_prefix, new_rest = _tuple_items(new)
        max_items = _number(old.get("maxItems"))
        positions = max(len(old_prefix), len(new_prefix))
        for index in range(positions):
            if max_items is not None and index >= max_items:
                return
            old_item = old_prefix[index] if index < len(old_prefix) else old_rest
            new_item = new_prefix[index] if index < len(new_prefix) else new_rest
            found.extend(self.compare(old_item, new_item, f"{path}[{index}]"))
        if max_items is None or max_items > positions:
            found.extend(self.compare(old_rest, new_rest, f"{path}[]"))

    # -- objects ---------------------------------------------------------------------

    def _check_object(
        self, old: dict[str, Any], new: dict[str, Any], path: str, found: list[Breaking]
    ) -> None:
        _check_count(old, new, "minProperties", lower=True, path=path, found=found)
        _check_count(old, new, "maxProperties", lower=False, path=path, found=found)
        old_props, new_props = _dict(old.get("properties")), _dict(new.get("properties"))
        old_required, new_required = _names(old.get("required")), _names(new.get("required"))
        new_additional = new.get("additionalProperties", True)
        for name in sorted(set(old_props) | set(new_props)):
            child = _child(path, name)
            old_parts, new_parts = _schemas_for_name(old, name), _schemas_for_name(new, name)
            if all(part is False for part in old_parts):
                continue  # the old schema never let this property through
            if name in old_props and any(part is False for part in new_parts):
                was = "required" if name in old_required else "optional"
                found.append(_breaking(child, REMOVED_FIELD, f"{was} field {name!r} is no longer accepted"))
                continue
            old_part = old_parts[0] if len(old_parts) == 1 else {"allOf": old_parts}
            for part in new_parts:
                found.extend(self.compare(old_part, part, child))
        for name in sorted(new_required - old_required):
            if name in old_props:
                detail = f"optional field {name!r} is now required"
            else:
                detail = f"field {name!r} is required and old messages do not carry it"
            found.append(_breaking(_child(path, name), NEW_REQUIRED_FIELD, detail))
        old_additional = old.get("additionalProperties", True)
        self._check_patterns(old, new, path, found)
        if old_additional is False:
            return
        if new_additional is False:
            found.append(
                _breaking(
                    path,
                    CLOSED_OBJECT,
                    "additionalProperties true -> false: undeclared properties are now rejected",
                )
            )
        else:
            found.extend(self.compare(old_additional, new_additional, _child(path, "*")))

    def _check_patterns(
        self, old: dict[str, Any], new: dict[str, Any], path: str, found: list[Breaking]
    ) -> None:
        """patternProperties: the same pattern is compared; added or removed ones conservatively."""
        old_patterns, new_patterns = _dict(old.get("patternProperties")), _dict(new.get("patternProperties"))
        # With no old patterns and a closed old schema, only declared names (checked above) existed.
        only_declared = not old_patterns and old.get("additionalProperties", True) is False
        new_open = new.get("additionalProperties", True) is True
        for pattern in sorted(old_patterns.keys() | new_patterns.keys()):
            if pattern in old_patterns and pattern in new_patterns:
                found.extend(
                    self.compare(old_patterns[pattern], new_patterns[pattern], _child(path, f"/{pattern}/"))
                )
            elif pattern in new_patterns and not only_declared:
                found.append(
                    _breaking(path, UNSUPPORTED_KEYWORD, f"patternProperties: pattern {pattern!r} added")
                )
            elif pattern in old_patterns and not new_open:
                found.append(
                    _breaking(path, UNSUPPORTED_KEYWORD, f"patternProperties: pattern {pattern!r} removed")
                )

    # -- not and everything else -----------------------------------------------------

    def _check_not(self, old: dict[str, Any], new: dict[str, Any], path: str, found: list[Breaking]) -> None:
        if "not" not in new:
            return
        # new rejects more than old iff new's excluded set is not inside old's excluded set.
        swapped = _Comparer(self.new_doc, self.old_doc, self.active)
        if swapped.compare(new["not"], old.get("not", False), path):
            found.append(
                _breaking(
                    path,
                    TIGHTENED_CONSTRAINT,
                    f"not: {_show(old['not']) if 'not' in old else 'absent'} -> {_show(new['not'])}"
                    " excludes more values",
                )
            )

    def _check_unknown(
        self, old: dict[str, Any], new: dict[str, Any], path: str, found: list[Breaking]
    ) -> None:
        for key in sorted(new):
            if _is_annotation(key) or key in _HANDLED:
                continue
            if key in old and _json_equal(self.old_doc.expand(old[key]), self.new_doc.expand(new[key])):
                continue
            if key in old and _json_equal(old[key], new[key]):
                before = f"{_show(old[key])} (the schema it refers to changed)"
            else:
                before = _show(old[key]) if key in old else "absent"
            found.append(
                _breaking(
                    path, UNSUPPORTED_KEYWORD, f"{key}: {before} -> {_show(new[key])}; treated as breaking"
                )
            )


# -- normalisation helpers ---------------------------------------------------------------


def _conjoin(first: Schema, second: Schema, *, widen: bool) -> Schema:
    """One schema accepting what both accept (exactly, or wider when `widen` and they conflict)."""
    if first is False or second is False:
        return False
    if first is True:
        return second
    if second is True:
        return first
    merged = dict(first)
    conflicts: set[str] = set()
    nullable = "nullable" in first or "nullable" in second
    for key, value in second.items():
        if key not in merged or _is_annotation(key):
            merged[key] = value
        elif not _json_equal(merged[key], value):
            both = _intersect(key, merged[key], value) if not (nullable and key == "type") else _MISSING
            if both is _NOTHING:
                return False
            if isinstance(both, _Missing):
                conflicts.add(key)
            else:
                merged[key] = both
    for group in _GROUPS:
        both = bool(group & first.keys() and group & second.keys())
        if both and any(not _json_equal(first.get(key), second.get(key)) for key in group):
            conflicts |= group
    if not conflicts:
        return merged
    if not widen:
        return {"allOf": [first, second]}
    for key in conflicts:
        if key in first:
            merged[key] = first[key]
        else:
            merged.pop(key, None)
    return merged


_NOTHING = _Missing()  # the conjunction accepts no value at all
_LOWER_BOUNDS = frozenset(
    {"minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum", "minContains"}
)
_UPPER_BOUNDS = frozenset(
    {"maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum", "maxContains"}
)


def _intersect(key: str, first: Any, second: Any) -> Any:
    """The exact value of `key` for a schema requiring both; _NOTHING if none, _MISSING if unknown."""
    if key in _LOWER_BOUNDS | _UPPER_BOUNDS:
        low, high = _number(first), _number(second)
        if low is None or high is None:
            return _MISSING
        return max(low, high) if key in _LOWER_BOUNDS else min(low, high)
    if key == "required" and isinstance(first, list) and isinstance(second, list):
        return sorted(_names(first) | _names(second))
    if key == "const":
        return _NOTHING  # two different constants
    if key == "enum" and isinstance(first, list) and isinstance(second, list):
        common = [value for value in first if any(_json_equal(value, other) for other in second)]
        return common or _NOTHING
    if key == "type":
        first_types, second_types = (
            _type_set({"type": first}, widen=True),
            _type_set({"type": second}, widen=True),
        )
        if first_types is None or second_types is None:
            return _MISSING
        common_types = {kind for kind in first_types if _type_accepted(kind, second_types)}
        common_types |= {kind for kind in second_types if _type_accepted(kind, first_types)}
        if not common_types:
            return _NOTHING
        return sorted(common_types) if len(common_types) > 1 else common_types.pop()
    return _MISSING


def _branches(
    node: Schema, doc: _Document, *, widen: bool, seen: frozenset[int] = frozenset()
) -> tuple[list[Schema], bool, str | None]:
    """The alternatives of an ``anyOf``/``oneOf``, flattened.

    Also whether any level was a ``oneOf`` (the flattened branches are then read as one
    ``oneOf``, which never accepts more than the nested unions did) and its discriminator.
    """
    if not isinstance(node, dict) or not _is_union(node):
        return [node], False, None
    has_any, has_one = isinstance(node.get("anyOf"), list), isinstance(node.get("oneOf"), list)
    if has_any and has_one:
        without_one = {key: value for key, value in node.items() if key != "oneOf"}
        if widen:
            return _branches(without_one, doc, widen=widen, seen=seen)
        return [{"allOf": [without_one, {"oneOf": node["oneOf"]}]}], False, None
    keyword = "anyOf" if has_any else "oneOf"
    rest = {key: value for key, value in node.items() if key not in (keyword, "discriminator")}
    branches: list[Schema] = []
    exclusive = keyword == "oneOf"
    discriminator = _dict(node.get("discriminator")).get("propertyName") if exclusive else None
    for branch in node[keyword]:
        if id(branch) in seen:
            continue  # anyOf: [A, ...] inside A adds nothing
        merged = _conjoin(rest, doc.normalize(branch, widen=widen), widen=widen)
        expanded, nested_exclusive, nested_discriminator = _branches(
            merged, doc, widen=widen, seen=seen | {id(branch)}
        )
        branches.extend(expanded)
        exclusive = exclusive or nested_exclusive
        discriminator = discriminator if isinstance(discriminator, str) else nested_discriminator
    return branches, exclusive, discriminator if isinstance(discriminator, str) else None


def _disjoint_values(first: list[Any] | None, second: list[Any] | None) -> bool:
    if first is None or second is None:
        return False
    return not any(_json_equal(a, b) for a in first for b in second)


def _is_union(schema: Schema) -> bool:
    return isinstance(schema, dict) and (
        isinstance(schema.get("anyOf"), list) or isinstance(schema.get("oneOf"), list)
    )


def _is_annotation(key: str) -> bool:
    return key in _ANNOTATIONS or key.startswith("x-")


def _constraints(schema: dict[str, Any]) -> list[str]:
    return [key for key in schema if not _is_annotation(key)]


# -- JSON value helpers ------------------------------------------------------------------


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "unknown"


def _json_equal(first: Any, second: Any) -> bool:
    if isinstance(first, bool) or isinstance(second, bool):
        return isinstance(first, bool) and isinstance(second, bool) and first == second
    if isinstance(first, int | float) and isinstance(second, int | float):
        return first == second
    if isinstance(first, dict) and isinstance(second, dict):
        return first.keys() == second.keys() and all(_json_equal(first[k], second[k]) for k in first)
    if isinstance(first, list) and isinstance(second, list):
        return len(first) == len(second) and all(
            _json_equal(a, b) for a, b in zip(first, second, strict=True)
        )
    return type(first) is type(second) and bool(first == second)


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _show(value: Any) -> str:
    text = json.dumps(value, default=str, sort_keys=True)
    return text if len(text) <= 80 else text[:77] + "..."


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _names(value: Any) -> set[str]:
    return {name for name in value if isinstance(name, str)} if isinstance(value, list) else set()


def _child(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _breaking(path: str, rule: str, detail: str) -> Breaking:
    return Breaking(f"{ROOT}{path}" if not path or path.startswith("[") else path, rule, detail)


# -- types -------------------------------------------------------------------------------


def _type_set(schema: dict[str, Any], *, widen: bool) -> frozenset[str] | None:
    """The JSON types a schema allows; None for any. A malformed ``type`` is read conservatively."""
    declared = schema.get("type")
    types: frozenset[str] | None
    if declared is None:
        types = None
    elif isinstance(declared, str):
        types = frozenset({declared})
    elif isinstance(declared, list) and all(isinstance(item, str) for item in declared):
        types = frozenset(declared)
    else:
        types = None if widen else frozenset()
    if types is not None and schema.get("nullable") is True:
        types |= {"null"}
    return types


def _type_accepted(kind: str, types: frozenset[str] | None) -> bool:
    return types is None or kind in types or (kind == "integer" and "number" in types)


def _show_types(types: frozenset[str] | None) -> str:
    return "any" if types is None else "|".join(sorted(types)) or "no type"


def _kinds(schema: Schema) -> frozenset[str] | None:
    if not isinstance(schema, dict):
        return None if schema else frozenset()
    values = _finite_values(schema)
    if values is not None:
        return frozenset(_json_type(value) for value in values)
    return _type_set(schema, widen=True)


def _overlap(old: Schema, new: Schema) -> bool:
    """Whether two branches share a JSON type (which makes the new one the old one's successor)."""
    old_kinds, new_kinds = _kinds(old), _kinds(new)
    if old_kinds is None or new_kinds is None:
        return True
    return any(a == b or {a, b} == _NUMERIC for a in old_kinds for b in new_kinds)


def _describe(schema: Schema) -> str:
    if schema is True:
        return "anything"
    if schema is False:
        return "nothing"
    if "const" in schema:
        return f"const {_show(schema['const'])}"
    if isinstance(schema.get("enum"), list):
        return f"enum {_show(schema['enum'])}"
    types = _type_set(schema, widen=True)
    text = _show_types(types)
    title = schema.get("title")
    if types == frozenset({"object"}) and isinstance(title, str):
        text = f"object {title}"
    if isinstance(schema.get("format"), str):
        text = f"{text} ({schema['format']})"
    return text


def _finite_values_of(schema: Schema) -> list[Any] | None:
    return _finite_values(schema) if isinstance(schema, dict) else None


def _finite_values(schema: dict[str, Any]) -> list[Any] | None:
    """The values a schema accepts when that set is finite (enum, const, boolean/null), else None."""
    values: list[Any]
    if "const" in schema:
        values = [schema["const"]]
    elif isinstance(schema.get("enum"), list):
        values = list(schema["enum"])
    else:
        types = _type_set(schema, widen=True)
        if not types or not types <= {"boolean", "null"}:
            return None
        values = ([True, False] if "boolean" in types else []) + ([None] if "null" in types else [])
    return [value for value in values if _reject(schema, value, schema) is None]


def _reject(new: dict[str, Any], value: Any, old: dict[str, Any]) -> tuple[str, str] | None:
    """Why `new` rejects a value `old` accepted (checking the scalar keywords only), or None."""
    old_is_finite = "const" in old or "enum" in old
    kind = _json_type(value)
    if not _type_accepted(kind, _type_set(new, widen=False)):
        return NARROWED_TYPE, f"{_show(value)} is not {_show_types(_type_set(new, widen=False))}"
    if "const" in new and not _json_equal(new["const"], value):
        if "const" in old:
            return CHANGED_CONST, f"const {_show(value)} -> {_show(new['const'])}"
        rule = REMOVED_ENUM_VALUE if old_is_finite else NARROWED_TYPE
        return rule, f"{_show(value)} no longer accepted (const {_show(new['const'])})"
    enum = new.get("enum")
    if isinstance(enum, list) and not any(_json_equal(value, allowed) for allowed in enum):
        rule = REMOVED_ENUM_VALUE if old_is_finite else NARROWED_TYPE
        return rule, f"{_show(value)} no longer accepted"
    if kind == "string":
        return _reject_string(new, value, old)
    if kind in _NUMERIC:
        return _reject_number(new, value)
    return None


def _reject_string(new: dict[str, Any], value: str, old: dict[str, Any]) -> tuple[str, str] | None:
    shortest, longest = _number(new.get("minLength")), _number(new.get("maxLength"))
    if shortest is not None and len(value) < shortest:
        return TIGHTENED_CONSTRAINT, f"{_show(value)} is shorter than minLength {shortest}"
    if longest is not None and len(value) > longest:
        return TIGHTENED_CONSTRAINT, f"{_show(value)} is longer than maxLength {longest}"
    pattern = new.get("pattern")
    if pattern is not None and not _json_equal(pattern, old.get("pattern")):
        try:
            matches = isinstance(pattern, str) and re.search(pattern, value) is not None
        except re.error:
            matches = False
        if not matches:
            return TIGHTENED_CONSTRAINT, f"{_show(value)} does not match pattern {_show(pattern)}"
    if "format" in new and not _json_equal(new["format"], old.get("format")):
        return TIGHTENED_CONSTRAINT, f"format {_show(new['format'])} added"
    return None


def _reject_number(new: dict[str, Any], value: float) -> tuple[str, str] | None:
    for key in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "multipleOf"):
        bound = _number(new.get(key))
        if bound is None:
            continue
        if key == "minimum":
            holds = value >= bound
        elif key == "exclusiveMinimum":
            holds = value > bound
        elif key == "maximum":
            holds = value <= bound
        elif key == "exclusiveMaximum":
            holds = value < bound
        else:
            holds = bound > 0 and _is_multiple(value, bound)
        if not holds:
            return TIGHTENED_CONSTRAINT, f"{_show(value)} violates {key} {_show(bound)}"
    return None


# -- bounds ------------------------------------------------------------------------------

_Bound: TypeAlias = tuple[float, bool, str]  # value, exclusive, text


def _bound(schema: dict[str, Any], *, lower: bool, integral: bool) -> _Bound | None:
    inclusive_key, exclusive_key = (
        ("minimum", "exclusiveMinimum") if lower else ("maximum", "exclusiveMaximum")
    )
    candidates: list[_Bound] = []
    for key, exclusive in ((inclusive_key, False), (exclusive_key, True)):
        value = _number(schema.get(key))
        if value is None:
            continue
        text = f"{key} {_show(value)}"
        if integral:  # on integers, x > 2.5 is x >= 3 and x > 2 is x >= 3
            if lower:
                candidates.append((math.floor(value) + 1 if exclusive else math.ceil(value), False, text))
            else:
                candidates.append((math.ceil(value) - 1 if exclusive else math.floor(value), False, text))
        else:
            candidates.append((value, exclusive, text))
    if not candidates:
        return None
    tightest = candidates[0]
    for candidate in candidates[1:]:
        if _tighter(candidate, tightest, lower=lower):
            tightest = candidate
    return tightest


def _tighter(first: _Bound, second: _Bound, *, lower: bool) -> bool:
    """Whether bound `first` excludes a value that `second` allows."""
    if first[0] != second[0]:
        return first[0] > second[0] if lower else first[0] < second[0]
    return first[1] and not second[1]


def _is_multiple(value: float, step: float) -> bool:
    try:
        return Decimal(str(value)) % Decimal(str(step)) == 0
    except (InvalidOperation, ArithmeticError):
        return False


def _check_count(
    old: dict[str, Any], new: dict[str, Any], key: str, *, lower: bool, path: str, found: list[Breaking]
) -> None:
    """Compare a count bound (minLength, maxItems, ...): a higher minimum or lower maximum breaks."""
    if key not in new:
        return
    new_value = _number(new[key])
    if new_value is None:
        if not _json_equal(new[key], old.get(key)):
            found.append(_breaking(path, UNSUPPORTED_KEYWORD, f"{key}: {_show(new[key])} is not a number"))
        return
    old_value = _number(old.get(key))
    if lower:
        tightened = new_value > (old_value if old_value is not None else 0)
    else:
        tightened = old_value is None or new_value < old_value
    if tightened:
        if old_value is None:
            detail = f"{key} {_show(new_value)} added"
        else:
            detail = f"{key} {_show(old_value)} -> {_show(new_value)}"
        found.append(_breaking(path, TIGHTENED_CONSTRAINT, detail))


# -- arrays and objects ------------------------------------------------------------------


def _tuple_items(schema: dict[str, Any]) -> tuple[list[Any], Any]:
    """Positional item schemas and the schema of every further item."""
    items = schema.get("items", True)
    if isinstance(items, list):  # draft 7 tuple form
        return items, schema.get("additionalItems", True)
    prefix = schema.get("prefixItems")
    return (prefix if isinstance(prefix, list) else []), items


def _schemas_for_name(schema: dict[str, Any], name: str) -> list[Any]:
    """The subschemas that a property called `name` must satisfy (all of them)."""
    parts: list[Any] = []
    properties = _dict(schema.get("properties"))
    if name in properties:
        parts.append(properties[name])
    for pattern, subschema in _dict(schema.get("patternProperties")).items():
        try:
            if re.search(pattern, name):
                parts.append(subschema)
        except re.error:
            continue
    if not parts:
        parts.append(schema.get("additionalProperties", True))
    return parts
