"""The guide's content as data: the six principles, the stages of the pathway, the short "what the evidence
says" panel for each stage (for staff, and in the doctor's words), and the statements an organisation rates
itself on.

Source: Brennan N and colleagues, "Optimising professional support for doctors who experience work performance
issues: a realist evaluation", BMJ Quality & Safety 2026 (CC BY 4.0): its six principles (Abstract, Results),
its programme theory's context-mechanism-outcome configurations (CMOCs, cited by number: section "Findings")
and its guide, which follows the pathway of support ("The guide"). Every sentence here is our own wording; the
CMOC numbers say where in the paper each idea comes from.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = (
    "Brennan N, Reynolds E, Price T, et al. Optimising professional support for doctors who experience work "
    "performance issues: a realist evaluation. BMJ Quality & Safety 2026. doi:10.1136/bmjqs-2025-019749 (CC BY 4.0)."
)


@dataclass(frozen=True)
class Principle:
    number: int
    slug: str
    title: str
    summary: str  # what the paper found, in our words
    what_to_do: tuple[str, ...]
    where_in_product: tuple[str, ...]
    cmocs: str
    section: str  # the paper's section that reports it


@dataclass(frozen=True)
class Stage:
    slug: str
    title: str
    principle: int  # the principle its panel leads with


@dataclass(frozen=True)
class Panel:
    stage: str
    stage_title: str
    principle: Principle
    what_to_do: str
    why: str
    cmocs: str
    audience: str

    @property
    def guide_path(self) -> str:
        return f"{self.principle.slug}/"


@dataclass(frozen=True)
class Statement:
    key: str
    stage: str
    principle: int
    text: str
    cmocs: str


PRINCIPLES: tuple[Principle, ...] = (
    Principle(
        1,
        "culture-and-routes-in",
        "Culture shapes whether doctors ask for help, and clear routes in make it easier",
        "Doctors come forward sooner where leaders are open about their own difficulties, asking for help is "
        "treated as ordinary and everyone knows how to reach support. Appraisal is a natural moment to point "
        "someone towards help before problems grow. A doctor who refers themselves starts with a sense of "
        "control that carries through the rest of their support.",
        (
            "Publish how to get support, what happens next and how long each step takes.",
            "Let doctors ask for support themselves, without their employer being told unless they choose.",
            "Use appraisal and supervision to mention support early, as an invitation rather than a judgement.",
        ),
        (
            "Public pages about support and what to expect, open to anyone without signing in.",
            "Self-referral, where the doctor decides whether their employer may be told.",
            "Signposts an appraiser, supervisor or colleague can give: a private link that creates no referral "
            "and tells nobody; a request made through it is counted under the route 'signposted'.",
        ),
        "1.1–1.4, 4.7",
        "Routes into professional support and self-referral",
    ),
    Principle(
        2,
        "trust-and-safety",
        "Trust and psychological safety make candid conversations possible",
        "Doctors talk honestly about what is happening only when they trust the people and the process. Being "
        "straight about timelines and expectations builds that trust, as do dignity and confidentiality. The "
        "first conversations should centre on the doctor's own account of their difficulties.",
        (
            "Say honestly how long things will take, and say so again when a date slips.",
            "Keep what the doctor says confidential, and let them decide who else sees what.",
            "Open with the doctor's own story, not with the concern someone else raised.",
        ),
        (
            "Target times for every stage, shown to the doctor, with an honest message when one is missed.",
            "A sharing agreement the doctor controls, and a log of everyone who has read their record.",
            "A first conversation recorded as the doctor's own account, in their words.",
        ),
        "2.1, 2.2, 2.4, 2.5, 2.7",
        "Building trust through psychological safety",
    ),
    Principle(
        3,
        "awareness",
        "Room to understand oneself and the situation",
        "When trust is there and doctors have space to tell their story, they can see their situation "
        "differently: what is theirs to change, what is not, and where the team, the system or the culture "
        "played a part. Supportive challenge helps a doctor take on other people's views and accept what needs "
        "to change.",
        (
            "Record the team, structural and cultural factors alongside the individual ones.",
            "Offer challenge with support: feedback that invites reflection rather than defence.",
            "Help the doctor sort what is in their control from what is not.",
        ),
        (
            "A needs assessment with contributing factors at individual, team, structural and cultural level.",
            "Reviews where the doctor adds their own reflection on progress.",
        ),
        "3.1–3.3, 3.6–3.10",
        "Self-awareness and situational awareness",
    ),
    Principle(
        4,
        "engagement",
        "Knowing what to expect, and having a say, keeps doctors engaged",
        "Doctors stay engaged when they know what the journey looks like, hear promptly about changes, feel in "
        "control and believe the goals are within reach. Plans made with the doctor, not for them, and a "
        "positive, developmental framing help even a doctor who did not agree with being referred.",
        (
            "Show the whole path, where the doctor is on it and what comes next.",
            "Write the plan with the doctor and let them agree it; keep every version.",
            "Use the language of support and development, not of deficit.",
        ),
        (
            "The doctor's journey on every page that shows their support, with dates.",
            "Versioned support plans the doctor agrees or sends back with changes.",
            "Honest updates when a milestone or target is late.",
        ),
        "4.1–4.5, 4.7, 4.9, 4.11–4.13",
        "Engagement and motivation",
    ),
    Principle(
        5,
        "growth",
        "Growth comes from being equipped to make changes",
        "Doctors grow personally and professionally when they are able to change how they work, including the "
        "skills to speak up about workplace problems that contributed to their difficulties. Recognising their "
        "own emotional triggers helps some, and hearing from others who have been through support eases "
        "isolation and shame.",
        (
            "Set goals the doctor owns, with levels that show progress, not only success or failure.",
            "Include skills to raise and tackle workplace issues where they played a part.",
            "Offer contact with peers who have been through support.",
        ),
        (
            "Goal Attainment Scaling in every plan, reviewed with the doctor.",
            "Offers to become a peer supporter when support ends.",
        ),
        "5.1–5.4",
        "Personal and professional growth",
    ),
    Principle(
        6,
        "organisational-culture",
        "Organisations that make support normal get better results",
        "Support works less well where seeking it is a source of shame, especially when it means time away from "
        "practice. Workplaces that set out to make support ordinary and remove its stigma make a good outcome "
        "more likely.",
        (
            "Ask doctors, anonymously, how asking for help is seen where they work, and act on what they say.",
            "Hold the organisation to the guide, stage by stage, and keep an action plan for the gaps.",
            "Let leaders speak about their own difficulties and about using support.",
        ),
        (
            "The culture pulse: a short anonymous survey, results shown only when enough people answer.",
            "The self-assessment against the guide, with an action plan, reminders and a report for the board.",
        ),
        "6.1–6.3",
        "Organisational culture",
    ),
)

PRINCIPLE_BY_NUMBER = {p.number: p for p in PRINCIPLES}
PRINCIPLE_BY_SLUG = {p.slug: p for p in PRINCIPLES}

STAGES: tuple[Stage, ...] = (
    Stage("routes_in", "Routes in", 1),
    Stage("early_conversation", "Early conversation and identification", 2),
    Stage("plan", "Support plan, made with the doctor", 4),
    Stage("delivery", "Delivery", 3),
    Stage("closure", "Reassessment and closure", 5),
    Stage("afterwards", "Afterwards", 5),
    Stage("handover", "Handovers", 2),
)
STAGE_BY_SLUG = {s.slug: s for s in STAGES}

# stage -> (what to do, why, CMOCs) for staff, and (what to expect, what is in your control) for the doctor.
_STAFF: dict[str, tuple[str, str, str]] = {
    "routes_in": (
        "Make first contact within the target time, thank the doctor for coming forward, and say plainly what "
        "happens next and when.",
        "A doctor who chose to ask for help starts with a sense of control; a prompt, warm reply keeps it. Where "
        "the culture makes asking hard, the first reply decides whether they stay.",
        "1.1, 1.3, 1.4, 4.7",
    ),
    "early_conversation": (
        "Let the doctor tell their own account first, and record the team, structural and cultural factors as "
        "well as the individual ones.",
        "Candour needs psychological safety. Starting with the doctor's story builds a shared understanding, and "
        "naming the wider causes stops support aiming only at the individual.",
        "2.2, 2.5, 3.7, 3.10",
    ),
    "plan": (
        "Write the plan with the doctor: goals in their words, what is in their control, dates they can rely on, "
        "and what will be shared with whom.",
        "Doctors engage when they feel in control and believe the outcomes are reachable; a plan imposed on them "
        "loses both.",
        "4.1, 4.2, 4.11–4.13",
    ),
    "delivery": (
        "Offer challenge with support in sessions, help the doctor separate what they can change from what they "
        "cannot, and tell them promptly if anything is delayed.",
        "Reflection and reframing happen inside a trusting relationship; honest updates keep that trust when "
        "things slip.",
        "3.1, 3.2, 3.6, 3.8, 4.3",
    ),
    "closure": (
        "Review the goals with the doctor, ask for their own account of what changed, and name the skills they "
        "take with them.",
        "Growth lasts when doctors have been equipped to change their practice and to raise workplace issues "
        "themselves.",
        "5.1, 5.2",
    ),
    "afterwards": (
        "Invite doctors who have finished support to offer peer support, and follow up on how they are doing.",
        "Hearing from someone who has been through support reduces isolation and shame for the next doctor.",
        "5.3, 5.4",
    ),
    "handover": (
        "When another service fits better, make the handover warm and agreed with the doctor, tell them what the "
        "other service will do, and leave an easy way back.",
        "Trust in the process survives a change of service only if the doctor knows why it happens and keeps a "
        "say in it.",
        "2.1, 2.5, 4.3",
    ),
}

_DOCTOR: dict[str, tuple[str, str, str]] = {
    "routes_in": (
        "Someone from the support team will contact you within the time shown, in the way you asked.",
        "You decide whether your employer is told, and you can say as much or as little as you like.",
        "1.1, 4.7",
    ),
    "early_conversation": (
        "Your first conversation starts with your own account of what is happening, in your words.",
        "You can ask for another time, and you can tell us about things at work that have made it harder.",
        "2.2, 3.7",
    ),
    "plan": (
        "Your plan is written with you, and nothing goes ahead until you agree it.",
        "You can ask for changes, choose what is shared and with whom, and every version is kept.",
        "4.1, 4.11–4.13",
    ),
    "delivery": (
        "You will meet your facilitator regularly and review progress together. If anything is delayed, you "
        "will be told.",
        "Your goals are yours: you can reflect on each review and ask to change facilitator once.",
        "3.1, 4.3",
    ),
    "closure": (
        "When support ends, you review your goals and can say in your own words what changed.",
        "You choose whether the team may read your feedback.",
        "5.1",
    ),
    "afterwards": (
        "Some doctors find it helps to talk with someone who has been through support.",
        "You can offer to be a peer supporter, or not: it is entirely your choice.",
        "5.3, 5.4",
    ),
    "handover": (
        "If another service fits better, we will explain why and pass things on only with your agreement.",
        "You can come back to ask for support again at any time.",
        "2.1, 2.5",
    ),
}


def panel_for(stage: str, audience: str = "staff") -> Panel | None:
    """The panel for a stage, for staff (what to do and why) or for the doctor (what to expect, what is in
    their control). None for an unknown stage, so a typo in a template shows nothing rather than failing."""
    found = STAGE_BY_SLUG.get(stage)
    if found is None:
        return None
    table = _DOCTOR if audience == "doctor" else _STAFF
    what, why, cmocs = table[stage]
    return Panel(
        stage=stage,
        stage_title=found.title,
        principle=PRINCIPLE_BY_NUMBER[found.principle],
        what_to_do=what,
        why=why,
        cmocs=cmocs,
        audience="doctor" if audience == "doctor" else "staff",
    )


# The statements an organisation rates itself on, stage by stage and principle by principle.
STATEMENTS: tuple[Statement, ...] = (
    Statement(
        "routes-published",
        "routes_in",
        1,
        "Our doctors can find, without asking anyone, how to get support, what happens next and how long it takes.",
        "1.1, 1.3",
    ),
    Statement(
        "self-referral-private",
        "routes_in",
        1,
        "A doctor can refer themselves without their employer being told, unless they choose otherwise.",
        "1.3, 4.7",
    ),
    Statement(
        "appraisal-signposting",
        "routes_in",
        1,
        "Appraisers and supervisors know how to mention support early and give a signpost rather than a referral.",
        "1.2",
    ),
    Statement(
        "referral-respectful",
        "routes_in",
        2,
        "A doctor referred by someone else is told who referred them, why, and what happens next, kindly and promptly.",
        "2.1, 2.5, 4.9",
    ),
    Statement(
        "first-contact-on-time",
        "early_conversation",
        2,
        "We make first contact and hold the first conversation within the times we publish.",
        "2.5, 4.4",
    ),
    Statement(
        "doctor-account-first",
        "early_conversation",
        2,
        "Our first conversations start from the doctor's own account of their difficulties.",
        "2.2",
    ),
    Statement(
        "wider-factors",
        "early_conversation",
        3,
        "We record team, structural and cultural factors as well as individual ones, and act on them.",
        "3.7, 3.10",
    ),
    Statement(
        "plan-cocreated",
        "plan",
        4,
        "Plans are written with the doctor, who agrees them before support starts.",
        "4.11–4.13",
    ),
    Statement(
        "plan-developmental",
        "plan",
        4,
        "Our letters, forms and plans use the language of support and development, not of deficit.",
        "4.9, 6.1",
    ),
    Statement(
        "facilitators-skilled",
        "delivery",
        3,
        "Our facilitators are trained to offer challenge with support and to help doctors reframe their situation.",
        "3.1–3.3, 3.8, 3.9",
    ),
    Statement(
        "honest-updates",
        "delivery",
        2,
        "When anything is delayed, the doctor hears about it promptly and honestly.",
        "4.3, 2.5",
    ),
    Statement(
        "speak-up-skills",
        "closure",
        5,
        "Support includes the skills to raise and address workplace issues that contributed to the difficulty.",
        "5.1",
    ),
    Statement(
        "outcomes-in-doctors-words",
        "closure",
        5,
        "At closure we record outcomes with the doctor, including their own account of what changed.",
        "5.1, 5.2",
    ),
    Statement(
        "peer-contact",
        "afterwards",
        5,
        "Doctors can talk with peers who have been through support, and are invited to become peer supporters.",
        "5.3, 5.4",
    ),
    Statement(
        "warm-handovers",
        "handover",
        2,
        "Handovers to other services are made with the doctor's consent, explained, and leave an easy way back.",
        "2.1, 4.3",
    ),
    Statement(
        "leaders-model-vulnerability",
        "routes_in",
        6,
        "Our leaders speak openly about their own difficulties and about using support.",
        "1.1, 6.1–6.3",
    ),
    Statement(
        "culture-measured",
        "afterwards",
        6,
        "We ask our doctors, anonymously and regularly, how asking for help is seen here, and act on the answers.",
        "6.1–6.3",
    ),
    Statement(
        "equal-access",
        "routes_in",
        6,
        "Support is open to every doctor whatever their contract or training status, and we check who uses it.",
        "1.3, 6.2",
    ),
)
STATEMENT_BY_KEY = {s.key: s for s in STATEMENTS}


def statements_by_stage() -> list[tuple[Stage, list[Statement]]]:
    return [(stage, [s for s in STATEMENTS if s.stage == stage.slug]) for stage in STAGES]
