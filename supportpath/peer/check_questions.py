"""The questions of a GP practice's peer-support check, in our own words (not a validated scale).

Built on the five forms of peer support among GPs and the four things that shape it (a 2023 BJGP study of
GPs' peer support): how often each form happens for the person answering, and whether each shaping factor
mostly helps or hinders peer support in their practice. Each weak form has suggestions a practice can try.
"""

from dataclasses import dataclass

HOW_OFTEN = [("never", "Never"), ("rarely", "Rarely"), ("sometimes", "Sometimes"), ("often", "Often")]
HOW_OFTEN_HAPPENS = {"sometimes", "often"}
HELPS = [("helps", "Mostly helps"), ("neither", "Neither helps nor hinders"), ("hinders", "Mostly hinders")]


@dataclass(frozen=True)
class Question:
    key: str
    title: str  # as the profile names it
    text: str  # as the person answering reads it
    hint: str
    options: list[tuple[str, str]]
    suggestions: tuple[str, ...] = ()


FORMS = [
    Question(
        "emotional",
        "Emotional support",
        "In the last 3 months, how often has a colleague here noticed how you were and made time to listen?",
        "For example, checking in after a hard consultation or a difficult day.",
        HOW_OFTEN,
        (
            "Keep 10 minutes at the end of a session, or a regular coffee break, when colleagues are free to talk.",
            "Agree as a team that asking 'how was that?' after a hard consultation is normal, not intrusive.",
            "Make sure everyone knows where to get confidential help, including Practitioner Health.",
        ),
    ),
    Question(
        "advice",
        "Professional advice",
        "How often could you ask a colleague here for a second opinion or clinical advice when you wanted it?",
        "For example, about a patient, a referral or a decision you were unsure of.",
        HOW_OFTEN,
        (
            "Hold a short, regular case discussion where uncertainty is welcome.",
            "Name a colleague on each session whom others can interrupt with a quick question.",
        ),
    ),
    Question(
        "workload",
        "Sharing the workload",
        "How often did colleagues here share the work when you were stretched?",
        "For example, covering visits, results or a session when you were unwell or overloaded.",
        HOW_OFTEN,
        (
            "Agree openly how extra work is shared on busy days, so that asking is not a favour.",
            "Look at who usually picks up the extra work, and whether it is shared fairly.",
        ),
    ),
    Question(
        "mentorship",
        "Mentorship",
        "How often did a more experienced colleague here help you think about your development or career?",
        "For example, informal mentoring, or talking through a new role.",
        HOW_OFTEN,
        (
            "Offer every new or returning colleague a named mentor for their first months.",
            "Make time in appraisal-year planning for conversations about development, not only targets.",
        ),
    ),
    Question(
        "personal",
        "Personal connection",
        "How often did you spend time with colleagues here in a relaxed, personal way?",
        "For example, lunch together, or a catch-up that was not about work.",
        HOW_OFTEN,
        (
            "Protect a shared lunch or break at least once a week, with somewhere to sit together.",
            "Include salaried GPs, locums and part-time colleagues in social time, not only the partners.",
        ),
    ),
]

MODERATORS = [
    Question(
        "traits",
        "Individual traits",
        "People's own ways, such as how easily they ask for help or share how they feel.",
        "In your practice, do these mostly help or hinder peer support?",
        HELPS,
    ),
    Question(
        "relationships",
        "Relationships between colleagues",
        "How well colleagues know and trust each other.",
        "In your practice, do these mostly help or hinder peer support?",
        HELPS,
    ),
    Question(
        "culture",
        "The practice's working culture",
        "How the practice works: meetings, breaks, the building, whether asking for help is seen as normal.",
        "In your practice, does this mostly help or hinder peer support?",
        HELPS,
    ),
    Question(
        "occupational",
        "The demands of general practice",
        "Pressures of the job itself, such as workload, sessions, remote work and time pressure.",
        "In your practice, do these mostly help or hinder peer support?",
        HELPS,
    ),
]

QUESTIONS = FORMS + MODERATORS
BY_KEY = {q.key: q for q in QUESTIONS}
