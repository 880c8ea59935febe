"""Forms of peer support. Messages in the NHS's words; every form keeps what was typed when something is wrong."""

from django import forms

from supportpath.core.form_fields import long_text, uk_date

from . import check_questions
from .models import Experience, HowOften

YES_NO = [("yes", "Yes"), ("no", "No")]


def _experiences(label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=Experience.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select at least one experience"},
    )


class ServiceChoice(forms.Form):
    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.services = list(services)
        if len(self.services) > 1:
            self.fields["service"] = forms.ChoiceField(
                label="Which service is this for?",
                choices=[(str(s.pk), s.name) for s in self.services],
                widget=forms.RadioSelect,
                error_messages={"required": "Select the service"},
            )

    @property
    def service(self):
        if len(self.services) == 1:
            return self.services[0]
        chosen = self.cleaned_data.get("service")
        return next((s for s in self.services if str(s.pk) == chosen), None)


class OfferForm(ServiceChoice):
    experiences = _experiences("Which experiences would you be willing to talk about?")
    about = long_text(
        "About you, in your own words",
        required=True,
        hint="What you went through and what helped, as you would like a doctor to read it. Your name is not shown "
        "until you both agree to talk. Up to 1500 characters.",
        limit=1500,
    )
    how_often = forms.ChoiceField(
        label="How often could you talk with a doctor?",
        choices=HowOften.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how often you could talk with a doctor"},
    )
    most_at_once = forms.ChoiceField(
        label="How many doctors could you support at the same time?",
        choices=[("1", "1"), ("2", "2"), ("3", "3")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how many doctors you could support at the same time"},
    )
    boundaries = forms.BooleanField(
        label="I agree to these boundaries",
        error_messages={"required": "Agree to the boundaries to offer to be a peer supporter"},
    )


class ApproveForm(forms.Form):
    preparation_done_on = uk_date("Date their preparation was done", "15/11/2026")


class AskForm(ServiceChoice):
    experiences = _experiences("What would you like to talk about with someone who has been there?")
    to_tell = long_text(
        "Anything you would like your peer supporter to know (optional)",
        hint="Only a peer supporter you say yes to will read this, and only after you say yes. It does not go into "
        "your support record. Up to 1000 characters.",
        limit=1000,
    )
    same_employer = forms.ChoiceField(
        label="Would a peer supporter who works for your employer be all right?",
        choices=[("no", "No, someone from elsewhere"), ("yes", "Yes, that is fine")],
        widget=forms.RadioSelect,
        initial="no",
        error_messages={"required": "Select whether someone from your employer would be all right"},
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)


class ProposeForm(forms.Form):
    supporter = forms.IntegerField(widget=forms.HiddenInput)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Would you like to talk with this peer supporter?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes or no"},
    )


class ConcernForm(forms.Form):
    text = long_text(
        "What worries you?",
        required=True,
        hint="The case manager will read this and decide what to do. Up to 1500 characters.",
        limit=1500,
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)


class GroupForm(forms.Form):
    name = forms.CharField(
        label="Name of the group", max_length=120, error_messages={"required": "Enter the name of the group"}
    )
    purpose = long_text("What the group is for", required=True, limit=1500)
    who_may_join = long_text("Who may join", required=True, limit=1500)
    facilitator = forms.ChoiceField(label="Facilitator", error_messages={"required": "Select the facilitator"})
    size_limit = forms.IntegerField(
        label="Most members at once",
        min_value=2,
        max_value=30,
        error_messages={
            "required": "Enter the most members at once",
            "min_value": "A group needs at least 2 members",
            "max_value": "A group can have at most 30 members",
            "invalid": "Enter a number, like 8",
        },
    )
    starts_on = uk_date("First meeting", "12/01/2027")
    dates = forms.CharField(
        label="When it meets",
        max_length=300,
        help_text="For example, every second Tuesday, 6pm to 7.30pm",
        error_messages={"required": "Enter when the group meets"},
    )
    place = forms.CharField(
        label="Where it meets, or the video link", max_length=300, error_messages={"required": "Enter where it meets"}
    )

    def __init__(self, *args, facilitators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].choices = [("", "Choose")] + [(str(u.pk), u.full_name) for u in facilitators]


class JoinForm(forms.Form):
    share_first_name = forms.ChoiceField(
        label="May the other members see your first name?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="You will see theirs only if you agree too. You can change this later.",
        error_messages={"required": "Select yes or no"},
    )


class MeetingForm(forms.Form):
    held_on = uk_date("Date of the meeting", "12/01/2027")
    came = forms.MultipleChoiceField(
        label="Who came", required=False, widget=forms.CheckboxSelectMultiple, help_text="Select everyone who came."
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["came"].choices = [(str(m.pk), m.doctor.user.full_name) for m in members]


class StartCheckForm(forms.Form):
    team_size = forms.IntegerField(
        label="How many people are in the practice team?",
        help_text="Everyone who works in the practice: GPs, nurses, reception, managers. You get one link for each.",
        min_value=5,
        max_value=200,
        error_messages={
            "required": "Enter how many people are in the team",
            "min_value": "A check needs at least 5 people: with fewer, no results could ever be shown",
            "max_value": "Enter 200 or fewer",
            "invalid": "Enter a number, like 12",
        },
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)


class CheckAnswerForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for q in check_questions.QUESTIONS:
            self.fields[q.key] = forms.ChoiceField(
                label=q.text,
                help_text=q.hint,
                choices=q.options,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select an answer about {q.title.lower()}"},
            )
