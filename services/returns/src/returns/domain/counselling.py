"""Return counselling on a case: numbered meetings, the last one with the dignified-return evaluation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from handoff_plumbing.errors import Conflict, InvalidInput, NotFound
from handoff_schemas.events.common import LANGUAGE_CODE
from handoff_schemas.events.returns import CounsellingHeldV1, DignifiedReturnEvaluation, ReturnStance
from returns.domain.case_state import CaseBase, not_before, not_in_the_future


@dataclass(frozen=True)
class CounsellingMeeting:
    meeting_number: int
    held_on: date
    language: str
    interpreter_used: bool
    stance: ReturnStance
    is_last_meeting: bool = False
    evaluation: DignifiedReturnEvaluation | None = None
    notes: str | None = None  # the counsellor's summary: personal data, for the Police's package only


class Counselling(CaseBase):
    """The counselling part of a return case."""

    def record_counselling(self, meeting: CounsellingMeeting, *, today: date) -> CounsellingHeldV1:
        self._require_active("counselling")
        if self.meetings and self.meetings[-1].is_last_meeting:
            last = self.meetings[-1]
            raise Conflict(
                reason="last_meeting_held",
                message=f"meeting {last.meeting_number} on {last.held_on.isoformat()} was recorded as "
                "the last one",
            )
        expected = len(self.meetings) + 1
        if meeting.meeting_number < expected:
            raise Conflict(
                reason="meeting_already_recorded",
                message=f"counselling meeting {meeting.meeting_number} is already recorded on "
                f"{self.return_case_id}",
            )
        if meeting.meeting_number > expected:
            raise InvalidInput("meeting_number", f"the next meeting of this case is number {expected}")
        not_in_the_future("held_on", meeting.held_on, today)
        if self.meetings:
            not_before("held_on", meeting.held_on, self.meetings[-1].held_on, f"meeting {expected - 1}")
        if not re.fullmatch(LANGUAGE_CODE, meeting.language):
            raise InvalidInput("language", "an ISO 639-1 or 639-3 code in lower case, e.g. 'ar' or 'prs'")
        if meeting.evaluation is not None and not meeting.is_last_meeting:
            raise InvalidInput(
                "evaluation", "the dignified-return evaluation is asked at the last meeting only"
            )
        self.meetings.append(meeting)
        return CounsellingHeldV1(
            return_case_id=self.return_case_id,
            meeting_number=meeting.meeting_number,
            held_on=meeting.held_on,
            language=meeting.language,
            interpreter_used=meeting.interpreter_used,
            stance=meeting.stance,
            is_last_meeting=meeting.is_last_meeting,
            evaluation=meeting.evaluation,
        )

    def meeting(self, meeting_number: int) -> CounsellingMeeting:
        for meeting in self.meetings:
            if meeting.meeting_number == meeting_number:
                return meeting
        raise NotFound("counselling meeting", str(meeting_number))
