"""What referrals' pages ask of the apps above them: "My support" shows each request's whole journey, which
the progress app builds from every stage. Progress plugs in the answer in its ready()
(``supportpath.core.seams``; docs/adr/0004-layers.md)."""

from supportpath.core.seams import Seam

journeys_for = Seam("journeys_for", "every request's journey, in a fixed number of queries: (requests) -> [Journey]")
