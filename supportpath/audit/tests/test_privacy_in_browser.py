import io
import json
import zipfile

import pytest
from django.urls import reverse

from supportpath.referrals.access import get_request_for_case_manager
from supportpath.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_after_the_case_manager_and_facilitator_look_the_doctor_sees_both_and_downloads_their_data(
    page, another_page, live_server, world
):
    from supportpath.facilitation.models import AllocationStatus

    world.allocation.status = AllocationStatus.ACCEPTED
    world.allocation.save()
    world.case.facilitator = world.facilitator
    world.case.save()
    case_page = live_server.url + reverse("pathway:case_detail", args=[world.case.pk])
    for staff in (world.case_manager, world.facilitator):
        staff_page = another_page()
        sign_in(staff_page, live_server.url, staff)
        staff_page.goto(case_page)
        assert_accessible(staff_page)
        assert world.self_request.reference in staff_page.content()

    sign_in(page, live_server.url, world.doctor)
    page.goto(live_server.url + reverse("audit:access_log"))
    assert_accessible(page)
    log = page.content()
    assert "Dan Manager" in log and "Fay Coach" in log

    page.goto(live_server.url + reverse("audit:download_my_data"))
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download your data").click()
    with open(download_info.value.path(), "rb") as downloaded:
        archive = zipfile.ZipFile(io.BytesIO(downloaded.read()))
    who = {row["who"] for row in json.loads(archive.read("access-log.json"))}
    assert {"Dan Manager", "Fay Coach"} <= who
    assert "Fay Coach" in archive.read("my-data.html").decode()


def test_the_access_log_filters_work_without_javascript(page_without_js, live_server, world):
    get_request_for_case_manager(world.case_manager, world.self_request.reference, purpose="Triage of a new request")
    sign_in(page_without_js, live_server.url, world.doctor)
    page_without_js.goto(live_server.url + reverse("audit:access_log"))
    page_without_js.get_by_label("Who").select_option("referrer")
    page_without_js.get_by_role("button", name="Apply filters").click()
    assert "Nobody matches these filters" in page_without_js.content()
    page_without_js.get_by_label("Who").select_option("case_manager")
    page_without_js.get_by_role("button", name="Apply filters").click()
    assert "Dan Manager" in page_without_js.content()


def test_on_a_phone_the_access_log_fits_the_screen(page, live_server, world):
    # Long words in the reasons, as in real ones ("Reading what the doctor chose to share with their responsible
    # officer"): in four columns on a 375-pixel screen they cannot wrap and push the table off the side.
    for purpose in ("Triage of a new request", "Understanding responsibilities, arrangements and documentation"):
        get_request_for_case_manager(world.case_manager, world.self_request.reference, purpose=purpose)
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server.url, world.doctor)
    page.goto(live_server.url + reverse("audit:access_log"))
    assert "Dan Manager" in page.content()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow} pixels wider than the phone's screen"
    assert_accessible(page)
