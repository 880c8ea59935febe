"""What the demo's people write: doctors' own accounts, referrals, comments and handovers.

All invented. Referrals are written the way the product asks referrers to write them — factual, kind, about
what was seen and said rather than about the person — so the demo shows good practice.
"""

from supportpath.referrals.models import HandoverDestination, Reason, Route

# In the doctor's own words, for a request they made themselves. Keyed by the first reason.
DOCTOR_ACCOUNTS = {
    Reason.MENTAL_HEALTH: [
        "I have been sleeping badly since my last run of nights and I dread going in. I would like to talk to "
        "someone outside my department about how to cope.",
        "Things have felt heavy for a few months. I am still working but I cry in the car park before shifts, "
        "and I would like some support before it gets worse.",
        "A patient I cared for died unexpectedly and I keep going over it. My supervisor is kind but I would "
        "like to talk it through with someone independent.",
    ],
    Reason.CAREER: [
        "I am not sure I want to stay in this specialty and I do not know who to ask without it looking like "
        "I am giving up. I would like help thinking through my options.",
        "I am coming to the end of my training and would like help planning what comes next, including less "
        "than full-time work.",
    ],
    Reason.RETURN_TO_WORK: [
        "I have been off for four months after an operation and I am due back next month. I am nervous about "
        "being rusty and would like a plan for coming back.",
        "I am returning from parental leave after a year away and would like help to rebuild my confidence "
        "with acute take.",
    ],
    Reason.EXAMINATIONS: [
        "I have not passed the written exam twice and my next attempt is in the spring. I would like help "
        "with how I prepare, as what I am doing is not working.",
        "I passed the written part but not the clinical exam. I would like someone to help me understand the "
        "feedback and practise.",
    ],
    Reason.PERFORMANCE: [
        "My last review said I need to be quicker and more organised on ward rounds. I agree I am struggling "
        "and I would like some practical help.",
        "I have had feedback about my handovers and I want to get this right. I would value someone to work "
        "through it with me.",
    ],
    Reason.CONFIDENCE: [
        "I find it hard to speak up in meetings and to challenge senior colleagues, even when I think a plan "
        "is not safe. I would like to get better at this.",
    ],
    Reason.BULLYING: [
        "A senior colleague often criticises me in front of the team and I have started to avoid shifts with "
        "them. I do not want to make a formal complaint yet; I would like advice and support.",
    ],
}

# What a referrer writes: what they have seen and heard, and why they think support could help.
REFERRAL_DESCRIPTIONS = {
    Reason.MENTAL_HEALTH: [
        "Dr {surname} told me at our last meeting that they are finding the workload very hard and are not "
        "sleeping well. They agreed that talking to someone outside the department might help.",
        "Dr {surname} has seemed tired and low over the last few weeks and has said so themselves. I would "
        "like them to have the chance of confidential support.",
    ],
    Reason.CAREER: [
        "Dr {surname} has said they are unsure about continuing in the specialty. I think careers support "
        "from someone independent of the training programme would help them decide.",
    ],
    Reason.RETURN_TO_WORK: [
        "Dr {surname} is returning after a period of sick leave. Occupational health advise a phased return, "
        "and a supported plan for getting back to full duties would help.",
        "Dr {surname} is coming back after eight months away. We would like to agree a return plan with them "
        "that builds up on-call work gradually.",
    ],
    Reason.EXAMINATIONS: [
        "Dr {surname} has had two unsuccessful attempts at the written exam. They are working hard and would "
        "benefit from help with how they prepare.",
    ],
    Reason.PERFORMANCE: [
        "Two recent incident reviews noted delays in escalating unwell patients on Dr {surname}'s shifts. "
        "Dr {surname} has reflected well on both; a structured plan with a facilitator would help them "
        "build confidence in escalation.",
        "Colleagues have raised concerns about the clarity of Dr {surname}'s notes and handovers. We have "
        "discussed this together and agreed that support is the right next step.",
    ],
    Reason.CONFIDENCE: [
        "Dr {surname} is a capable doctor who finds it hard to speak up in the team. I think coaching would "
        "help them make the most of their abilities.",
    ],
    Reason.BULLYING: [
        "Dr {surname} has told me about repeated difficult interactions with a senior colleague. They are "
        "considering their options and would benefit from independent support.",
    ],
}

DISCUSSED_WITH_DOCTOR = [
    "We talked about this at their educational review; they know I am making this referral and agree with it.",
    "I discussed it with them by phone on Monday and explained what the service offers.",
    "We met to talk it through. They were unsure at first but agreed to give it a try.",
]

DOCTOR_COMMENTS = [
    "This is fair. I would add that the rota changes last autumn made a big difference to how I was coping.",
    "I did not fully agree with how this was put, but I am happy to talk to someone and see if it helps.",
    "Thank you — I had not known this service existed. I would prefer phone calls in the evening.",
    "I would like the focus to be on getting back to full duties at my own pace.",
]

URGENCY_DETAILS = [
    "I am finding it very hard to keep going and I would like to talk to someone this week.",
    "They have told me they are not coping at all at the moment; I have given them the urgent help numbers.",
    "I am due back at work on Monday and I am very anxious about it.",
]

CONTACT_TIMES = [
    "Weekday mornings before 9am",
    "Any time after 6pm",
    "Tuesdays and Thursdays are my non-clinical days",
    "Lunchtime is best",
    "",
]

HANDOVER_REASONS = {
    HandoverDestination.PRACTITIONER_HEALTH: "Talked together about the confidential mental health service "
    "for doctors; they would like to go there first and can come back to us at any time.",
    HandoverDestination.OCCUPATIONAL_HEALTH: "Their needs are about adjustments at work after illness; "
    "occupational health are best placed to advise, and we will pick up again once they have.",
    HandoverDestination.GP: "They asked to start with their own GP; we have agreed to stay in touch.",
    HandoverDestination.UNION: "They want advice on a contractual matter first; we shared the support line "
    "details and left the door open.",
    HandoverDestination.PPA: "The concerns raised need the employer's formal advice service first; the doctor "
    "knows and agreed, and we remain available for their own support.",
}

# Who writes a referral for each route: (job title of the referrer).
REFERRER_TITLE_BY_ROUTE = {
    Route.SUPERVISOR: ["Educational supervisor", "Clinical director", "Training programme director"],
    Route.APPRAISER: ["Appraiser"],
    Route.RESPONSIBLE_OFFICER: [],  # the responsible officer, a role of its own
    Route.OCCUPATIONAL_HEALTH: ["Occupational health physician"],
}

# What the initial conversation found, by level (the needs assessment). Written as a case manager would
# record it: plainly, with the doctor's own goals in their words.
INDIVIDUAL_FACTORS = {
    Reason.MENTAL_HEALTH: [
        "Sleeping poorly since starting nights; finds it hard to switch off after difficult shifts.",
        "Recent bereavement in the family; has not taken any time off for it.",
    ],
    Reason.CAREER: ["Unsure whether the specialty fits the life they want; has not talked it over with anyone yet."],
    Reason.RETURN_TO_WORK: ["Lost confidence after time away; worried about being judged by new colleagues."],
    Reason.EXAMINATIONS: ["Studies late at night after long shifts; anxious in the exam itself."],
    Reason.PERFORMANCE: ["Very high standards of themselves; takes on extra work rather than ask for help."],
    Reason.CONFIDENCE: ["Tends to stay quiet when unsure, even when their judgement is sound."],
    Reason.BULLYING: ["Has started to avoid shifts with one colleague and dreads the ones they share."],
}
TEAM_FACTORS = [
    "Rota gaps mean regular short-notice extra shifts; handovers are often rushed.",
    "New to the team this rotation and has not yet had a meeting with their supervisor.",
    "Feels unable to raise concerns at the team's weekly meeting.",
    "",
]
STRUCTURAL_FACTORS = [
    "Exam study leave has been refused twice because of service pressures.",
    "Long commute between two hospital sites on the same day.",
    "No protected time for their non-clinical duties in the job plan.",
    "",
]
CULTURAL_FACTORS = [
    "A sense in the department that asking for help is a weakness.",
    "Long hours are seen as a badge of honour in the team.",
    "",
]
# Only for doctors who qualified outside the UK.
CULTURAL_FACTORS_INTERNATIONAL = [
    "Qualified overseas and finds some unwritten expectations of the team hard to read.",
]
STRENGTHS = [
    "Reflective and open; patients' feedback is very positive.",
    "Well organised in clinic and respected by the nursing team.",
    "Has already made changes on their own, such as keeping a handover checklist.",
]
DOCTOR_GOALS: dict[str, list[str]] = {
    Reason.MENTAL_HEALTH: ["To feel like myself again at work and to sleep through the night."],
    Reason.CAREER: ["To decide by the summer whether to stay in this specialty."],
    Reason.RETURN_TO_WORK: ["To come back to full duties over three months without feeling rushed."],
    Reason.EXAMINATIONS: ["To pass my exam at the next sitting with a study plan I can keep to."],
    Reason.PERFORMANCE: ["To get my handovers and notes to a standard I am proud of."],
    Reason.CONFIDENCE: ["To speak up calmly in meetings when I disagree."],
    Reason.BULLYING: ["To feel safe at work and to know my options for dealing with what is happening."],
}
STAFF_NOTES = [
    "Prefers morning appointments; happy to be contacted by text.",
    "Check in after the rota changes next month.",
    "",
]
ASSESSMENT_COMMENTS = [
    "This is a fair summary. I would like the rota pressures to be part of the plan, not only my own habits.",
    "Thank you — this matches what we talked about.",
]

SESSION_SUMMARIES = [
    "We talked about what has gone well since last time and what still feels hard.",
    "We looked at the last month's shifts and where the pressure points were.",
    "We practised the conversation with the rota coordinator that you would like to have.",
    "We agreed what to focus on before the next session and how you will know it is working.",
    "We reviewed progress against your goals and how close each one feels now.",
]
SESSION_ACTIONS = [
    "Try the wind-down routine after nights for two weeks and note what helps.",
    "Book a meeting with your educational supervisor about study leave.",
    "Write down one thing each week that went better than expected.",
    "Speak to the rota coordinator before the next rota is published.",
    "",
]
SESSION_PRIVATE_NOTES = [
    "Seemed brighter today. Follow up on the sleep diary.",
    "Some frustration with the department; keep the focus on what is in their control.",
    "",
]
# What the case manager told a doctor whose request closed after the first contact, before it became a case.
CLOSED_BEFORE_A_CASE = (
    "Thank you for talking it through with me. As we agreed, your GP is the right place to start with this, "
    "and we are here if you would like to come back to us at any time."
)
