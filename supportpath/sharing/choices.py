"""Who outside the support team may be shown something, and what there is to show.

A grant is one (audience, item) pair. The doctor's words for each item say exactly what it includes, because
the doctor decides on those words alone; ``wall.py`` keeps to them.
"""

from django.db import models


class Audience(models.TextChoices):
    REFERRER = "referrer", "The person who referred you"
    RESPONSIBLE_OFFICER = "responsible_officer", "Your responsible officer"
    EMPLOYER = "employer", "Your employer"


class Item(models.TextChoices):
    STAGE = "stage", "The stage your support is at"
    ATTENDANCE = "attendance", "How many sessions are held and attended"
    REASONS = "reasons", "What the support is for"
    GOALS = "goals", "Goals"
    INTERVENTIONS = "interventions", "Support you will get"
    MILESTONES = "milestones", "Milestones"
    REVIEW_OUTCOMES = "review_outcomes", "Outcomes of reviews"
    SESSION_SUMMARIES = "session_summaries", "Session summaries"
    WELLBEING = "wellbeing", "Well-being and peer-support content"
    MEASURES = "measures", "Your questionnaire scores"


# What each item includes, in the words the doctor reads before choosing it.
ITEM_HINTS = {
    Item.STAGE: "Where you are on the path, for example 'agreeing a support plan' or 'support under way'.",
    Item.ATTENDANCE: "Numbers only: how many sessions were attended, missed or cancelled. Never what was said.",
    Item.REASONS: (
        "What you asked for help with, such as exams or your career, without your own words. Mental health and "
        "well-being are left out unless you also share well-being content."
    ),
    Item.GOALS: "The goals in your agreed support plan, in your words.",
    Item.INTERVENTIONS: (
        "The support in your agreed plan, such as coaching or mentoring. Well-being and peer-group support are "
        "left out unless you also share well-being content."
    ),
    Item.MILESTONES: "The milestones in your agreed plan and their dates.",
    Item.REVIEW_OUTCOMES: (
        "The date of each review of your goals and your overall score. Never the notes of the review or your "
        "reflections."
    ),
    Item.SESSION_SUMMARIES: (
        "The summaries of your sessions that you can read too. Summaries written by a well-being practitioner are "
        "left out unless you also share well-being content. Private notes are never shared."
    ),
    Item.WELLBEING: (
        "Well-being and peer-group support in your plan, summaries of your sessions with a well-being "
        "practitioner, and that you asked for help with your mental health or well-being. Only this choice "
        "shares any of it."
    ),
    Item.MEASURES: (
        "The date and score of each questionnaire you finished, such as WHO-5 well-being or PHQ-9 low mood. "
        "Never your answer to any single question, never your check-ins, and never whether an answer asked your "
        "case manager to get in touch. Only this choice shares any of it."
    ),
}

# Headings on the pages of the people the doctor shares with.
ITEM_TITLES = {
    Item.STAGE: "Stage of support",
    Item.ATTENDANCE: "Sessions",
    Item.REASONS: "What the support is for",
    Item.GOALS: "Goals",
    Item.INTERVENTIONS: "Support agreed",
    Item.MILESTONES: "Milestones",
    Item.REVIEW_OUTCOMES: "Reviews of goals",
    Item.SESSION_SUMMARIES: "Session summaries",
    Item.WELLBEING: "Well-being and peer support",
    Item.MEASURES: "Questionnaire scores",
}

# The parts a support plan may propose sharing (supportpath/plans/content.py PARTS). Well-being content is not
# among them: only the doctor, on their own sharing page, can share it.
PLAN_ITEMS = (Item.GOALS, Item.INTERVENTIONS, Item.MILESTONES, Item.REVIEW_OUTCOMES, Item.SESSION_SUMMARIES)

# A mandated referral's fixed minimum: the people who require the process learn that the doctor is taking
# part (the stage, and sessions attended as numbers), never what is said, never the plan, never well-being.
MANDATED_MINIMUM = frozenset(
    (audience, item)
    for audience in (Audience.REFERRER, Audience.RESPONSIBLE_OFFICER)
    for item in (Item.STAGE, Item.ATTENDANCE)
)

AUDIENCE_SLUGS = {
    "referrer": Audience.REFERRER,
    "responsible-officer": Audience.RESPONSIBLE_OFFICER,
    "employer": Audience.EMPLOYER,
}
SLUG_FOR_AUDIENCE = {audience: slug for slug, audience in AUDIENCE_SLUGS.items()}

Grant = tuple[str, str]


def grant_key(grant: Grant) -> str:
    return f"{grant[0]}:{grant[1]}"


def parse_key(key: str) -> Grant:
    audience, item = key.split(":", 1)
    if audience not in Audience.values or item not in Item.values:
        raise ValueError(f"Unknown sharing grant: {key!r}")
    return audience, item
