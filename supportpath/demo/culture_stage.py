"""Demo stage: culture and the guide at the Northmoor Royal Infirmary, through the culture app's services.

- Two waves of the culture pulse: one in the spring (closed) and one three weeks ago (open), each with single-use
  links handed out (no email is sent while seeding) and answered by enough doctors for results, by staff group,
  and the change between the waves with its interval. The Royal Infirmary added one statement of its own
  between the waves.
- The Royal Infirmary's self-assessment against the guide, rated twice (the history shows the earlier ratings),
  with an action plan in progress: one action done, two in progress, one not started and one overdue.
- A signpost the Kestrel Lane appraiser gave, and a few self-referrals made through signposts.

Safe to run again: it adds nothing when the spring wave is already there.
"""

import datetime as dt
import random

from django.utils import timezone

from supportpath.culture import services as culture
from supportpath.culture.models import Action, Rating, Signpost, Wave
from supportpath.guide.content import STATEMENTS

SPRING = "Culture pulse, spring (demo)"
AUTUMN = "Culture pulse, autumn (demo)"
GROUPS = ["Consultants", "Resident doctors", "SAS and locally employed doctors"]
OWN_STATEMENT = "When a rota gap puts pressure on a team, we can say so without being seen as weak."
# Share agreeing with each standard statement (in order), spring then autumn: a culture slowly improving.
AGREEING = {
    SPRING: [0.45, 0.40, 0.55, 0.50, 0.20, 0.35],
    AUTUMN: [0.60, 0.70, 0.60, 0.55, 0.40, 0.45],
}
FIRST_RATINGS = {
    "routes-published": ("not_yet", "The intranet page on support was two years out of date."),
    "self-referral-private": ("partly", "Self-referral existed but the form went through the rota office."),
    "appraisal-signposting": ("not_yet", "Appraisers had no guidance on mentioning support."),
    "leaders-model-vulnerability": ("not_yet", "No senior leader had spoken about using support."),
    "culture-measured": ("not_yet", "We had never asked doctors how help-seeking is seen here."),
}
RATINGS = {
    "routes-published": ("fully", "New intranet page with the pathway and the target times, checked in March."),
    "self-referral-private": ("fully", "Doctors ask the unit directly; the employer is told only if they choose."),
    "appraisal-signposting": ("partly", "Appraisers at two of five sites have had the briefing."),
    "referral-respectful": ("partly", "Referral letters rewritten; the old template is still used in surgery."),
    "first-contact-on-time": ("fully", "First contact within five working days in 94% of requests this year."),
    "doctor-account-first": ("fully", "The unit's first-conversation guide starts with the doctor's story."),
    "wider-factors": ("partly", "Team factors are recorded but not yet fed back to clinical directors."),
    "plan-cocreated": ("fully", "Every plan is agreed by the doctor in supportpath."),
    "plan-developmental": ("partly", "HR letters for formal processes still say 'remediation'."),
    "facilitators-skilled": ("partly", "Three of five facilitators have done the coaching course."),
    "honest-updates": ("fully", "Late targets are told to the doctor automatically."),
    "speak-up-skills": ("not_yet", "No offer on raising workplace issues yet."),
    "outcomes-in-doctors-words": ("fully", "Exit feedback is asked of every doctor."),
    "peer-contact": ("partly", "Peer supporters are offered; no peer group yet."),
    "warm-handovers": ("fully", "Handovers are recorded with the doctor's consent."),
    "leaders-model-vulnerability": ("partly", "The medical director spoke at grand round about her own support."),
    "culture-measured": ("fully", "Culture pulse twice a year since the spring."),
    "equal-access": ("partly", "Locally employed doctors are under-represented in requests."),
}
ACTIONS = [
    # statement, what, owner, email, due (days from today), progress, note
    (
        "appraisal-signposting",
        "Brief every appraiser on signposting, at all five sites",
        "Dr Ruth Allerdale",
        "appraisal.lead@royal.example.test",
        45,
        Action.Progress.IN_PROGRESS,
        "Two sites done; the rest booked for next month",
    ),
    (
        "plan-developmental",
        "Rewrite the HR letter templates in the language of support",
        "Jo Fenwick",
        "hr.policy@royal.example.test",
        -6,
        Action.Progress.IN_PROGRESS,
        "Draft with the staff side for comment",
    ),
    (
        "speak-up-skills",
        "Add a workshop on raising workplace issues to the support catalogue",
        "Sian Rookwood",
        "wellbeing@northmoor.example.test",
        90,
        Action.Progress.NOT_STARTED,
        "",
    ),
    (
        "equal-access",
        "Write to every locally employed doctor about how to ask for support",
        "Dr Nia Calloway",
        "wellbeing.lead@royal.example.test",
        20,
        Action.Progress.NOT_STARTED,
        "",
    ),
    (
        "routes-published",
        "Publish the support pathway and target times on the intranet",
        "Dr Nia Calloway",
        "wellbeing.lead@royal.example.test",
        -60,
        Action.Progress.DONE,
        "Published and linked from the induction pack",
    ),
]


def _answer_wave(wave: Wave, answered: int, rng: random.Random) -> None:
    tokens = culture.issue_links(wave, answered + rng.randint(10, 20))
    items = list(wave.items.all())
    shares = AGREEING[wave.title]
    for index in range(answered):
        group = GROUPS[index % 3] if index < answered - 10 else ""  # ten who would rather not say
        answers = {}
        for number, item in enumerate(items):
            share = shares[min(number, len(shares) - 1)]
            if rng.random() < share:
                answers[item.pk] = "5" if rng.random() < 0.3 else "4"
            else:
                answers[item.pk] = rng.choice(["1", "2", "2", "3", "3"])
        culture.answer_by_link(tokens[index], answers, group)


def seed_culture(demo) -> None:
    royal = demo.organisations["royal"]
    lead = demo.staff["wellbeing_lead"]
    if Wave.objects.filter(organisation=royal, title=SPRING).exists():
        return
    rng = random.Random("culture-demo")  # noqa: S311 - fictional demo data, not security
    today = demo.today

    spring = culture.open_wave(
        royal, by=lead, title=SPRING, staff_groups=GROUPS, opened_on=today - dt.timedelta(days=150)
    )
    _answer_wave(spring, 46, rng)
    culture.close_wave(spring)
    culture.add_own_item(royal, OWN_STATEMENT)
    autumn = culture.open_wave(
        royal,
        by=lead,
        title=AUTUMN,
        staff_groups=GROUPS,
        shared_link_cap=40,
        opened_on=today - dt.timedelta(days=21),
    )
    _answer_wave(autumn, 52, rng)
    demo.created["culture pulse waves"] += 2

    # The self-assessment: first rated in the spring, rated again now.
    first_day = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=160), dt.time(10)))
    for key, (level, evidence) in FIRST_RATINGS.items():
        rating = culture.rate(royal, key, level, evidence, by=lead)
        Rating.objects.filter(pk=rating.pk).update(rated_at=first_day)
    now_day = demo.at(today - dt.timedelta(days=7), 15)
    for statement in STATEMENTS:
        level, evidence = RATINGS[statement.key]
        rating = culture.rate(royal, statement.key, level, evidence, by=lead)
        Rating.objects.filter(pk=rating.pk).update(rated_at=now_day)
    for key, description, owner, email, days, progress, note in ACTIONS:
        action = culture.add_action(
            royal,
            statement=key,
            description=description,
            owner_name=owner,
            owner_email=email,
            due_on=today + dt.timedelta(days=days),
            by=lead,
        )
        culture.update_action(action, progress=progress, progress_note=note, due_on=action.due_on)
        if days < 0:
            # Its reminder went when it fell due (the demo sends no email).
            Action.objects.filter(pk=action.pk).update(reminded_for=action.due_on)
    demo.created["actions against the guide"] += len(ACTIONS)

    # The Kestrel Lane appraiser's signpost (three of the unit's self-referrals came through signposts: they are
    # made so, builders._signposted).
    if not Signpost.objects.filter(made_by=demo.staff["appraiser"]).exists():
        culture.make_signpost(demo.staff["appraiser"], Signpost.GivenAs.APPRAISER)
