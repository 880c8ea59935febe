import pytest
from django.urls import reverse

from supportpath.accounts.models import EqualityMonitoring
from supportpath.testing.auth import login_as


@pytest.mark.django_db
def test_every_answer_defaults_to_prefer_not_to_say(client, world):
    login_as(client, world.doctor)
    page = client.get(reverse("accounts:equality_monitoring")).content.decode()
    assert page.count('value="prefer_not_to_say" checked') == 4


@pytest.mark.django_db
def test_answers_are_saved_apart_and_can_be_changed(client, world):
    login_as(client, world.doctor)
    data = {"age_band": "25_to_35", "gender": "female", "ethnic_group": "asian", "disability": "prefer_not_to_say"}
    client.post(reverse("accounts:equality_monitoring"), data)
    client.post(reverse("accounts:equality_monitoring"), {**data, "gender": "prefer_not_to_say"})
    record = EqualityMonitoring.objects.get(doctor=world.doctor.doctor_profile)
    assert (record.age_band, record.gender) == ("25_to_35", "prefer_not_to_say")


@pytest.mark.django_db
def test_a_made_up_answer_is_refused(client, world):
    login_as(client, world.doctor)
    page = client.post(
        reverse("accounts:equality_monitoring"),
        {"age_band": "ancient", "gender": "female", "ethnic_group": "asian", "disability": "no"},
    ).content.decode()
    assert "Select one of the answers" in page
    assert not EqualityMonitoring.objects.exists()
