"""The CMOCs the 2026 paper cites in its text, described in our own words from the passage that cites them.

Brennan N, Reynolds E, Price T, et al. Optimising professional support for doctors who experience work
performance issues: a realist evaluation. BMJ Qual Saf 2026. doi:10.1136/bmjqs-2025-019749 (CC BY 4.0).

The paper's full wording of all 47 is in its online supplemental file 3, which we do not hold: where the text
cites several CMOCs for one finding, each here takes the part of that finding its number is cited for, and its
evidence note says so. An evaluator refines them (each change a new version) and adds the others."""

from dataclasses import dataclass

PAPER = (
    "Brennan N, Reynolds E, Price T, et al. Optimising professional support for doctors who experience work "
    "performance issues: a realist evaluation. BMJ Qual Saf 2026. doi:10.1136/bmjqs-2025-019749"
)
CITED_TOGETHER = "The paper cites this one with {others} for one finding; its supplemental file 3 has the full wording."


@dataclass(frozen=True)
class PaperCmoc:
    reference: str
    group: int
    section: str
    context: str
    mechanism: str
    outcome: str
    together: str = ""  # the other CMOCs cited for the same finding
    context_link: str = ""  # "field=value"
    mechanism_item: str = ""
    outcome_indicator: str = ""

    @property
    def citation(self) -> str:
        return f"{PAPER}. Findings, “{self.section}”, CMOC {self.reference}."

    @property
    def evidence_note(self) -> str:
        return CITED_TOGETHER.format(others=self.together) if self.together else ""


R, T, A, E, G, C = (
    "Routes into professional support and self-referral",
    "Building trust through psychological safety",
    "Self-awareness and situational awareness",
    "Engagement and motivation",
    "Personal and professional growth",
    "Organisational culture",
)

CMOCS = [
    PaperCmoc(
        "1.1",
        1,
        R,
        "A workplace where senior colleagues are open about their own struggles",
        "Doctors draw on the support of their networks and feel that asking is allowed",
        "Doctors refer themselves for support",
        together="1.3 and 1.4",
        context_link="route_in=self",
        outcome_indicator="completed",
    ),
    PaperCmoc(
        "1.2",
        1,
        R,
        "An annual appraisal or another review of performance that asks about support needs",
        "The doctor is pointed towards support and feels able to take it up",
        "Support starts earlier",
        context_link="route_in=signposted",
        outcome_indicator="completed",
    ),
    PaperCmoc(
        "1.3",
        1,
        R,
        "A workplace that actively encourages doctors to seek help",
        "Doctors feel in control of whether and when to ask (agency)",
        "Doctors refer themselves for support",
        together="1.1 and 1.4",
    ),
    PaperCmoc(
        "1.4",
        1,
        R,
        "Routes into support that are published and clearly explained",
        "Doctors know how to ask and feel in control of the process",
        "Doctors refer themselves for support",
        together="1.1 and 1.3",
    ),
    PaperCmoc(
        "2.1",
        2,
        T,
        "A service that treats the doctor with dignity",
        "The doctor feels psychologically safe and trusts the people involved",
        "Candid conversations about what the doctor needs",
        together="2.4 and 2.7",
        mechanism_item="1",
        outcome_indicator="change:who-5",
    ),
    PaperCmoc(
        "2.2",
        2,
        T,
        "Early conversations that start from the doctor's own account of their challenges, in a safe space",
        "The doctor feels safe enough to be open and to show vulnerability",
        "A shared understanding of the situation between the doctor and the service",
        mechanism_item="2",
        outcome_indicator="change:who-5",
    ),
    PaperCmoc(
        "2.4",
        2,
        T,
        "Clear confidentiality: the doctor knows who will see what",
        "The doctor trusts the process and the people in it",
        "The doctor engages and talks openly",
        together="2.1 and 2.7",
    ),
    PaperCmoc(
        "2.5",
        2,
        T,
        "The service is candid and clear about timelines and what it expects",
        "The doctor trusts the process",
        "Shared expectations of support, and engagement with it",
        mechanism_item="3",
        outcome_indicator="completed",
    ),
    PaperCmoc(
        "2.7",
        2,
        T,
        "A culture of dignity and confidentiality across the programme",
        "Psychological safety lets the doctor accept and voice their vulnerability",
        "Conversations that the rest of the support can build on",
        together="2.1 and 2.4",
    ),
    PaperCmoc(
        "3.1",
        3,
        A,
        "A relationship with the facilitator built on trust",
        "Reflection, and reframing how the doctor sees the challenge",
        "Insight into what the doctor is responsible for",
        together="3.2 and 3.6",
    ),
    PaperCmoc(
        "3.2",
        3,
        A,
        "The doctor is given room to tell their story",
        "Cognitive reframing that prompts the doctor to look at the situation again",
        "The doctor accepts which parts of the situation they can and cannot control",
        together="3.1 and 3.6",
    ),
    PaperCmoc(
        "3.3",
        3,
        A,
        "A supportive facilitator who gives challenging feedback",
        "The doctor considers other people's points of view",
        "The doctor accepts the need for change and takes responsibility for it",
        together="3.8 and 3.9",
    ),
    PaperCmoc(
        "3.6",
        3,
        A,
        "Trusting relationships and space to reflect",
        "Re-evaluation of the situation",
        "Self-awareness and awareness of the situation around the doctor",
        together="3.1 and 3.2",
    ),
    PaperCmoc(
        "3.7",
        3,
        A,
        "Difficulties that come partly from structures, culture or the team",
        "The doctor and facilitator recognise these factors together",
        "A shared understanding that the problem is not only the individual's; support helps navigate those factors",
        together="3.10",
    ),
    PaperCmoc(
        "3.8",
        3,
        A,
        "Feedback that challenges, given with support",
        "The doctor engages with how others see the situation",
        "Acceptance of the need to change",
        together="3.3 and 3.9",
    ),
    PaperCmoc(
        "3.9",
        3,
        A,
        "A facilitator who encourages the doctor to take on other perspectives",
        "Reflection on the doctor's own part",
        "The doctor takes responsibility where it is theirs",
        together="3.3 and 3.8",
    ),
    PaperCmoc(
        "3.10",
        3,
        A,
        "Team-related or system factors behind the doctor's difficulties",
        "Situational awareness",
        "Conversations turn to navigating those factors rather than only changing the doctor",
        together="3.7",
    ),
    PaperCmoc(
        "4.1",
        4,
        E,
        "The doctor knows what to expect on their journey through support",
        "Knowing what comes next reduces uncertainty",
        "The doctor engages with support",
        together="4.2, 4.4 and 4.5",
        mechanism_item="3",
        outcome_indicator="gas_t",
    ),
    PaperCmoc(
        "4.2",
        4,
        E,
        "A process that is efficient and focused",
        "The doctor knows what to expect",
        "Engagement",
        together="4.1, 4.4 and 4.5",
    ),
    PaperCmoc(
        "4.3",
        4,
        E,
        "Clear communication about developments as support goes on, including delays",
        "Trust that the service will keep the doctor informed",
        "Continued engagement",
    ),
    PaperCmoc(
        "4.4",
        4,
        E,
        "A plan developed with the doctor, not for them",
        "The doctor knows what to expect and owns the plan",
        "Engagement",
        together="4.1, 4.2 and 4.5",
    ),
    PaperCmoc(
        "4.5",
        4,
        E,
        "A clear explanation at the start of what the support involves",
        "Knowing what to expect",
        "Engagement",
        together="4.1, 4.2 and 4.4",
    ),
    PaperCmoc(
        "4.7",
        4,
        E,
        "The doctor referred themselves",
        "A sense of control from the beginning",
        "Support is more effective",
        context_link="route_in=self",
        mechanism_item="4",
        outcome_indicator="completed",
    ),
    PaperCmoc(
        "4.9",
        4,
        E,
        "A doctor referred by someone else who may not agree with the referral, with a skilled facilitator",
        "The doctor comes to see parts of the programme as a chance to develop",
        "The doctor engages with those parts",
        context_link="route_in=referred",
        outcome_indicator="completed",
    ),
    PaperCmoc(
        "4.11",
        4,
        E,
        "Plans and goals made with the doctor",
        "The doctor feels in control",
        "Motivation and engagement",
        together="4.12 and 4.13",
        mechanism_item="4",
        outcome_indicator="change:who-5",
    ),
    PaperCmoc(
        "4.12",
        4,
        E,
        "Goals the doctor believes are achievable",
        "Motivation",
        "Engagement and progress towards the goals",
        together="4.11 and 4.13",
        mechanism_item="5",
        outcome_indicator="gas_t",
    ),
    PaperCmoc(
        "4.13",
        4,
        E,
        "Support that keeps the doctor in control of the process",
        "Belief that a good outcome can be reached",
        "The doctor stays engaged",
        together="4.11 and 4.12",
    ),
    PaperCmoc(
        "5.1",
        5,
        G,
        "The doctor is empowered to change their practice and given the skills to speak up about workplace issues",
        "Agency",
        "Personal and professional growth",
        outcome_indicator="returned",
    ),
    PaperCmoc(
        "5.2",
        5,
        G,
        "Where it is relevant, help to recognise the doctor's own emotional triggers",
        "Recognising and working with emotion rather than avoiding it",
        "Strategies for dealing with triggers, and growth",
    ),
    PaperCmoc(
        "5.3",
        5,
        G,
        "A chance to share the experience with others, or hear from doctors in a similar situation",
        "Less isolation and shame",
        "A wider perspective on the difficulty",
        together="5.4",
    ),
    PaperCmoc(
        "5.4",
        5,
        G,
        "Hearing the stories of other doctors who have been through support",
        "Feeling less alone",
        "Greater perspective, and growth",
        together="5.3",
    ),
    PaperCmoc(
        "6.1",
        6,
        C,
        "A team culture in which doctors rarely share their difficulties",
        "Doctors are not ready to seek help",
        "Help is sought late or not at all",
        together="6.2 and 6.3",
    ),
    PaperCmoc(
        "6.2",
        6,
        C,
        "An organisation where seeking support, especially time out of practice, brings shame",
        "Fear of stigma",
        "Doctors are discouraged from seeking help",
        together="6.1 and 6.3",
    ),
    PaperCmoc(
        "6.3",
        6,
        C,
        "A workplace that works to normalise support and remove its stigma",
        "Seeking help feels ordinary",
        "A successful process of support is more likely",
        together="6.1 and 6.2",
    ),
]
