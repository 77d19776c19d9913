"""Where each number of :class:`~handoff_cli.simulation.model.Parameters` comes from."""

from __future__ import annotations

SOURCES: dict[str, str] = {
    "applications_per_year": "seed 002: 54,000 asylum seekers in Sweden in 2013 (52,000-67,000 "
    "forecast for 2014)",
    "run_in_days": "assumption: applications lodged this long before the year are already in the pipeline, "
    "so the year sees decisions, returns and removals at a steady rate",
    "dublin_share": "assumption (no figure in the seeds): a quarter of applications have a Eurodac hit; "
    "seeds 000 and 002 say Dublin cases are prioritised and housed near a place of departure",
    "documented_share": "assumption: about a third hand in a passport; seed 002 puts the burden of "
    "establishing identity on the applicant",
    "grant_share_by_nationality": "seeds 001 and 002: 35,000 grants forecast for 2014 against 52,000-67,000 "
    "applications (~0.58); the shares per nationality are assumptions whose weighted mean is 0.60",
    "needs_municipal_place_share": "seed 001: 14,000 assignable places needed of 55,000 municipal places "
    "(less the 1,900 quota places: ~0.35 of permit holders are assigned one)",
    "decision_days": "seeds 000 and 004: decided within 6 months; triangular (min, mode, max) days, "
    "some late",
    "dublin_decision_days": "seeds 000 and 002: Dublin cases prioritised",
    "appeal_waived_share": "assumption: most refused applicants appeal",
    "appeal_days": "intake's 21-day appeal period, then the court's time (assumption)",
    "inhibition_share": "assumption: a court stays a few enforcements (seed 000: only an inhibition "
    "stops return work)",
    "first_counselling_days": "seed 000: first counselling within 2 weeks of enforceability; some late",
    "second_meeting_share": "assumption",
    "handover_share": "seed 002: of 11,000 people with final refusals in reception, 7,000 were the Police's "
    "and 4,000 the Agency's (seed 004: Finland removes ~2,500 a year against 319 voluntary returns in 2019)",
    "absconded_share_of_handovers": "assumption: seed 002 names absconding and expected coercion as "
    "the grounds",
    "outcome_days": "seed 000: return cases closed within 2 months; triangular days to departure or "
    "absconding",
    "travel_document_requested_share": "assumption: the rest are handed over incomplete and sent "
    "back (seed 002)",
    "support_application_share": "assumption: re-establishment support applied for by most who "
    "leave voluntarily",
    "transport_mix": "assumption: scheduled flights, charters, land and sea (seeds 003, 004 name "
    "the transports)",
    "late_notice_share": "assumption: seed 004 (the Schengen evaluation) asks for notice "
    "'systematically and in "
    "good time', so some come late",
    "changed_plan_share": "assumption: some plans are changed after the notice",
    "executed_share": "assumption: most plans are carried out",
    "aborted_share": "assumption: some removals are aborted (medical, resistance, carrier)",
    "detention_share": "seed 004: 109 detention places in two units (76 % and 48 % used in 2019); detention "
    "is the last resort, lighter measures otherwise",
    "monitored_share_vulnerable": "seed 003: the monitor focuses on vulnerable returnees "
    "(assumption for the share)",
    "monitored_share_other": "assumption: a sample of the others",
    "quota_persons_per_year": "seed 001: Sweden's quota of 1,900 people (Finland 750-1,050, seed 004)",
    "emergency_share": "seed 004: at least 10 % of the quota reserved for emergency cases",
    "urgent_share": "assumption",
    "household_sizes": "assumption; households of 6 or more are hard to place (seed 001)",
    "hard_to_place_need_share": "seed 001: 233 of the 582 people waiting on 1 Jan 2014 were hard to place",
    "assignable_places_per_year": "seed 001: 14,000 assignable places needed in 2014",
    "place_shortfall": "seed 001: up to 3,500 assignable places missing",
    "municipalities_per_year": "Sweden's 290 municipalities (seed 001: agreements per municipality)",
    "decline_share": "assumption: municipalities decline some offers, on practical grounds only (seed 001)",
    "male_share": "seed 004: 71 % of asylum seekers in reception were men",
    "vulnerabilities": "seed 004 lists the categories; the shares are assumptions",
}
