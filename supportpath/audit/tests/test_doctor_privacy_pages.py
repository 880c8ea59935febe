import csv
import io
import json
import re
import zipfile

import pytest
from django.urls import reverse

from supportpath.accounts.models import Role
from supportpath.audit.log import record_access
from supportpath.audit.models import AccessRecord
from supportpath.referrals.access import get_request_for_case_manager
from supportpath.testing.auth import login_as
from supportpath.testing.queries import pinned


def _log(world, actor, role, purpose="Triage of a new request", obj=None):
    obj = obj or world.self_request
    return record_access(
        actor=actor,
        role=role,
        organisation=world.service.name,
        doctor=world.doctor.doctor_profile,
        action="viewed",
        what=f"Support request {obj.reference}",
        obj=obj,
        purpose=purpose,
    )


@pytest.mark.django_db
def test_doctor_sees_who_has_read_their_request(client, world):
    get_request_for_case_manager(world.case_manager, world.self_request.reference, purpose="Triage of a new request")
    login_as(client, world.doctor)
    page = client.get(reverse("audit:access_log")).content.decode()
    assert "Dan Manager" in page
    assert "Case manager" in page
    assert world.service.name in page
    assert "Triage of a new request" in page
    assert world.self_request.reference in page


@pytest.mark.django_db
def test_doctor_does_not_see_reads_of_someone_elses_record(client, world):
    _log(world, world.case_manager, Role.CASE_MANAGER)
    login_as(client, world.other_doctor)
    page = client.get(reverse("audit:access_log")).content.decode()
    assert "Dan Manager" not in page
    assert "Nobody other than you has opened your record yet" in page


@pytest.mark.django_db
def test_reading_your_own_record_is_not_logged(world):
    assert _log(world, world.doctor, Role.DOCTOR) is None
    assert not AccessRecord.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["referrer", "case_manager", "other_case_manager", "facilitator"])
def test_staff_cannot_open_the_doctor_only_pages(client, world, persona):
    login_as(client, world.persona(persona))
    assert client.get(reverse("audit:access_log")).status_code == 404
    assert client.post(reverse("audit:download_my_data")).status_code == 404


@pytest.mark.django_db
def test_the_log_can_be_filtered_by_role_and_date(client, world):
    _log(world, world.case_manager, Role.CASE_MANAGER, purpose="Triage")
    _log(world, world.referrer, Role.REFERRER, purpose="Following up a referral they made")
    login_as(client, world.doctor)
    page = client.get(reverse("audit:access_log"), {"role": Role.REFERRER}).content.decode()
    assert "Dr Cara Supervisor" in page
    assert "Dan Manager" not in page


@pytest.mark.django_db
def test_an_impossible_date_filter_gets_a_clear_message_and_keeps_the_input(client, world):
    login_as(client, world.doctor)
    response = client.get(reverse("audit:access_log"), {"since": "31/02/2026"})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter a real date" in page
    assert 'value="31/02/2026"' in page
    assert "<title>Error:" in page


@pytest.mark.django_db
def test_the_log_downloads_as_csv(client, world):
    _log(world, world.case_manager, Role.CASE_MANAGER, purpose="Triage")
    login_as(client, world.doctor)
    response = client.get(reverse("audit:access_log"), {"download": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:2] == ["When", "Who"]
    assert rows[1][1] == "Dan Manager"


@pytest.mark.django_db
def test_access_log_query_count_does_not_grow_with_rows(client, world, django_assert_num_queries):
    login_as(client, world.doctor)
    for _ in range(3):
        _log(world, world.case_manager, Role.CASE_MANAGER)
    with django_assert_num_queries(pinned(8)) as small:
        client.get(reverse("audit:access_log"))
    small_count = len(small.captured_queries)
    for _ in range(40):
        _log(world, world.case_manager, Role.CASE_MANAGER)
    with django_assert_num_queries(small_count):
        client.get(reverse("audit:access_log"))


def _reasons(response) -> list[str]:
    return re.findall(r"<div>(Reason \d+)</div>", response.content.decode())


@pytest.mark.django_db
def test_access_log_pages_show_the_same_rows_newest_first_and_count_a_bounded_number(
    client, world, django_assert_num_queries
):
    login_as(client, world.doctor)
    for n in range(55):
        _log(world, world.case_manager, Role.CASE_MANAGER, purpose=f"Reason {n}")
    expected = list(
        AccessRecord.objects.filter(doctor=world.doctor.doctor_profile)
        .order_by("-at", "-id")
        .values_list("purpose", flat=True)
    )
    shown = []
    for wanted in ("1", "2"):
        with django_assert_num_queries(pinned(8)) as captured:
            response = client.get(reverse("audit:access_log"), {"page": wanted})
        shown += _reasons(response)
        counts = [
            q["sql"] for q in captured.captured_queries if "COUNT(*)" in q["sql"] and "audit_accessrecord" in q["sql"]
        ]
        assert len(counts) == 1 and "LIMIT 1001" in counts[0]  # counted only as far as shown
    assert shown == expected
    last = client.get(reverse("audit:access_log"), {"page": "100000"})
    assert _reasons(last) == expected[50:]


@pytest.mark.django_db
def test_download_my_data_holds_json_and_a_readable_copy(client, world):
    _log(world, world.case_manager, Role.CASE_MANAGER, purpose="Triage")
    login_as(client, world.doctor)
    response = client.post(reverse("audit:download_my_data"))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    expected = {"profile.json", "support-requests.json", "cases.json", "consents.json", "access-log.json"}
    assert expected | {"my-data.html"} <= names
    requests = json.loads(archive.read("support-requests.json"))
    assert {r["reference"] for r in requests} == {world.self_request.reference, world.referral.reference}
    account = next(r for r in requests if r["reference"] == world.self_request.reference)["your_account"]
    assert account == world.self_request.doctor_account
    assert json.loads(archive.read("access-log.json"))[0]["who"] == "Dan Manager"
    html = archive.read("my-data.html").decode()
    assert "Dr Ada Example" in html
    assert world.self_request.doctor_account in html


@pytest.mark.django_db
def test_download_contains_nothing_about_another_doctor(client, world):
    login_as(client, world.other_doctor)
    archive = zipfile.ZipFile(io.BytesIO(client.post(reverse("audit:download_my_data")).content))
    assert json.loads(archive.read("support-requests.json")) == []
    assert world.self_request.reference not in archive.read("my-data.html").decode()


@pytest.mark.django_db
def test_text_in_the_readable_copy_is_escaped(client, world):
    world.self_request.doctor_account = "<script>alert('x')</script>"
    world.self_request.save()
    login_as(client, world.doctor)
    archive = zipfile.ZipFile(io.BytesIO(client.post(reverse("audit:download_my_data")).content))
    html = archive.read("my-data.html").decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_the_download_never_promises_the_private_notes_only_their_author_reads(client, world):
    # Nobody but their author can open a facilitator's private notes (docs/access-policy.md), so the doctor is
    # told to ask their case manager for the working notes only.
    login_as(client, world.doctor)
    page = client.get(reverse("audit:download_my_data")).content.decode()
    copy = zipfile.ZipFile(io.BytesIO(client.post(reverse("audit:download_my_data")).content)).read("my-data.html")
    for text in (page, copy.decode()):
        sentences = [s for s in text.replace("\n", " ").split(".") if "private notes" in s]
        assert sentences and all("ask" not in s.lower() for s in sentences), sentences
        assert any("ask your case manager" in s and "working notes" in s for s in text.split("."))
