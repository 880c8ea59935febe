"""What plans asks of the sharing agreement, which sits above it: a plan proposes sharing, and agreeing it adds
the proposal to the agreement; the plan's pages show what is shared now. ``sharing`` plugs in the answers in its
ready() (``supportpath.core.seams``; docs/adr/0004-layers.md)."""

from supportpath.core.seams import Seam

sharing_audiences = Seam(
    "sharing_audiences", "the audiences the request's sharing agreement has: (request) -> [audience code]"
)
shared_grants = Seam("shared_grants", "what the doctor shares now: (request) -> frozenset[(audience, item)]")
shared_now_rows = Seam("shared_now_rows", "for staff, what is shared now: (request) -> [(audience, items)]")
sharing_allows = Seam(
    "sharing_allows", "whether the agreement lets an audience see an item: (request, audience, item) -> bool"
)
add_plan_grants = Seam(
    "add_plan_grants",
    "the doctor agreed a plan: add what it proposed: (request, grants, *, plan_version, by, at) -> None",
)
