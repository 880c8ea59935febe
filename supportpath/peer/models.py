"""Peer support: doctors who have been through support and offer to talk with a doctor in a similar situation,
groups the service runs, and a GP practice's own anonymous check of how peer support happens in its team.

What peers say to each other is never recorded here or in any case: the service keeps only who agreed to talk
with whom, when it ended, and any concern a peer supporter raised with the service. Every record that names a
doctor hangs off their profile (on_delete=CASCADE), so erasure and retention remove it with them.

A practice check keeps no answer at all as a row: each answer only adds one to counts per question and option
(``CheckTally``), so there is nothing to tie to a person, a link, a time or an order.
"""

from django.conf import settings
from django.db import models

from supportpath.accounts.models import DoctorProfile, Organisation
from supportpath.core.encryption import EncryptedTextField
from supportpath.referrals.models import Reason

TEXT_LIMIT = 1500


class Experience(models.TextChoices):
    """What a peer supporter is willing to talk about, and what a doctor asking would like to talk about."""

    MENTAL_HEALTH = Reason.MENTAL_HEALTH.value, "Mental health or well-being"
    CAREER = Reason.CAREER.value, "Career decisions"
    RETURN_TO_WORK = Reason.RETURN_TO_WORK.value, "Returning to work or training after time away"
    EXAMINATIONS = Reason.EXAMINATIONS.value, "Exams"
    PERFORMANCE = Reason.PERFORMANCE.value, "Concerns about work or progress"
    CONFIDENCE = Reason.CONFIDENCE.value, "Assertiveness and confidence"
    BULLYING = Reason.BULLYING.value, "Difficult relationships at work, bullying or harassment"
    INTERNATIONAL_GRADUATE = "international_graduate", "Coming to the NHS as an international graduate"
    REFERRED = "referred", "Being referred for support by someone else"
    EARLY_CAREER = "early_career", "Being early in your career (foundation or specialty training)"
    LATER_CAREER = "later_career", "Being a consultant, GP or SAS doctor"


class HowOften(models.TextChoices):
    MONTHLY = "monthly", "About once a month"
    FORTNIGHTLY = "fortnightly", "About once a fortnight"
    WEEKLY = "weekly", "About once a week"


class SupporterStatus(models.TextChoices):
    OFFERED = "offered", "Offered, waiting for the service"
    APPROVED = "approved", "Approved"
    PAUSED = "paused", "Paused"
    STOPPED = "stopped", "Stopped"


class PeerSupporter(models.Model):
    """A doctor's offer to be a peer supporter with one service, and where it stands."""

    doctor = models.ForeignKey(DoctorProfile, on_delete=models.CASCADE, related_name="peer_supporter_records")
    service = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=SupporterStatus.choices, default=SupporterStatus.OFFERED)
    experiences = models.JSONField(default=list)  # Experience codes
    about = EncryptedTextField()  # in their own words, shown (without their name) to a doctor offered the match
    how_often = models.CharField(max_length=16, choices=HowOften.choices)
    most_at_once = models.PositiveSmallIntegerField(default=1)  # doctors at the same time
    boundaries_agreed_at = models.DateTimeField()
    preparation_done_on = models.DateField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    offered_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["doctor", "service"], name="one_peer_supporter_per_service")]

    @property
    def experience_labels(self) -> list[str]:
        return [Experience(code).label for code in self.experiences if code in Experience.values]


class RequestStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for a match"
    MATCHED = "matched", "Matched"
    ENDED = "ended", "Ended"


class PeerRequest(models.Model):
    """A doctor's request to talk with a peer supporter."""

    doctor = models.ForeignKey(DoctorProfile, on_delete=models.CASCADE, related_name="peer_requests")
    service = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    experiences = models.JSONField(default=list)
    # What the doctor chooses to tell the peer supporter (shown to them only once the doctor has said yes).
    to_tell = EncryptedTextField(blank=True)
    same_employer_ok = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.WAITING)
    asked_at = models.DateTimeField(auto_now_add=True)
    submission_token = models.UUIDField(unique=True)

    @property
    def experience_labels(self) -> list[str]:
        return [Experience(code).label for code in self.experiences if code in Experience.values]


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class EndedBy(models.TextChoices):
    DOCTOR = "doctor", "The doctor who asked"
    SUPPORTER = "supporter", "The peer supporter"
    SERVICE = "service", "The service"


class PeerMatch(models.Model):
    """A peer supporter suggested to a doctor by the case manager. Names and contact details are shown to each
    side only when both have said yes, and only until either ends it."""

    request = models.ForeignKey(PeerRequest, on_delete=models.CASCADE, related_name="matches")
    supporter = models.ForeignKey(PeerSupporter, on_delete=models.CASCADE, related_name="matches")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    doctor_answer = models.CharField(max_length=8, choices=Answer.choices, blank=True)
    doctor_answered_at = models.DateTimeField(null=True, blank=True)
    supporter_answer = models.CharField(max_length=8, choices=Answer.choices, blank=True)
    supporter_answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=16, choices=EndedBy.choices, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]

    @property
    def both_agreed(self) -> bool:
        return self.doctor_answer == Answer.YES and self.supporter_answer == Answer.YES and self.ended_at is None

    @property
    def is_open(self) -> bool:
        return self.ended_at is None and Answer.NO not in (self.doctor_answer, self.supporter_answer)


class PeerConcern(models.Model):
    """A peer supporter's worry about the doctor they talk with, for the case manager. Never part of a case."""

    match = models.ForeignKey(PeerMatch, on_delete=models.CASCADE, related_name="concerns")
    text = EncryptedTextField()
    raised_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submission_token = models.UUIDField(unique=True)


class PeerGroup(models.Model):
    service = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    purpose = models.TextField(max_length=TEXT_LIMIT)
    who_may_join = models.TextField(max_length=TEXT_LIMIT)
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    size_limit = models.PositiveSmallIntegerField()
    dates = models.CharField(max_length=300)  # "Every second Tuesday, 6pm to 7.30pm, from 12 January"
    starts_on = models.DateField()
    place = models.CharField(max_length=300)  # a room, or a video link
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "id"]


class MemberStatus(models.TextChoices):
    ASKED = "asked", "Asked to join"
    ADMITTED = "admitted", "Member"
    NOT_ADMITTED = "not_admitted", "Not admitted"
    LEFT = "left", "Left"


class GroupMember(models.Model):
    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="members")
    doctor = models.ForeignKey(DoctorProfile, on_delete=models.CASCADE, related_name="peer_groups")
    status = models.CharField(max_length=16, choices=MemberStatus.choices, default=MemberStatus.ASKED)
    # Whether the other members may see this member's first name (and this member theirs).
    share_first_name = models.BooleanField(default=False)
    asked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "doctor"], name="one_membership_per_group")]
        ordering = ["asked_at", "id"]


class GroupMeeting(models.Model):
    """That a meeting took place and who came. Nothing of what was said."""

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["group", "held_on"], name="one_meeting_per_group_and_day")]


class MeetingAttendance(models.Model):
    """That one member came to one meeting. Goes with the member (and so with the doctor's record)."""

    meeting = models.ForeignKey(GroupMeeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="attendance")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_meeting")]


class PracticeCheck(models.Model):
    """A GP practice's anonymous peer-support check. Holds counts only: see ``CheckTally``."""

    practice = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="peer_checks")
    number = models.PositiveSmallIntegerField()  # 1 for the practice's first check, then 2 ...
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    links_made = models.PositiveIntegerField(default=0)
    answers = models.PositiveIntegerField(default=0)
    submission_token = models.UUIDField(unique=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["practice", "number"], name="one_check_number_per_practice")]

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class CheckLink(models.Model):
    """One anonymous link: only a hash of its token is kept, and whether it has been used. Nothing says which
    answer it gave, nor when."""

    check_record = models.ForeignKey(PracticeCheck, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)


class CheckTally(models.Model):
    """How many people gave one option to one question of one check. Made (at zero) for every question and
    option when the check starts, so an answer only ever adds to existing rows."""

    check_record = models.ForeignKey(PracticeCheck, on_delete=models.CASCADE, related_name="tallies")
    question = models.CharField(max_length=32)
    option = models.CharField(max_length=16)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["check_record", "question", "option"], name="one_tally_per_option")
        ]
