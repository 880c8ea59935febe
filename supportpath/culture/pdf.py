"""The board's summary of culture and the guide as an accessible PDF (fpdf2: real text, a title, the language
set, and headings as bookmarks), like the support plan's PDF (``plans/pdf.py``)."""

from supportpath.plans.pdf import _pdf

from .services import NOT_VALIDATED, Summary


def render_summary(summary: Summary) -> bytes:
    organisation = summary.organisation.name
    title = f"Culture and the guide: summary for the board of {organisation}"
    pdf = _pdf(title)
    heading, para = pdf.heading, pdf.para

    heading(title, 18)
    counts = summary.counts
    para(
        f"Self-assessment against the guide: {counts['fully']} statements met fully, {counts['partly']} partly, "
        f"{counts['not_yet']} not yet, {counts['unrated']} not rated."
    )

    heading("Self-assessment, stage by stage")
    for stage, rows in summary.by_stage:
        para(stage.title, bold=True)
        for statement, rating, actions in rows:
            level = rating.get_level_display() if rating else "Not rated"
            para(f"{statement.text} Rating: {level}. (CMOCs {statement.cmocs})")
            if rating and rating.evidence:
                para(f"Evidence: {rating.evidence}")
            for action in actions:
                para(
                    f"Action: {action.description}. Owner: {action.owner_name}. Due {action.due_on:%-d %B %Y}. "
                    f"{action.get_progress_display()}."
                )
        pdf.ln(2)

    heading("Culture pulse")
    if summary.latest_wave is None:
        para("No pulse has been run yet.")
    elif not summary.latest_results or not summary.latest_results.shown:
        para(f"{summary.latest_wave.title}: results are shown only when 10 or more people have answered.")
    else:
        results = summary.latest_results
        para(f"{summary.latest_wave.title}. {NOT_VALIDATED}")
        for item in results.items:
            change = f" Change since the previous wave: {item.change}." if item.change else ""
            para(f"{item.text} Agreeing: {item.agreeing_percent or 'not shown'}.{change}")
    para(
        "Figures follow the disclosure rule: counts from 1 to 7 are hidden, others rounded to the nearest 5, "
        "percentages come from the rounded figures."
    )
    return bytes(pdf.output())
