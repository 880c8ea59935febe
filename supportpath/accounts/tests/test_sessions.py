import pytest
from django.test import Client
from django.urls import reverse

from supportpath.testing.auth import login_as
from supportpath.testing.factories import PASSWORD


@pytest.mark.django_db
def test_signing_in_gives_a_new_session_id(client, world):
    client.get(reverse("accounts:sign_in"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("accounts:sign_in"), {"email": world.doctor.email, "password": PASSWORD})
    assert client.session.session_key != before


@pytest.mark.django_db
def test_sign_out_everywhere_ends_every_session(world):
    laptop, phone = Client(), Client()
    login_as(laptop, world.doctor)
    login_as(phone, world.doctor)
    assert phone.get(reverse("accounts:your_account")).status_code == 200
    laptop.post(reverse("accounts:sign_out_everywhere"))
    for device in (laptop, phone):
        response = device.get(reverse("accounts:your_account"))
        assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


@pytest.mark.django_db
def test_the_same_message_for_an_unknown_email_and_a_wrong_password(client, world):
    unknown = client.post(reverse("accounts:sign_in"), {"email": "nobody@example.test", "password": "whatever"})
    wrong = client.post(reverse("accounts:sign_in"), {"email": world.doctor.email, "password": "not the password"})
    message = "The email address or password is not right"
    assert message in unknown.content.decode() and message in wrong.content.decode()


@pytest.mark.django_db
def test_staff_get_a_new_session_id_at_the_password_and_again_at_the_second_factor(client, world):
    from supportpath.testing.auth import authenticator_for, current_code

    device = authenticator_for(world.case_manager)
    client.get(reverse("accounts:sign_in"))
    client.session.save()
    anonymous = client.session.session_key
    client.post(reverse("accounts:sign_in"), {"email": world.case_manager.email, "password": PASSWORD})
    after_password = client.session.session_key
    client.post(reverse("accounts:second_factor_verify"), {"code": current_code(device)})
    assert len({anonymous, after_password, client.session.session_key}) == 3
    assert client.get(reverse("casework:inbox")).status_code == 200
