"""Rules for the culture pulse, the self-assessment against the guide and signposts.

Who may do what: an organisation lead (``Role.ORGANISATION_LEAD``) runs their own organisation's pulse and
self-assessment and nobody else's; anyone signed in may give a signpost and see only their own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, F
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django_tasks_db.models import DBTaskResult

from supportpath.accounts.models import Membership, Organisation, Role
from supportpath.core.disclosure import MIN_PEOPLE, disclose_counts, disclose_table
from supportpath.guide.content import STATEMENT_BY_KEY, STATEMENTS, statements_by_stage
from supportpath.notifications.models import SentEmail
from supportpath.notifications.tasks import queue_email

from . import stats
from .models import AGREEING, Action, Agreement, OwnItem, PulseAnswer, PulseLink, PulseResponse, Rating, Signpost, Wave

# The five standard statements, in our own wording: not a validated scale (DESIGN.md §6). Principle 6 and
# CMOCs 1.1-1.4 and 6.1-6.3 of the RESTORE 2 paper are what they ask about.
STANDARD_ITEMS: tuple[tuple[str, str], ...] = (
    ("help-is-normal", "Here, asking for help with work or well-being is seen as a normal thing for a doctor to do."),
    ("know-how", "I know how to get professional support if I need it."),
    ("trust-confidential", "I trust that support I asked for would be kept confidential."),
    ("safe-to-speak", "I feel safe to speak up about problems at work."),
    ("leaders-open", "Leaders here talk openly about their own difficulties."),
)
NOT_VALIDATED = "These statements are our own wording. They are not a validated scale."
INVITE_KEY = "pulse-invite:"
SHARED_COOKIE = "pulse-shared-{}"


# --- who may ------------------------------------------------------------------------------------------------


def lead_organisations(user) -> list[Organisation]:
    if not user.is_authenticated:
        return []
    return [
        m.organisation
        for m in Membership.objects.filter(user=user, role=Role.ORGANISATION_LEAD).select_related("organisation")
    ]


def get_lead_organisation_for(user, pk: int) -> Organisation:
    for organisation in lead_organisations(user):
        if organisation.pk == pk:
            return organisation
    raise Http404("Not an organisation you lead")


def get_wave_for(user, pk: int) -> Wave:
    ids = [o.pk for o in lead_organisations(user)]
    wave = Wave.objects.select_related("organisation").filter(pk=pk, organisation_id__in=ids).first()
    if wave is None:
        raise Http404("No such wave")
    return wave


def get_action_for(user, pk: int) -> Action:
    ids = [o.pk for o in lead_organisations(user)]
    action = Action.objects.select_related("organisation").filter(pk=pk, organisation_id__in=ids).first()
    if action is None:
        raise Http404("No such action")
    return action


def get_signpost_for(user, pk: int) -> Signpost:
    signpost = Signpost.objects.filter(pk=pk, made_by=user).first() if user.is_authenticated else None
    if signpost is None:
        raise Http404("No such signpost")
    return signpost


# --- the pulse: waves and invitations ----------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_wave(
    organisation: Organisation,
    *,
    by,
    title: str,
    staff_groups: list[str],
    shared_link_cap: int = 0,
    submission_token: uuid.UUID | None = None,
    opened_on: dt.date | None = None,
) -> Wave:
    """Open a wave with the five standard statements and the organisation's own active ones. A form sent
    twice (the same ``submission_token``) opens one wave."""
    if submission_token is not None:
        existing = Wave.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    with transaction.atomic():
        wave = Wave.objects.create(
            organisation=organisation,
            title=title,
            opened_on=opened_on or timezone.localdate(),
            staff_groups=[g.strip() for g in staff_groups if g.strip()],
            shared_link_cap=shared_link_cap,
            created_by=by,
            submission_token=submission_token,
        )
        position = 0
        for key, text in STANDARD_ITEMS:
            position += 1
            wave.items.create(key=key, text=text, position=position, standard=True)
        for own in organisation.pulse_items.filter(active=True):
            position += 1
            wave.items.create(key=f"own-{own.pk}", text=own.text, position=position, standard=False)
    return wave


def add_own_item(organisation: Organisation, text: str) -> OwnItem:
    return OwnItem.objects.create(organisation=organisation, text=text.strip())


def parse_addresses(text: str) -> tuple[list[str], list[str]]:
    """The distinct valid addresses in ``text`` (one a line, or separated by commas or semicolons), and the
    entries that are not addresses."""
    good: list[str] = []
    bad: list[str] = []
    for raw in text.replace(",", "\n").replace(";", "\n").splitlines():
        entry = raw.strip()
        if not entry:
            continue
        try:
            validate_email(entry)
        except Exception:  # noqa: BLE001 - Django's ValidationError: reported back to the lead
            bad.append(entry)
            continue
        if entry.lower() not in good:
            good.append(entry.lower())
    return good, bad


def issue_links(wave: Wave, count: int) -> list[str]:
    """Make ``count`` single-use links and return their tokens; only each token's hash is stored, in an order
    that says nothing about the order they were made in. The caller hands each token to one person."""
    if wave.status != Wave.Status.OPEN:
        raise ValueError("The wave is closed")
    tokens = [secrets.token_urlsafe(24) for _ in range(count)]
    links = [PulseLink(wave=wave, token_hash=hash_token(token)) for token in tokens]
    secrets.SystemRandom().shuffle(links)
    PulseLink.objects.bulk_create(links)
    Wave.objects.filter(pk=wave.pk).update(invitations_sent=F("invitations_sent") + count)
    return tokens


def send_invitations(wave: Wave, addresses: list[str], *, site_url: str) -> int:
    """One single-use link per address, emailed; only each link's hash is kept. The addresses are not stored
    anywhere by us: once the emails have gone, ``forget_invitation_addresses`` removes the email rows too."""
    item_count = wave.items.count()
    with transaction.atomic():
        tokens = issue_links(wave, len(addresses))
        for address, token in zip(addresses, tokens, strict=True):
            queue_email(
                # The key names the wave and a random number: neither the address nor the token.
                key=f"{INVITE_KEY}{wave.pk}:{secrets.token_hex(8)}",
                to=address,
                subject=f"{wave.organisation.name}: a short anonymous survey about asking for help",
                template="culture/email/pulse_invitation.txt",
                context={
                    "organisation": wave.organisation.name,
                    "link": f"{site_url}/pulse/{token}/",
                    "item_count": item_count,
                },
            )
        transaction.on_commit(lambda: forget_invitation_addresses())
    return len(addresses)


def forget_invitation_addresses() -> int:
    """Remove every trace of invitation addresses once their emails are finished: the sent-email rows (which
    keep the address) and the finished background tasks (whose arguments held the address and the link).
    Emails still waiting to go are left until they have gone; the daily job runs this again."""
    finished = SentEmail.objects.filter(key__startswith=INVITE_KEY).exclude(status="sending").exclude(status="waiting")
    removed, _ = finished.delete()
    task_rows = DBTaskResult.objects.filter(
        task_path="supportpath.notifications.tasks.send_email", status__in=["SUCCESSFUL", "FAILED"]
    ).filter(args_kwargs__kwargs__key__startswith=INVITE_KEY)
    removed += task_rows.delete()[0]
    return removed


def shared_token(wave: Wave) -> str:
    """The shared link's token, derived from the wave with the site's secret (so nothing needs storing)."""
    return f"{wave.pk}-{salted_hmac('supportpath.culture.shared-link', str(wave.pk)).hexdigest()[:32]}"


def wave_for_shared_token(token: str) -> Wave | None:
    number, _, _ = token.partition("-")
    if not number.isdigit():
        return None
    wave = Wave.objects.select_related("organisation").filter(pk=int(number)).first()
    if wave is None or wave.shared_link_cap == 0 or not constant_time_compare(token, shared_token(wave)):
        return None
    return wave


def wave_for_link(token: str) -> tuple[Wave | None, bool]:
    """The wave a single-use link belongs to, and whether it is still unused."""
    link = PulseLink.objects.select_related("wave", "wave__organisation").filter(token_hash=hash_token(token)).first()
    if link is None:
        return None, False
    return link.wave, not link.used


class LinkUsed(Exception):
    pass


def _store_answers(wave: Wave, answers: dict[int, str], staff_group: str) -> None:
    response = PulseResponse.objects.create(
        wave=wave, staff_group=staff_group if staff_group in wave.staff_groups else ""
    )
    valid = set(wave.items.values_list("pk", flat=True))
    PulseAnswer.objects.bulk_create(
        PulseAnswer(response=response, item_id=item, choice=choice)
        for item, choice in answers.items()
        if item in valid and choice in Agreement.values
    )


def answer_by_link(token: str, answers: dict[int, str], staff_group: str = "") -> Wave:
    """Use a single-use link once: mark it used and store the answers, with nothing to tie one to the other."""
    with transaction.atomic():
        link = PulseLink.objects.select_for_update().select_related("wave").filter(token_hash=hash_token(token)).first()
        if link is None or link.used or link.wave.status != Wave.Status.OPEN:
            raise LinkUsed
        link.used = True
        link.save(update_fields=["used"])
        _store_answers(link.wave, answers, staff_group)
    return link.wave


def answer_by_shared_link(wave: Wave, answers: dict[int, str], staff_group: str = "") -> bool:
    """Store answers through the shared link while its cap allows; False when the cap is reached."""
    with transaction.atomic():
        counted = Wave.objects.filter(
            pk=wave.pk, status=Wave.Status.OPEN, shared_answers__lt=F("shared_link_cap")
        ).update(shared_answers=F("shared_answers") + 1)
        if not counted:
            return False
        _store_answers(wave, answers, staff_group)
    return True


def close_wave(wave: Wave) -> None:
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.CLOSED)


# --- the pulse: results ------------------------------------------------------------------------------------


@dataclass
class ItemResult:
    key: str
    text: str
    standard: bool
    counts: dict[str, str]  # by answer label, disclosed
    percentages: dict[str, str]
    agreeing: str  # disclosed count of people agreeing
    agreeing_percent: str
    total: str
    rounded: tuple[int, int] | None  # (agreeing, total) as shown, for the change between waves
    by_group: list[tuple[str, str, str, str]] = field(default_factory=list)  # group, agreeing, total, percent
    change: str = ""


@dataclass
class WaveResults:
    wave: Wave
    people: int
    shown: bool
    items: list[ItemResult]
    groups_shown: bool
    groups_note: str
    compared_with: Wave | None = None


def results(wave: Wave, *, compare: bool = True) -> WaveResults:
    """The wave's results under the disclosure rule: nothing below 10 answers; by staff group only where every
    group (including "not said") has 10 or more; the change from the organisation's previous wave with its
    95% interval, computed from the shown (rounded) figures."""
    people = wave.responses.count()
    items = list(wave.items.all())
    if people < MIN_PEOPLE:
        return WaveResults(wave, people, False, [], False, "")
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in PulseAnswer.objects.filter(response__wave=wave).values("item_id", "choice").annotate(n=Count("pk")):
        counts[row["item_id"]][row["choice"]] = row["n"]
    group_sizes = dict(
        wave.responses.values_list("staff_group").annotate(n=Count("pk")).values_list("staff_group", "n")
    )
    groups_shown = bool(wave.staff_groups) and len(group_sizes) > 1 and min(group_sizes.values()) >= MIN_PEOPLE
    by_group: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    if groups_shown:
        rows = (
            PulseAnswer.objects.filter(response__wave=wave)
            .values("item_id", "response__staff_group", "choice")
            .annotate(n=Count("pk"))
        )
        tally: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
        for row in rows:
            cell = tally[(row["item_id"], row["response__staff_group"])]
            cell[0 if row["choice"] in AGREEING else 1] += row["n"]
        for (item_id, group), (yes, no) in tally.items():
            by_group[item_id][group] = (yes, no)
    groups_note = (
        ""
        if groups_shown or not wave.staff_groups
        else "Results by staff group are not shown: at least one group has fewer than 10 answers."
    )
    result_items = []
    for item in items:
        by_choice = counts.get(item.pk, {})
        disclosed = disclose_counts({a.label: by_choice.get(a.value, 0) for a in Agreement})
        yes = sum(n for c, n in by_choice.items() if c in AGREEING)
        no = sum(n for c, n in by_choice.items() if c not in AGREEING)
        two = disclose_counts({"agree": yes, "other": no})
        rounded = None
        if two.shown and two.counts["agree"] != "*" and two.counts["other"] != "*" and int(two.total) > 0:
            rounded = (int(two.counts["agree"]), int(two.total))
        group_rows = []
        if groups_shown:
            names = sorted(group_sizes, key=lambda g: (g == "", g))
            table = disclose_table([list(by_group[item.pk].get(g, (0, 0))) for g in names])
            for index, name in enumerate(names):
                group_rows.append(
                    (
                        name or "Not said",
                        table.cells[index][0],
                        table.row_totals[index],
                        table.row_percentages[index][0],
                    )
                )
        result_items.append(
            ItemResult(
                key=item.key,
                text=item.text,
                standard=item.standard,
                counts=disclosed.counts,
                percentages=disclosed.percentages,
                agreeing=two.counts["agree"],
                agreeing_percent=two.percentages["agree"],
                total=two.total,
                rounded=rounded,
                by_group=group_rows,
            )
        )
    outcome = WaveResults(wave, people, True, result_items, groups_shown, groups_note)
    if compare:
        earlier = (
            Wave.objects.filter(organisation=wave.organisation, opened_on__lte=wave.opened_on)
            .exclude(pk=wave.pk)
            .filter(opened_on__lt=wave.opened_on)
            .order_by("-opened_on", "-pk")
            .first()
        )
        if earlier is not None:
            before = results(earlier, compare=False)
            if before.shown:
                outcome.compared_with = earlier
                earlier_by_key = {i.key: i for i in before.items}
                for item in result_items:
                    was = earlier_by_key.get(item.key)
                    item.change = describe_change(item.rounded, was.rounded if was else None)
    return outcome


def describe_change(later: tuple[int, int] | None, earlier: tuple[int, int] | None) -> str:
    if later is None or earlier is None:
        return "Not shown"
    change = stats.difference(later, earlier)
    d, low, high = change.points()
    return f"{d:+d} points (95% CI {low:+d} to {high:+d})"


# --- the self-assessment against the guide -------------------------------------------------------------------


def rate(organisation: Organisation, statement: str, level: str, evidence: str, *, by) -> Rating:
    if statement not in STATEMENT_BY_KEY:
        raise ValueError("No such statement")
    latest = current_ratings(organisation).get(statement)
    if latest is not None and latest.level == level and latest.evidence == evidence.strip():
        return latest  # the same rating sent twice is one rating
    return Rating.objects.create(
        organisation=organisation, statement=statement, level=level, evidence=evidence.strip(), rated_by=by
    )


def current_ratings(organisation: Organisation) -> dict[str, Rating]:
    latest: dict[str, Rating] = {}
    for rating in Rating.objects.filter(organisation=organisation).order_by("-rated_at", "-pk"):
        latest.setdefault(rating.statement, rating)
    return latest


def history(organisation: Organisation) -> list[Rating]:
    return list(
        Rating.objects.filter(organisation=organisation).select_related("rated_by").order_by("-rated_at", "-pk")
    )


def gaps(organisation: Organisation) -> list[tuple]:
    """Statements rated "not yet" or "partly", in the guide's order, each with its current rating and actions."""
    ratings = current_ratings(organisation)
    actions = defaultdict(list)
    for action in Action.objects.filter(organisation=organisation):
        actions[action.statement].append(action)
    return [
        (statement, ratings[statement.key], actions[statement.key])
        for statement in STATEMENTS
        if statement.key in ratings and ratings[statement.key].level != Rating.Level.FULLY
    ]


def add_action(
    organisation: Organisation,
    *,
    statement: str,
    description: str,
    owner_name: str,
    owner_email: str,
    due_on: dt.date,
    by,
    submission_token: uuid.UUID | None = None,
) -> Action:
    if statement not in STATEMENT_BY_KEY:
        raise ValueError("No such statement")
    if submission_token is not None:
        existing = Action.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    return Action.objects.create(
        organisation=organisation,
        statement=statement,
        description=description.strip(),
        owner_name=owner_name.strip(),
        owner_email=owner_email.strip(),
        due_on=due_on,
        created_by=by,
        submission_token=submission_token,
    )


def update_action(action: Action, *, progress: str, progress_note: str, due_on: dt.date) -> Action:
    action.progress = progress
    action.progress_note = progress_note.strip()
    action.due_on = due_on
    action.save(update_fields=["progress", "progress_note", "due_on"])
    return action


def remind_due_actions(today: dt.date | None = None, *, site_url: str = "") -> int:
    """Email each action's owner once when it falls due (and once more for each new due date), unless done."""
    today = today or timezone.localdate()
    site_url = site_url or settings.SITE_URL
    sent = 0
    due = Action.objects.select_related("organisation").filter(due_on__lte=today).exclude(progress=Action.Progress.DONE)
    for action in due:
        if action.reminded_for == action.due_on:
            continue
        with transaction.atomic():
            claimed = (
                Action.objects.filter(pk=action.pk)
                .exclude(reminded_for=action.due_on)
                .update(reminded_for=action.due_on)
            )
            if not claimed:
                continue
            statement = STATEMENT_BY_KEY.get(action.statement)
            queue_email(
                key=f"culture-action-due:{action.pk}:{action.due_on.isoformat()}",
                to=action.owner_email,
                subject=f"{action.organisation.name}: an action against the guide is due",
                template="culture/email/action_due.txt",
                context={
                    "name": action.owner_name,
                    "organisation": action.organisation.name,
                    "description": action.description,
                    "statement": statement.text if statement else "",
                    "due_on": action.due_on.strftime("%-d %B %Y"),
                    "progress": action.get_progress_display(),
                    "site_url": site_url,
                },
            )
            sent += 1
    return sent


@dataclass
class Summary:
    organisation: Organisation
    by_stage: list[tuple]  # (stage, [(statement, rating or None, actions)])
    counts: dict[str, int]
    actions: list[Action]
    latest_wave: Wave | None
    latest_results: WaveResults | None


def summary(organisation: Organisation) -> Summary:
    ratings = current_ratings(organisation)
    actions = list(Action.objects.filter(organisation=organisation))
    by_statement = defaultdict(list)
    for action in actions:
        by_statement[action.statement].append(action)
    counts = {level.value: 0 for level in Rating.Level}
    counts["unrated"] = 0
    by_stage = []
    for stage, statements in statements_by_stage():
        rows = []
        for statement in statements:
            rating = ratings.get(statement.key)
            counts[rating.level if rating else "unrated"] += 1
            rows.append((statement, rating, by_statement[statement.key]))
        by_stage.append((stage, rows))
    latest_wave = organisation.pulse_waves.first()
    return Summary(
        organisation=organisation,
        by_stage=by_stage,
        counts=counts,
        actions=actions,
        latest_wave=latest_wave,
        latest_results=results(latest_wave) if latest_wave else None,
    )


# --- signposts ----------------------------------------------------------------------------------------------


def make_signpost(user, given_as: str, submission_token: uuid.UUID | None = None) -> Signpost:
    if submission_token is not None:
        existing = Signpost.objects.filter(submission_token=submission_token, made_by=user).first()
        if existing is not None:
            return existing
    return Signpost.objects.create(
        made_by=user, given_as=given_as, token=secrets.token_urlsafe(16), submission_token=submission_token
    )


def signpost_for_token(token: str) -> Signpost | None:
    return Signpost.objects.select_related("made_by").filter(token=token).first()
