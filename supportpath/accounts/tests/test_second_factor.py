"""Two-step sign-in: every staff role must use an authenticator app (or a backup code); doctors may choose to."""

import base64
import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from supportpath.accounts import second_factor
from supportpath.accounts.middleware import SecondFactorMiddleware
from supportpath.accounts.models import STAFF_ROLES
from supportpath.testing import factories as f
from supportpath.testing.access_table import read_policy, routed_urls, sample_url
from supportpath.testing.auth import authenticator_for, current_code, login_as
from supportpath.testing.factories import PASSWORD

SIGN_IN = reverse("accounts:sign_in")
SET_UP = reverse("accounts:second_factor_setup")
VERIFY = reverse("accounts:second_factor_verify")
STAFF_PERSONAS = [
    "referrer",
    "case_manager",
    "other_case_manager",
    "facilitator",
    "other_facilitator",
    "service_admin",
    "responsible_officer",
    "evaluator",
]
# The first row of each URL in the access-policy table (docs/access-policy.md).
POLICY_ROWS = {}
for _row in read_policy():
    POLICY_ROWS.setdefault(_row.url_name, _row)


def sign_in_with_password(client: Client, user, next_url: str = ""):
    data = {"email": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(SIGN_IN, data)


def needs_signing_in(url_name: str) -> bool:
    """Pages that an anonymous visitor is sent to sign in for: everything that is not public."""
    return POLICY_ROWS[url_name].outcomes["anonymous"] == "login"


def url_for(world, url_name: str) -> str:
    """The URL of the table's first row for it. The second factor is asked for before any page looks at its
    arguments, so these need only be of the right kind (a number, a reference)."""
    return sample_url(POLICY_ROWS[url_name])


@pytest.mark.django_db
@pytest.mark.parametrize("has_app", [False, True], ids=["no app yet", "app set up"])
@pytest.mark.parametrize("persona", STAFF_PERSONAS)
def test_every_signed_in_url_refuses_a_staff_session_without_the_second_factor(world, persona, has_app):
    user = world.persona(persona)
    if has_app:
        authenticator_for(user)
    client = login_as(Client(), user, verified=False)
    expected = VERIFY if has_app else SET_UP
    checked = 0
    for url_name in sorted(routed_urls()):
        if not needs_signing_in(url_name) or url_name in SecondFactorMiddleware.OPEN_URL_NAMES:
            continue
        url = url_for(world, url_name)
        for response in (client.get(url), client.post(url, {})):
            assert response.status_code == 302, f"{persona} reached {url} without the second factor"
            assert response["Location"].startswith(expected + "?next="), f"{url}: {response['Location']}"
        checked += 1
    # Every page behind sign-in was tried (the access-policy test proves every URL has a row).
    open_ones = SecondFactorMiddleware.OPEN_URL_NAMES
    assert checked == sum(1 for name in POLICY_ROWS if needs_signing_in(name) and name not in open_ones) > 30


@pytest.mark.django_db
@pytest.mark.parametrize("persona", STAFF_PERSONAS)
def test_staff_without_the_second_factor_still_reach_public_pages_and_can_sign_out(world, persona):
    client = login_as(Client(), world.persona(persona), verified=False)
    assert client.get(reverse("core:urgent_help")).status_code == 200
    assert client.get(reverse("core:start")).status_code == 200
    assert client.post(reverse("accounts:sign_out")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_every_staff_role_is_sent_to_set_up_the_second_factor_after_the_password(client, role):
    user = f.MembershipFactory(role=role).user
    response = sign_in_with_password(client, user)
    assert response.status_code == 302 and response["Location"] == SET_UP
    assert client.get(reverse("accounts:your_account"))["Location"].startswith(SET_UP)


@pytest.mark.django_db
def test_a_doctor_who_has_not_chosen_two_step_sign_in_is_not_asked_for_a_code(client, world):
    response = sign_in_with_password(client, world.doctor)
    assert response.status_code == 302 and response["Location"] == reverse("referrals:my_support")
    assert client.get(reverse("referrals:my_support")).status_code == 200


@pytest.mark.django_db
def test_setting_up_shows_the_secret_as_text_and_a_qr_code_then_ten_backup_codes_once(client, world):
    user = world.case_manager
    sign_in_with_password(client, user, next_url=reverse("casework:cases"))
    page = client.get(SET_UP + "?next=" + reverse("casework:cases"))
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", html).group(1)
    assert base64.b32decode(secret.replace(" ", "")) == device.bin_key
    qr = re.search(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"[^>]* alt="QR code', html).group(1)
    assert base64.b64decode(qr).startswith(b"<?xml") and b"<svg" in base64.b64decode(qr)
    assert "You need to set this up before you can continue" in html
    # Reloading keeps the same secret (the app may already have it).
    assert secret in client.get(SET_UP).content.decode()

    wrong = client.post(SET_UP, {"code": "000000"})
    assert "The code is not right" in wrong.content.decode()
    assert client.get(reverse("casework:inbox")).status_code == 302

    before = client.session.session_key
    done = client.post(SET_UP, {"code": current_code(device), "next": reverse("casework:cases")})
    assert done.status_code == 302 and done["Location"].startswith(reverse("accounts:backup_codes"))
    assert client.session.session_key != before
    shown = client.get(done["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", shown)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(codes) == sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert f'href="{reverse("casework:cases")}"' in shown
    again = client.get(reverse("accounts:backup_codes")).content.decode()
    assert not any(code in again for code in codes)
    assert "You have 10 unused backup codes" in again
    assert client.get(reverse("casework:inbox")).status_code == 200


@pytest.mark.django_db
def test_signing_in_asks_for_the_code_after_the_password_and_gives_a_new_session_id(client, world):
    device = authenticator_for(world.facilitator)
    response = sign_in_with_password(client, world.facilitator)
    assert response["Location"] == VERIFY
    assert "Enter the code your app shows now" in client.post(VERIFY, {"code": "123456"}).content.decode()
    assert client.get(reverse("facilitation:my_allocations")).status_code == 302
    before = client.session.session_key
    done = client.post(VERIFY, {"code": current_code(device)})
    assert done.status_code == 302 and done["Location"] == reverse("facilitation:my_allocations")
    assert client.session.session_key != before
    assert client.get(reverse("facilitation:my_allocations")).status_code == 200


@pytest.mark.django_db
def test_an_app_set_up_at_a_past_moment_is_checked_against_that_moment_and_signs_in_now():
    """Without a request: an app with a given key, confirmed with the code it showed a minute ago (as the
    fictional demo sets up its staff's apps as history). That code is used up; the one it shows now signs in."""
    user = f.MembershipFactory(role="facilitator").user
    key = bytes(range(20))
    device = second_factor.pending_authenticator(user, key=key.hex())
    assert second_factor.pending_authenticator(user, key=key.hex()) == device  # the same app until it is confirmed
    then = timezone.now() - dt.timedelta(minutes=1)

    def code_at(moment):
        app = TOTP(key)
        app.time = moment.timestamp()
        return f"{app.token():06d}"

    assert second_factor.confirm_app(device, code_at(then - dt.timedelta(minutes=10)), at=then) is None
    codes = second_factor.confirm_app(device, code_at(then), at=then)
    assert codes is not None and len(codes) == StaticToken.objects.filter(device__user=user).count()
    device.refresh_from_db()
    assert device.confirmed and device.key == key.hex()
    assert second_factor.confirm_app(device, code_at(then), at=then) is None  # used up
    client = Client()
    sign_in_with_password(client, user)
    now_code = f"{totp(key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"
    assert client.post(VERIFY, {"code": now_code}).status_code == 302


@pytest.mark.django_db
def test_the_same_app_code_cannot_be_used_twice(world):
    device = authenticator_for(world.case_manager)
    code = current_code(device)
    first, second = Client(), Client()
    sign_in_with_password(first, world.case_manager)
    assert first.post(VERIFY, {"code": code}).status_code == 302
    sign_in_with_password(second, world.case_manager)
    assert second.post(VERIFY, {"code": code}).status_code == 200
    assert second.get(reverse("casework:inbox")).status_code == 302


@pytest.mark.django_db
def test_a_backup_code_works_once(world):
    from supportpath.accounts.second_factor import replace_backup_codes

    authenticator_for(world.case_manager)
    code = replace_backup_codes(world.case_manager)[0]
    first, second = Client(), Client()
    sign_in_with_password(first, world.case_manager)
    assert first.post(VERIFY, {"code": code.upper()}).status_code == 302
    assert first.get(reverse("casework:inbox")).status_code == 200
    sign_in_with_password(second, world.case_manager)
    assert "has been used" in second.post(VERIFY, {"code": code}).content.decode()
    assert second.get(reverse("casework:inbox")).status_code == 302


@pytest.mark.django_db
def test_staff_with_an_app_cannot_set_up_another_one_before_giving_a_code(client, world):
    authenticator_for(world.case_manager)
    sign_in_with_password(client, world.case_manager)
    response = client.get(SET_UP)
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert TOTPDevice.objects.filter(user=world.case_manager).count() == 1


@pytest.mark.django_db
def test_staff_cannot_turn_two_step_sign_in_off(client, world):
    login_as(client, world.case_manager)
    client.post(reverse("accounts:second_factor_off"))
    assert TOTPDevice.objects.filter(user=world.case_manager, confirmed=True).exists()
    assert "Turn off two-step sign-in" not in client.get(reverse("accounts:your_account")).content.decode()


@pytest.mark.django_db
def test_a_doctor_can_choose_two_step_sign_in_and_is_then_asked_for_a_code(client, world):
    login_as(client, world.doctor)
    account = client.get(reverse("accounts:your_account")).content.decode()
    assert "Two-step sign-in is off" in account
    page = client.get(SET_UP).content.decode()
    assert "You need to set this up" not in page
    device = TOTPDevice.objects.get(user=world.doctor)
    assert client.post(SET_UP, {"code": current_code(device)}).status_code == 302

    later = Client()
    assert sign_in_with_password(later, world.doctor)["Location"] == VERIFY
    assert later.get(reverse("referrals:my_support"))["Location"].startswith(VERIFY)
    assert later.post(VERIFY, {"code": current_code(device)})["Location"] == reverse("referrals:my_support")


@pytest.mark.django_db
def test_a_doctor_can_turn_two_step_sign_in_off_again(client, world):
    authenticator_for(world.doctor)
    login_as(client, world.doctor)
    assert "Turn off two-step sign-in" in client.get(reverse("accounts:your_account")).content.decode()
    client.post(reverse("accounts:second_factor_off"))
    assert not TOTPDevice.objects.filter(user=world.doctor).exists()
    assert sign_in_with_password(Client(), world.doctor)["Location"] == reverse("referrals:my_support")


@pytest.mark.django_db
def test_making_new_backup_codes_stops_the_old_ones(client, world):
    from supportpath.accounts.second_factor import replace_backup_codes

    old = replace_backup_codes(world.case_manager)
    login_as(client, world.case_manager)
    response = client.post(reverse("accounts:backup_codes"))
    new = re.findall(r"<li><code>([a-z2-7]+)</code></li>", client.get(response["Location"]).content.decode())
    assert len(new) == 10
    assert not StaticToken.objects.filter(token__in=old).exists()


@pytest.mark.django_db
def test_wrong_codes_slow_down_guessing(client, world):
    start = dt.datetime(2026, 11, 23, 9, 0, 5, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        device = authenticator_for(world.case_manager)
        sign_in_with_password(client, world.case_manager)
        for _ in range(3):
            client.post(VERIFY, {"code": "000000"})
        device.refresh_from_db()
        right = f"{totp(device.bin_key):06d}"
        # After three wrong codes the right one is refused too, for a while (2, 4, 8 ... seconds).
        assert client.post(VERIFY, {"code": right}).status_code == 200
        assert client.get(reverse("casework:inbox")).status_code == 302
        traveller.move_to(start + dt.timedelta(seconds=10))
        assert client.post(VERIFY, {"code": right}).status_code == 302
        assert client.get(reverse("casework:inbox")).status_code == 200
