"""How a Dublin transfer ends (topic handoff.intake.application.v1): carried out, or its time limit
passed. Either way the responsibility for the person moves: to the receiving Member State when the
transfer is carried out, to the transferring state (here) when the deadline passes (Dublin III
art. 29). No personal data: the person is the pseudonymous ``person_ref``.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Self

from pydantic import Field, model_validator

from handoff_schemas.base import Event
from handoff_schemas.events.common import COUNTRY_CODE
from handoff_schemas.topics import INTAKE_APPLICATION_V1, Topic

__all__ = ["DublinTransferCarriedOutV1", "DublinTransferDeadlinePassedV1"]


class DublinTransferCarriedOutV1(Event):
    """The person was transferred to the Member State that accepted responsibility under the Dublin
    Regulation: the responsibility for the person now lies with the receiving state. Returns closes
    the application's return case (or opens none) and the Police close their enforcement case:
    a Dublin transfer is not a return and is not counted as one."""

    event_type: ClassVar[str] = "handoff.intake.dublin-transfer-carried-out.v1"
    topic: ClassVar[Topic] = INTAKE_APPLICATION_V1
    key_field: ClassVar[str] = "application_id"

    application_id: str = Field(
        description="The application of the person transferred; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["APP-7f3c2a"],
    )
    person_ref: str = Field(
        description="Pseudonymous reference to the person transferred.",
        min_length=1,
        max_length=64,
        examples=["P-5b1e9d0c"],
    )
    receiving_state: str = Field(
        description="ISO 3166-1 alpha-3 code of the Member State that accepted responsibility and took "
        "the person over.",
        pattern=COUNTRY_CODE,
        examples=["DEU"],
    )
    accepted_on: date = Field(description="The date the receiving state accepted responsibility.")
    transfer_deadline: date = Field(description="The last day the transfer could be carried out.")
    transferred_on: date = Field(description="The date the person was handed over to the receiving state.")

    @model_validator(mode="after")
    def _transferred_within_the_time_limit(self) -> Self:
        if not self.accepted_on <= self.transferred_on <= self.transfer_deadline:
            raise ValueError("transferred_on lies between accepted_on and transfer_deadline")
        return self


class DublinTransferDeadlinePassedV1(Event):
    """The time limit of a Dublin transfer passed without the transfer being carried out: the
    receiving state is relieved of its obligation and the responsibility for examining the
    application moves to this state (Dublin III art. 29(2)). The transfer decision can no longer be
    enforced: returns closes the return case, the Police close their enforcement case and cancel
    any removal plan."""

    event_type: ClassVar[str] = "handoff.intake.dublin-transfer-deadline-passed.v1"
    topic: ClassVar[Topic] = INTAKE_APPLICATION_V1
    key_field: ClassVar[str] = "application_id"

    application_id: str = Field(
        description="The application whose transfer lapsed; the Kafka key of its stream.",
        min_length=1,
        max_length=64,
        examples=["APP-7f3c2a"],
    )
    person_ref: str = Field(
        description="Pseudonymous reference to the person.",
        min_length=1,
        max_length=64,
        examples=["P-5b1e9d0c"],
    )
    receiving_state: str | None = Field(
        default=None,
        description="ISO 3166-1 alpha-3 code of the Member State that had accepted responsibility; null "
        "if the Agency did not record it.",
        pattern=COUNTRY_CODE,
        examples=["DEU"],
    )
    accepted_on: date = Field(description="The date the receiving state had accepted responsibility.")
    transfer_deadline: date = Field(description="The last day the transfer could have been carried out.")
    responsible_from: date = Field(
        description="The first day this state is responsible for the application (the day after the "
        "deadline)."
    )

    @model_validator(mode="after")
    def _responsible_after_the_deadline(self) -> Self:
        if self.responsible_from <= self.transfer_deadline or self.transfer_deadline < self.accepted_on:
            raise ValueError("accepted_on <= transfer_deadline < responsible_from")
        return self
