"""What referrals asks of the apps above it: "My support" shows each request's whole journey, which the
progress app builds from every stage; whether the employer may be told is the sharing agreement's to say. Each
app plugs in its answer in its ready() (``supportpath.core.seams``; docs/adr/0004-layers.md)."""

from supportpath.core.seams import Seam

journeys_for = Seam("journeys_for", "every request's journey, in a fixed number of queries: (requests) -> [Journey]")
employer_may_be_told = Seam(
    "employer_may_be_told", "whether the request's sharing agreement lets the employer know: (request) -> bool"
)
