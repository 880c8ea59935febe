import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from supportpath.testing.auth import login_as
from supportpath.testing.factories import PASSWORD

START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def minutes(n: int) -> dt.datetime:
    return START + dt.timedelta(minutes=n)


def signed_in(client) -> bool:
    response = client.get(reverse("accounts:your_account"))
    return response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "limit"), [("case_manager", 15), ("facilitator", 15), ("doctor", 30)])
def test_people_are_signed_out_after_their_idle_limit(client, world, persona, limit):
    with time_machine.travel(START, tick=False) as traveller:
        login_as(client, world.persona(persona))
        assert signed_in(client)
        traveller.move_to(minutes(limit - 1))
        assert signed_in(client)  # activity resets the clock
        traveller.move_to(minutes(2 * limit - 1))
        assert signed_in(client)
        traveller.move_to(minutes(3 * limit))
        response = client.get(reverse("accounts:your_account"))
        assert response.status_code == 302 and "/account/sign-in/" in response["Location"]
        assert not signed_in(client)


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "every"), [("doctor", 29), ("case_manager", 14), ("referrer", 14)])
def test_nobody_stays_signed_in_for_more_than_twelve_hours(client, world, persona, every):
    with time_machine.travel(START, tick=False) as traveller:
        login_as(client, world.persona(persona))
        step = 0
        while every * (step + 1) <= 12 * 60:  # active all day, never idle for long
            step += 1
            traveller.move_to(minutes(every * step))
            assert signed_in(client)
        traveller.move_to(minutes(12 * 60 + 1))
        assert not signed_in(client)


@pytest.mark.django_db
def test_signing_in_again_after_the_time_out_needs_the_second_factor_again(client, world):
    with time_machine.travel(START, tick=False) as traveller:
        login_as(client, world.case_manager)
        traveller.move_to(minutes(16))
        assert not signed_in(client)
        client.post(reverse("accounts:sign_in"), {"email": world.case_manager.email, "password": PASSWORD})
        response = client.get(reverse("casework:inbox"))
        assert response.status_code == 302 and "/account/two-step/code/" in response["Location"]
