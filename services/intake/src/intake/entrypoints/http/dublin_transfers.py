"""Dublin transfers across applications: the daily record of the time limits that passed."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from handoff_plumbing.http.commands import Command
from handoff_plumbing.uow import UnitOfWork
from intake import commands
from intake.entrypoints.http.dependencies import Agency, Rules

router = APIRouter(prefix="/dublin-transfers", tags=["applications"])


class LapsedTransfersOut(BaseModel):
    application_ids: list[str] = Field(
        description="The applications whose transfer time limit passed and was recorded now."
    )


@router.post(
    "/lapsed",
    summary="Record every transfer whose time limit passed: this state becomes responsible for it",
)
async def record_lapsed(command: Command, rules: Rules, _caller: Agency) -> LapsedTransfersOut:
    """For the Agency's scheduler, once a day (or by hand): each transfer neither carried out nor
    recorded lapsed whose deadline was before today is recorded now, with its event; a second run on
    the same day finds nothing."""

    async def step(uow: UnitOfWork) -> LapsedTransfersOut:
        lapsed = await commands.record_lapsed_transfers(uow, rules)
        return LapsedTransfersOut(application_ids=[a.application_id for a in lapsed])

    return await command.run(step)
