"""The retention periods in force: one per record type, from ``settings.RETENTION`` (docs/retention.md).

Each record type states what it covers, the moment its period is counted from, and a floor below which a
setting is refused (the system check fails, so `migrate` and `runserver` stop, and ``apply_retention`` will not
run): a mistyped environment variable must stop the service, not empty it.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.checks import Error, register
from django.utils import timezone


@dataclass(frozen=True)
class RecordType:
    key: str
    label: str
    counted_from: str
    unit: str  # "years", "days" or "hours"
    floor: int
    env: str
    # The period is a least age: the record goes only once something else is true as well.
    at_least: bool = False

    @property
    def period(self) -> int:
        return int(settings.RETENTION[self.key][self.unit])

    @property
    def period_text(self) -> str:
        n = self.period
        if self.unit == "days" and n == 0:
            return "Until the next daily run"
        word = self.unit if n != 1 else self.unit[:-1]
        return f"{'At least ' if self.at_least else ''}{n} {word}"

    def cutoff(self, now: dt.datetime | None = None) -> dt.datetime:
        """Records whose period started before this moment have passed it."""
        now = now or timezone.now()
        if self.unit == "years":
            return years_before(now, self.period)
        return now - dt.timedelta(**{self.unit: self.period})


def years_before(moment: dt.datetime, years: int) -> dt.datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February, in a year that has none
        return moment.replace(year=moment.year - years, day=28)


RECORD_TYPES = [
    RecordType(
        "closed_cases",
        "Closed cases and everything in them: the request, conversations, needs assessment, sessions, plans and "
        "every version, reviews, milestones, pauses, reassessments, closure, feedback, allocations, preferences, "
        "comments, questionnaire answers, safety alerts, messages",
        "the date the case closed",
        "years",
        1,
        "RETENTION_CLOSED_CASES_YEARS",
    ),
    RecordType(
        "ended_requests",
        "Requests and referrals that never became a case (handed over to another service; withdrawn or declined "
        "by the doctor; closed for no response, with the attempts to make contact, or as not for this service), "
        "with their messages",
        "the date of the handover or the ending, or of the request",
        "years",
        1,
        "RETENTION_ENDED_REQUESTS_YEARS",
    ),
    RecordType(
        "unused_invitations",
        "Invitations to a referred doctor who never used them (the address they went to), once the referral ended",
        "the date the invitation's link stopped working",
        "days",
        7,
        "RETENTION_UNUSED_INVITATIONS_DAYS",
    ),
    RecordType(
        "self_referral_drafts",
        "Answers to a self-referral the doctor started and did not send",
        "the last change to the answers",
        "days",
        1,
        "SELF_REFERRAL_DRAFT_DAYS",
    ),
    RecordType(
        "pending_registrations",
        "What a doctor typed to create an account, when they never followed the emailed link",
        "the moment they asked (the link then works for this long)",
        "hours",
        1,
        "REGISTRATION_LINK_HOURS (a setting)",
    ),
    RecordType(
        "dormant_accounts",
        "Doctors' accounts with no support records left (closed: name, email, GMC number and phone removed)",
        "the last sign-in, or the date the account was made",
        "years",
        1,
        "RETENTION_DORMANT_ACCOUNTS_YEARS",
    ),
    RecordType(
        "access_log",
        "Rows of the access log (who saw a doctor's record), once the records they describe are gone",
        "the date of the access",
        "years",
        1,
        "RETENTION_ACCESS_LOG_YEARS",
        at_least=True,
    ),
    RecordType(
        "task_results",
        "Results of finished background tasks (they hold email addresses and names)",
        "the time the task finished",
        "days",
        1,
        "RETENTION_TASK_RESULTS_DAYS",
    ),
    RecordType(
        "sent_emails",
        "The list of emails sent (address and subject), kept so that no email goes twice",
        "the time the email was sent",
        "days",
        30,
        "RETENTION_SENT_EMAILS_DAYS",
    ),
    RecordType(
        "account_email_limits",
        "Counts of account emails asked for, kept as keyed hashes to limit how many are sent an hour",
        "the moment of asking",
        "days",
        1,
        "RETENTION_ACCOUNT_EMAIL_LIMITS_DAYS",
    ),
    RecordType(
        "sign_in_records",
        "Records of failed and successful sign-ins (email address, network address, browser)",
        "the time of the attempt",
        "days",
        1,
        "RETENTION_SIGN_IN_RECORDS_DAYS",
    ),
    RecordType(
        "expired_sessions",
        "Sign-in sessions that have expired, with anything saved in them",
        "the time the session expired",
        "days",
        0,
        "RETENTION_EXPIRED_SESSIONS_DAYS",
    ),
    RecordType(
        "ended_peer_support",
        "Peer support that has ended: requests for a peer supporter and their matches (with any concern a peer "
        "supporter raised), stopped offers to be a peer supporter, and places in peer groups left or not given",
        "the request, the end of its last match, the last change to the offer, or the request to join",
        "years",
        1,
        "RETENTION_PEER_SUPPORT_YEARS",
    ),
]
BY_KEY = {record_type.key: record_type for record_type in RECORD_TYPES}


@register()
def check_retention_settings(app_configs, **kwargs) -> list[Error]:
    errors = []
    configured = getattr(settings, "RETENTION", {})
    for record_type in RECORD_TYPES:
        value = configured.get(record_type.key, {}).get(record_type.unit)
        if not isinstance(value, int) or value < record_type.floor:
            errors.append(
                Error(
                    f"RETENTION['{record_type.key}'] must be a whole number of {record_type.unit} of at least "
                    f"{record_type.floor} (set {record_type.env}); it is {value!r}.",
                    id="records.E001",
                )
            )
    warning_days = getattr(settings, "DORMANT_ACCOUNT_WARNING_DAYS", None)
    if not isinstance(warning_days, int) or warning_days < 7 or warning_days > 180:
        errors.append(
            Error(
                "DORMANT_ACCOUNT_WARNING_DAYS must be a whole number of days from 7 to 180 (the warning a doctor "
                f"gets before their unused account is closed); it is {warning_days!r}.",
                id="records.E003",
            )
        )
    unknown = set(configured) - set(BY_KEY)
    if unknown:
        errors.append(Error(f"RETENTION names record types that do not exist: {sorted(unknown)}", id="records.E002"))
    return errors
