"""What referrals asks of the apps above it: "My support" shows each request's whole journey, which the
progress app builds from every stage; whether the employer may be told is the sharing agreement's to say. Each
app plugs in its answer in its ready() (``supportpath.core.seams``; docs/adr/0004-layers.md)."""

from supportpath.core.seams import Seam

journeys_for = Seam("journeys_for", "every request's journey, in a fixed number of queries: (requests) -> [Journey]")
employer_may_be_told = Seam(
    "employer_may_be_told", "whether the request's sharing agreement lets the employer know: (request) -> bool"
)
start_agreement = Seam("start_agreement", "a new request's sharing agreement, from its route: (request) -> None")
record_self_referral_answer = Seam(
    "record_self_referral_answer",
    "the self-referring doctor's answer about their employer: (request, *, employer_may_be_told) -> None",
)
referrer_status = Seam("referrer_status", "the status the referrer may see, through the wall: (referral) -> str")
referrer_sees_stage = Seam("referrer_sees_stage", "whether the referrer may see the stage: (referral) -> bool")
shared_with_referrer = Seam("shared_with_referrer", "what the wall gives the referrer: (referral) -> rows")
referrer_card = Seam("referrer_card", "the doctor's card of what the referrer sees: (referral) -> card or None")
