"""Event handlers: what the Police's streams do to the monitor's notices.

Each handler runs inside the consumer's unit of work together with the inbox record, so
the notice, the events for the Police (outbox) and the webhook deliveries commit together
or not at all; a redelivered event is absorbed by the inbox, a repeated or stale plan
revision by the notice's own state guard.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import structlog

from handoff_plumbing.consumer import EventContext, Handler, Subscription
from handoff_plumbing.uow import UnitOfWork
from handoff_schemas import Event
from handoff_schemas.events.monitoring import NoticeRevisionMissingV1
from handoff_schemas.events.police import (
    DetentionEndedV1,
    DetentionOrderedV1,
    HandoverAcceptedV1,
    RemovalAbortedV1,
    RemovalExecutedV1,
    RemovalPlanCancelledV1,
    RemovalPlanCreatedV1,
    RemovalPlanState,
    RemovalPlanUpdatedV1,
)
from handoff_schemas.events.police_measures import (
    DetentionReviewedV1,
    LighterMeasureEndedV1,
    LighterMeasureOrderedV1,
)
from handoff_schemas.topics import POLICE_ENFORCEMENT_CASE_V1, POLICE_REMOVAL_PLAN_V1
from monitoring import queries
from monitoring.adapters.enforcement_cases import EnforcementRepository
from monitoring.adapters.lighter_measures import LighterMeasureRepository
from monitoring.adapters.notice_document import NoticeOut
from monitoring.adapters.notices import NoticeRepository
from monitoring.adapters.webhooks import DeliveryQueue, SubscriptionRepository
from monitoring.domain.detention import Detention
from monitoring.domain.lighter_measure import LighterMeasure
from monitoring.domain.notice import Changes, Notice
from monitoring.domain.rules import MonitoringRules
from monitoring.domain.webhook import WebhookSubscription

log = structlog.get_logger("monitoring.event_handlers")


def subscriptions(rules: MonitoringRules) -> list[Subscription]:
    """What the monitor consumes: the Police's removal plans and enforcement cases."""
    police = PoliceEvents(rules)
    return [
        Subscription(
            name="removal-plans",
            topics=[POLICE_REMOVAL_PLAN_V1.name],
            handlers=police.removal_plan_handlers(),
            batch_handlers={
                RemovalPlanCreatedV1: police.plans_stated,
                RemovalPlanUpdatedV1: police.plans_stated,
            },
        ),
        Subscription(
            name="enforcement-cases",
            topics=[POLICE_ENFORCEMENT_CASE_V1.name],
            handlers=police.enforcement_case_handlers(),
        ),
    ]


class PoliceEvents:
    """The handlers of the two Police streams, bound to the monitor's rules."""

    def __init__(self, rules: MonitoringRules) -> None:
        self.rules = rules

    def removal_plan_handlers(self) -> Mapping[type[Event], Handler]:
        return {
            RemovalPlanCreatedV1: self.plan_stated,
            RemovalPlanUpdatedV1: self.plan_stated,
            RemovalPlanCancelledV1: self.plan_cancelled,
            RemovalExecutedV1: self.removal_carried_out,
            RemovalAbortedV1: self.removal_carried_out,
        }

    def enforcement_case_handlers(self) -> Mapping[type[Event], Handler]:
        return {
            HandoverAcceptedV1: self.handover_accepted,
            DetentionOrderedV1: self.detention_ordered,
            DetentionEndedV1: self.detention_ended,
            DetentionReviewedV1: self.detention_reviewed,
            LighterMeasureOrderedV1: self.lighter_measure,
            LighterMeasureEndedV1: self.lighter_measure,
        }

    # ------------------------------------------------------------------ removal-plan stream

    async def plan_stated(self, event: RemovalPlanState, context: EventContext, uow: UnitOfWork) -> None:
        """A plan was created or revised: it becomes the notice, or changes it."""
        now = uow.clock.now()
        notices = NoticeRepository(uow.session)
        notice = await notices.by_plan(event.plan_id)
        if notice is None:
            notice, changes = Notice.receive(
                event, event_type=context.attributes.type, now=now, rules=self.rules.lead_time
            )
            await notices.add(notice)
        else:
            changes = notice.revise(event, now=now, rules=self.rules.lead_time)
            if changes.empty:
                log.info("plan event changes nothing", plan_id=event.plan_id, notice_id=notice.notice_id)
                return
            await notices.save(notice)
        await self._announce(notice, changes, uow)

    async def plans_stated(
        self, events: Sequence[tuple[RemovalPlanState, EventContext]], uow: UnitOfWork
    ) -> None:
        """A run of plans created or revised, as :meth:`plan_stated` takes them one by one:
        the run's notices are loaded with one query and written with one statement each for
        the new and the changed ones (the Police's backlog after an outage is such a run)."""
        now = uow.clock.now()
        notices = NoticeRepository(uow.session)
        known = await notices.by_plans({event.plan_id for event, _ in events})
        new: dict[str, Notice] = {}
        changed: dict[str, Notice] = {}
        subscriptions = Subscribers(uow)
        for event, context in events:
            with context.traced():
                notice = known.get(event.plan_id)
                if notice is None:
                    notice, changes = Notice.receive(
                        event, event_type=context.attributes.type, now=now, rules=self.rules.lead_time
                    )
                    known[event.plan_id] = new[notice.notice_id] = notice
                else:
                    changes = notice.revise(event, now=now, rules=self.rules.lead_time)
                    if changes.empty:
                        log.info(
                            "plan event changes nothing", plan_id=event.plan_id, notice_id=notice.notice_id
                        )
                        continue
                    if notice.notice_id not in new:
                        changed[notice.notice_id] = notice
                await self._announce(notice, changes, uow, subscriptions)
        await notices.add_many(new.values())
        await notices.save_many(changed.values())

    async def plan_cancelled(
        self, event: RemovalPlanCancelledV1, _context: EventContext, uow: UnitOfWork
    ) -> None:
        notices = NoticeRepository(uow.session)
        notice = await notices.by_plan(event.plan_id)
        if notice is None:
            # Nothing was removed, so there is nothing to monitor; but the plan never reached
            # the monitor, and that is worth a warning in the logs.
            log.warning("cancellation of a plan the monitor never received", plan_id=event.plan_id)
            return
        changes = notice.cancel(event, now=uow.clock.now())
        if not changes.empty:
            await notices.save(notice)
            await self._announce(notice, changes, uow)

    async def removal_carried_out(
        self, event: RemovalExecutedV1 | RemovalAbortedV1, context: EventContext, uow: UnitOfWork
    ) -> None:
        """Executed or aborted: closes the notice, or reveals a removal that was never announced."""
        now = uow.clock.now()
        notices = NoticeRepository(uow.session)
        notice = await notices.by_plan(event.plan_id)
        if notice is None:
            department = event.responsible_department or await EnforcementRepository(
                uow.session
            ).department_of(event.return_case_id)
            notice, changes = Notice.missing(
                event, event_type=context.attributes.type, department=department, now=now
            )
            await notices.add(notice)
            log.warning(
                "removal without any notice",
                plan_id=event.plan_id,
                notice_id=notice.notice_id,
                department=notice.responsible_department,
            )
        else:
            if isinstance(event, RemovalExecutedV1):
                changes = notice.execute(event, now=now, rules=self.rules.lead_time)
            else:
                changes = notice.abort(event, now=now, rules=self.rules.lead_time)
            if notice.deviation is not None and any(
                isinstance(e, NoticeRevisionMissingV1) for e in changes.events
            ):
                log.warning(
                    "removal departed from its notice",
                    plan_id=event.plan_id,
                    notice_id=notice.notice_id,
                    department=notice.responsible_department,
                    missing_revision=notice.deviation.missing_revision,
                )
            if changes.empty:
                return
            await notices.save(notice)
        await self._announce(notice, changes, uow)

    # ------------------------------------------------------------------ enforcement-case stream

    async def handover_accepted(
        self, event: HandoverAcceptedV1, _context: EventContext, uow: UnitOfWork
    ) -> None:
        """Remember the case's department; a missing notice without one learns it now."""
        await EnforcementRepository(uow.session).accepted(
            return_case_id=event.return_case_id,
            enforcement_case_id=event.enforcement_case_id,
            department=event.responsible_department,
            accepted_at=event.accepted_at,
        )
        notices = NoticeRepository(uow.session)
        for notice in await notices.by_return_case(event.return_case_id):
            if notice.learn_department(event.responsible_department, now=uow.clock.now()):
                await notices.save(notice)

    async def detention_ordered(
        self, event: DetentionOrderedV1, _context: EventContext, uow: UnitOfWork
    ) -> None:
        await EnforcementRepository(uow.session).detention_ordered(
            Detention(
                detention_id=event.detention_id,
                return_case_id=event.return_case_id,
                ground=event.ground,
                facility=event.facility,
                minor=event.minor,
                ordered_at=event.ordered_at,
                review_due_on=event.review_due_on,
            )
        )
        await self._detention_changed(event.return_case_id, uow)

    async def detention_ended(self, event: DetentionEndedV1, _context: EventContext, uow: UnitOfWork) -> None:
        await EnforcementRepository(uow.session).detention_ended(
            detention_id=event.detention_id,
            return_case_id=event.return_case_id,
            ended_at=event.ended_at,
            reason=event.reason,
        )
        await self._detention_changed(event.return_case_id, uow)

    async def detention_reviewed(
        self, event: DetentionReviewedV1, _context: EventContext, uow: UnitOfWork
    ) -> None:
        """The detention goes on: the notice shows when it must next be reviewed."""
        await EnforcementRepository(uow.session).detention_reviewed(
            detention_id=event.detention_id,
            return_case_id=event.return_case_id,
            next_review_due_on=event.next_review_due_on,
        )
        await self._detention_changed(event.return_case_id, uow)

    async def lighter_measure(
        self, event: LighterMeasureOrderedV1 | LighterMeasureEndedV1, _context: EventContext, uow: UnitOfWork
    ) -> None:
        """A lighter measure ordered or ended: counted and shown beside detention."""
        if isinstance(event, LighterMeasureOrderedV1):
            measure = LighterMeasure(
                event.measure_id, event.return_case_id, event.kind, ordered_at=event.ordered_at
            )
        else:
            measure = LighterMeasure(
                event.measure_id,
                event.return_case_id,
                event.kind,
                ended_at=event.ended_at,
                end_reason=event.reason,
            )
        await LighterMeasureRepository(uow.session).put(measure)
        await self._detention_changed(event.return_case_id, uow)

    async def _detention_changed(self, return_case_id: str, uow: UnitOfWork) -> None:
        notices = NoticeRepository(uow.session)
        for notice in await notices.by_return_case(return_case_id):
            changes = notice.detention_changed(now=uow.clock.now())
            if not changes.empty:
                await notices.save(notice)
                await self._announce(notice, changes, uow)

    # ------------------------------------------------------------------ telling the Police and the webhooks

    async def _announce(
        self, notice: Notice, changes: Changes, uow: UnitOfWork, subscribers: Subscribers | None = None
    ) -> None:
        for event in changes.events:
            await uow.publish(event)
        if not changes.happenings:
            return
        subscriptions = await (subscribers or Subscribers(uow)).active()
        if not subscriptions:
            return
        payload = await self._payload(notice, uow)
        queue = DeliveryQueue(uow.session)
        for happening in changes.happenings:
            await queue.enqueue(
                subscriptions=subscriptions,
                plan_id=notice.plan_id,
                happening=happening,
                payload=payload,
                now=uow.clock.now(),
            )

    async def _payload(self, notice: Notice, uow: UnitOfWork) -> dict[str, Any]:
        [file] = await queries.notice_files(uow, [notice], self.rules)
        view = NoticeOut.of(file)
        return {
            "occurred_at": uow.clock.now().isoformat(),
            "plan_id": notice.plan_id,
            "notice_id": notice.notice_id,
            "notice_version": notice.version,
            "notice": view.model_dump(mode="json"),
        }


class Subscribers:
    """The active webhook subscriptions, read once for a run of events (and only if needed)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._active: list[WebhookSubscription] | None = None

    async def active(self) -> list[WebhookSubscription]:
        if self._active is None:
            self._active = await SubscriptionRepository(self._uow.session).listed(include_deleted=False)
        return self._active
