"""The types every service's HTTP edge takes, checked once here: text, names, codes, dates.

Each one refuses with a 422 naming the field (never a 500, whatever the input) and says in
the OpenAPI document what it takes:

* ``Annotated[str, Text(n)]``: 1..n characters, not blank; no control character (tab and
  line breaks only with ``multiline=True``), no lone surrogate, private-use or unassigned
  code point;
* :data:`PersonName`: letters of any script, combining marks, spaces and the apostrophes,
  hyphen, full stop and comma; at most 200 characters;
* :data:`Identifier`: an id or reference, 1..64 of ``A-Z a-z 0-9 . _ : -``;
* :data:`CountryCode`: an ISO 3166-1 alpha-3 code (``pycountry``'s list) or XKX (Kosovo,
  as the EU and ICAO use it); :data:`Nationality` also takes ICAO Doc 9303's codes for no
  nationality (XXA stateless, XXB and XXC refugees, XXX unspecified);
* :data:`Day`: a date from 1900-01-01 to 2100-12-31; :data:`BirthDate` is one, and that it
  is not in the future is checked against the service's clock with :func:`not_after`;
* :data:`Moment`: a date and time with its offset, in the same years;
* :data:`Month`: ``YYYY-MM`` from 1900-01 to 2100-12, read as the first day of that month.

The bounds keep every date inside what the calendar and the databases compute with (adding
working days or months to 9999-12-31 overflows), and far enough out for any case.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

import pycountry
from pydantic import AfterValidator, AwareDatetime, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from handoff_plumbing.errors import InvalidInput

EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2100, 12, 31)
EARLIEST_MOMENT = datetime(1900, 1, 1, tzinfo=UTC)
END_OF_MOMENTS = datetime(2101, 1, 1, tzinfo=UTC)

# Refused in any text: C0/C1 controls (Cc), lone surrogates (Cs), private use (Co), unassigned (Cn),
# and the line and paragraph separators (Zl, Zp) outside multi-line text.
_REFUSED = frozenset({"Cc", "Cs", "Co", "Cn"})
_LINE_BREAKS = frozenset({"Zl", "Zp"})
_MULTILINE_CONTROLS = frozenset("\t\n\r")
_SINGLE_LINE_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f]*\S[^\u0000-\u001f\u007f-\u009f]*$"
_MULTILINE_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*\S[\s\S]*$"


def _refused_character(value: str, *, multiline: bool) -> str | None:
    for character in value:
        category = unicodedata.category(character)
        if multiline and character in _MULTILINE_CONTROLS:
            continue
        if category in _REFUSED or (not multiline and category in _LINE_BREAKS):
            return f"U+{ord(character):04X}"
    return None


@dataclass(frozen=True)
class Text:
    """Free text of ``min_length``..``max_length`` characters that any system can store and show."""

    max_length: int
    min_length: int = 1
    multiline: bool = False

    def check(self, value: str) -> str:
        refused = _refused_character(value, multiline=self.multiline)
        if refused is not None:
            raise PydanticCustomError(
                "text_character",
                "contains a character that text may not hold ({character}): a control character, "
                "a lone surrogate, or a private-use or unassigned code point",
                {"character": refused},
            )
        if self.min_length and not value.strip():
            raise PydanticCustomError("text_blank", "must not be blank")
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        text = core_schema.str_schema(min_length=self.min_length, max_length=self.max_length)
        return core_schema.no_info_after_validator_function(self.check, text)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = _MULTILINE_PATTERN if self.multiline else _SINGLE_LINE_PATTERN
        return json_schema


APOSTROPHE = "\u2019"
_NAME_PUNCTUATION = frozenset("'-.," + APOSTROPHE)


def _check_name(value: str) -> str:
    for character in value:
        category = unicodedata.category(character)
        if category[0] in "LM" or category in ("Zs", "Cf") or character in _NAME_PUNCTUATION:
            continue
        raise PydanticCustomError(
            "name_character",
            "a name holds letters, combining marks, spaces and ' \u2019 - . , only (found U+{code})",
            {"code": f"{ord(character):04X}"},
        )
    if not any(unicodedata.category(character)[0] == "L" for character in value):
        raise PydanticCustomError("name_letters", "a name has at least one letter")
    return value


_NAME_PATTERN = r"^[^\u0000-\u001f\u0021-\u0026\u0028-\u002b\u002f-\u0040\u005b-\u0060\u007b-\u009f]+$"
PersonName = Annotated[
    str,
    Text(max_length=200),
    AfterValidator(_check_name),
    Field(
        description="A person's name: letters of any script, combining marks, spaces and "
        "' \u2019 - . , only.",
        json_schema_extra={"pattern": _NAME_PATTERN},
    ),
]

IDENTIFIER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
Identifier = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=IDENTIFIER_PATTERN,
        description="An id or reference: letters, digits and . _ : - (64 at most).",
    ),
]


@dataclass(frozen=True)
class _CodeList:
    """A string from a closed list of codes, documented as a named schema listing them."""

    name: str
    codes: tuple[str, ...]
    description: str

    def check(self, value: str) -> str:
        if value not in self._known:
            raise PydanticCustomError("code_unknown", "not " + self.description)
        return value

    @property
    def _known(self) -> frozenset[str]:
        return frozenset(self.codes)

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            self.check, core_schema.str_schema(max_length=3), ref=self.name
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        reference = handler(schema)
        handler.resolve_ref_schema(reference).update(
            {"type": "string", "enum": list(self.codes), "description": self.description}
        )
        return reference


ISO_COUNTRIES = tuple(sorted({country.alpha_3 for country in pycountry.countries} | {"XKX"}))
NO_NATIONALITY = ("XXA", "XXB", "XXC", "XXX")

CountryCode = Annotated[
    str,
    _CodeList(
        "CountryCode",
        ISO_COUNTRIES,
        "an ISO 3166-1 alpha-3 country code (or XKX, Kosovo)",
    ),
]
Nationality = Annotated[
    str,
    _CodeList(
        "Nationality",
        tuple(sorted(ISO_COUNTRIES + NO_NATIONALITY)),
        "an ISO 3166-1 alpha-3 country code (or XKX, Kosovo), or an ICAO code for no nationality: "
        "XXA stateless, XXB or XXC refugee, XXX unspecified",
    ),
]

Day = Annotated[date, Field(ge=EARLIEST_DAY, le=LATEST_DAY)]
BirthDate = Day
Moment = Annotated[AwareDatetime, Field(ge=EARLIEST_MOMENT, lt=END_OF_MOMENTS)]

MONTH_PATTERN = r"^(19[0-9]{2}|20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"
_MONTH = re.compile(MONTH_PATTERN)


def _month(value: Any) -> Any:
    if isinstance(value, date):
        return value.replace(day=1)
    if not isinstance(value, str) or not _MONTH.match(value):
        raise PydanticCustomError("month", "a month YYYY-MM from 1900-01 to 2100-12")
    year, month = value.split("-")
    return date(int(year), int(month), 1)


@dataclass(frozen=True)
class _MonthSchema:
    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            _month, serialization=core_schema.plain_serializer_function_ser_schema(lambda d: f"{d:%Y-%m}")
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "pattern": MONTH_PATTERN, "examples": ["2026-11"]}


Month = Annotated[date, _MonthSchema()]


def not_after(field: str, value: date | None, latest: date, *, location: str = "body") -> None:
    """Refuse ``value`` after ``latest`` (a birth date in the future of the service's clock)."""
    if value is not None and value > latest:
        raise InvalidInput(field, f"must not be after {latest.isoformat()} (today)", location=location)
