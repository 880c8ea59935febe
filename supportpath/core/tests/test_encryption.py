import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from supportpath.accounts.models import DoctorProfile
from supportpath.core.encryption import DecryptionError, decrypt, encrypt, lookup_hash
from supportpath.referrals.models import SupportRequest
from supportpath.testing.auth import login_as


def stored(support_request) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT doctor_account FROM referrals_supportrequest WHERE id = %s", [support_request.pk])
        return cursor.fetchone()[0]


def test_values_round_trip_and_empty_stays_empty(settings):
    assert decrypt(encrypt("Confidential words")) == "Confidential words"
    assert encrypt("") == ""
    assert decrypt("") == ""


@pytest.mark.django_db
def test_free_text_is_not_stored_in_plain_text(world):
    raw = stored(world.self_request)
    assert raw.startswith("enc1:")
    assert "night shifts" not in raw
    assert "night shifts" in SupportRequest.objects.get(pk=world.self_request.pk).doctor_account


@pytest.mark.django_db
def test_a_wrong_key_fails_loudly_and_never_shows_ciphertext(client, world, settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(DecryptionError):
        SupportRequest.objects.get(pk=world.self_request.pk)
    client.raise_request_exception = False
    login_as(client, world.case_manager)
    response = client.get(reverse("casework:request_detail", args=[world.self_request.reference]))
    assert response.status_code == 500
    assert "enc1:" not in response.content.decode()


@pytest.mark.django_db
def test_keys_rotate_and_the_old_key_can_then_be_removed(world, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]  # newest first; the old one still reads
    assert SupportRequest.objects.get(pk=world.self_request.pk).doctor_account.startswith("I have been")
    before = stored(world.self_request)
    call_command("rotate_encryption_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert stored(world.self_request) != before
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert SupportRequest.objects.get(pk=world.self_request.pk).doctor_account.startswith("I have been")
    call_command("rotate_encryption_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115 - running again is safe


def stored_gmc(profile) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT gmc_number, gmc_number_hash FROM accounts_doctorprofile WHERE id = %s", [profile.pk])
        return cursor.fetchone()


def find_doctor_by_gmc_number(gmc_number: str):
    return DoctorProfile.objects.with_gmc_number(gmc_number).first()


@pytest.mark.django_db
def test_gmc_numbers_are_stored_encrypted_and_found_only_through_a_keyed_hash(world, settings):
    profile = world.doctor.doctor_profile
    raw_number, raw_hash = stored_gmc(profile)
    assert raw_number.startswith("enc1:") and profile.gmc_number not in raw_number
    assert raw_hash == lookup_hash(profile.gmc_number) and profile.gmc_number not in raw_hash
    assert find_doctor_by_gmc_number(profile.gmc_number) == profile
    assert find_doctor_by_gmc_number("1000000") is None
    # The hash depends on the key: without it, nobody can test guesses against the stored hashes.
    settings.LOOKUP_HASH_KEY = "a-different-key"
    assert lookup_hash(profile.gmc_number) != raw_hash


@pytest.mark.django_db
def test_rotating_recomputes_lookup_hashes_under_a_new_lookup_key(world, settings):
    profile = world.doctor.doctor_profile
    settings.LOOKUP_HASH_KEY = "the-next-lookup-key"
    assert find_doctor_by_gmc_number(profile.gmc_number) is None
    call_command("rotate_encryption_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert find_doctor_by_gmc_number(profile.gmc_number) == profile


@pytest.mark.django_db
def test_encrypted_structured_content_survives_dumpdata_and_loaddata(world, tmp_path):
    from supportpath.plans.models import PlanVersion
    from supportpath.testing import factories as f

    version = f.agreed_plan(world.case, by=world.case_manager, goals=[("Sleep before nights", 2, 2)])
    fixture = tmp_path / "plans.json"
    call_command("dumpdata", "plans.planversion", output=str(fixture), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "Sleep before nights" in fixture.read_text()  # a fixture is plain, like any export
    PlanVersion.objects.filter(pk=version.pk).update(content={"goals": []})
    call_command("loaddata", str(fixture), stdout=open("/dev/null", "w"))  # noqa: SIM115
    version.refresh_from_db()
    assert version.content["goals"][0]["text"] == "Sleep before nights"


@pytest.mark.django_db
def test_without_encrypted_decrypts_none_of_the_fields_and_keeps_the_rest(
    world, django_assert_num_queries, monkeypatch
):
    from supportpath.core import encryption

    calls = []
    real = encryption.decrypt
    monkeypatch.setattr(encryption, "decrypt", lambda stored: calls.append(stored) or real(stored))
    rows = encryption.without_encrypted(SupportRequest.objects.select_related("doctor__user"), "doctor")
    with django_assert_num_queries(1):
        found = rows.get(pk=world.self_request.pk)
        assert found.reference == world.self_request.reference
        assert found.doctor.user.full_name == world.self_request.doctor.user.full_name
    assert calls == []  # nothing decrypted: the request's and the doctor's encrypted fields were not read
    # Read anyway, a deferred field is fetched and decrypted (one query): nothing is lost, only put off.
    with django_assert_num_queries(1):
        assert "night shifts" in found.doctor_account
    assert len(calls) == 1
    assert set(encryption.encrypted_field_names(DoctorProfile)) == {"gmc_number", "phone", "preferred_contact_times"}


@pytest.mark.django_db
def test_without_encrypted_keeps_the_fields_named_and_refuses_a_name_it_would_not_defer(world, monkeypatch):
    from supportpath.core import encryption

    SupportRequest.objects.filter(pk=world.self_request.pk).update(referred_name="Dr Typed")
    calls = []
    real = encryption.decrypt
    monkeypatch.setattr(encryption, "decrypt", lambda stored: calls.append(stored) or real(stored))
    rows = encryption.without_encrypted(
        SupportRequest.objects.select_related("doctor__user"), "doctor", keep=("referred_name",)
    )
    assert rows.get(pk=world.self_request.pk).referred_name == "Dr Typed"
    assert len(calls) == 1  # the name kept, and nothing else
    with pytest.raises(ValueError, match="reference"):
        encryption.without_encrypted(SupportRequest.objects.all(), keep=("reference",))  # not encrypted
