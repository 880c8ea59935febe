"""What casework's pages (and the pages of the apps above casework but below progress) ask of the progress app,
which works out every target's date in force. Progress plugs in the answers in its ready()
(``supportpath.core.seams``; docs/adr/0004-layers.md)."""

from supportpath.core.seams import Seam

filter_work_list = Seam(
    "filter_work_list",
    "the accepted cases list filtered and ordered: (cases, filters, *, user, today) -> cases",
)
work_list_rows = Seam(
    "work_list_rows",
    "each case of a page with its next target and whether it is paused: (cases, today) -> [(case, next, paused)]",
)
supported_rows = Seam(
    "supported_rows",
    "a facilitator's accepted allocations with each case's next target: (allocations, today) -> [row]",
)
plan_dates_in_force = Seam(
    "plan_dates_in_force",
    "the new dates staff set on the agreed plan in force: (case, version) -> {(kind, key): date}",
)
case_progress = Seam("case_progress", "the case page's reviews, targets, pauses and closure: (case) -> context")
review_corrections = Seam(
    "review_corrections", "what each correction of each review changed: (reviews) -> {review pk: [correction]}"
)
case_timeline = Seam("case_timeline", "the doctor's journey through the case: (case, progress context) -> steps")
