"""The agreed plan as a PDF the doctor can keep (fpdf2: pure Python, real text, title and language set)."""

import logging
from pathlib import Path
from typing import Any

from fpdf import FPDF

logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


class Document(FPDF):
    """An FPDF that knows the font family its body text is set in (DejaVu where installed), with the headings
    (bookmarked, so they show as the document's outline) and paragraphs every supportpath PDF is written in."""

    family: str = "Helvetica"
    body_size: int = 11
    line_height: float = 6

    def heading(self, text: str, size: int = 14) -> None:
        self.ln(3)
        self.set_font(self.family, "B", size)
        self.start_section(text, level=0 if size > 14 else 1)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def para(self, text: str, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", self.body_size)
        self.multi_cell(0, self.line_height, text, new_x="LMARGIN", new_y="NEXT")


def _pdf(title: str) -> Document:
    pdf = Document(format="A4")
    pdf.set_title(title)
    pdf.set_author("supportpath")
    pdf.set_lang("en-GB")
    pdf.set_creator("supportpath")
    pdf.set_display_mode(zoom="fullwidth")
    if (FONT_DIR / "DejaVuSans.ttf").exists():
        pdf.add_font("Body", "", str(FONT_DIR / "DejaVuSans.ttf"))
        pdf.add_font("Body", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        pdf.family = "Body"
    else:  # pragma: no cover - Latin-1 only fallback
        pdf.family = "Helvetica"
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    return pdf


def render_plan(*, doctor_name: str, reference: str, number: int, agreed_on: str, view: dict[str, Any]) -> bytes:
    title = f"Support plan for {doctor_name}, version {number}"
    pdf = _pdf(title)
    heading, para = pdf.heading, pdf.para

    heading(f"Support plan for {doctor_name}", 20)
    para(f"Version {number}. Agreed on {agreed_on}.")
    para(f"Reference: {reference}")

    heading("Goals")
    for i, goal in enumerate(view["goals"], 1):
        para(f"Goal {i}: {goal['text']}", bold=True)
        para(f"Importance {goal['importance']}; difficulty {goal['difficulty']}; starting level {goal['baseline']}.")
        for level, name, words in goal["levels"]:
            para(f"  {level} ({name.lower()}): {words}")
        pdf.ln(2)
    heading("Support you will get")
    for item in view["interventions"] or []:
        line = item["name"] if item["type"].lower() == item["name"].lower() else f"{item['name']} ({item['type']})"
        para(line + (f". {item['note']}" if item["note"] else ""), bold=True)
        if item["description"]:
            para(item["description"])
        if item["provider"]:
            para(f"Who provides it: {item['provider']}")
        pdf.ln(2)
    if not view["interventions"]:
        para("None recorded.")
    heading("Milestones")
    for m in view["milestones"]:
        para(f"{m['due']}: {m['text']}")
    if not view["milestones"]:
        para("None recorded.")
    heading("Review dates")
    para(", ".join(view["review_dates"]) or "None recorded.")
    heading("What is in my control")
    para(view["in_my_control"] or "Not recorded.")
    heading("What is outside my control")
    para(view["outside_my_control"] or "Not recorded.")
    heading("Sharing this version proposed")
    for part, who in view["sharing"]:
        para(f"{part}: {who}")
    para("Who can see what now, and every change to it, is on the 'Who can see what' page of My support.")
    return bytes(pdf.output())
