import io
import json
import zipfile

import pytest
from django.urls import reverse

from supportpath.referrals.access import get_request_for_case_manager
from supportpath.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_doctor_sees_who_has_read_their_record_and_downloads_their_data(page, live_server, world):
    get_request_for_case_manager(world.case_manager, world.self_request.reference, purpose="Triage of a new request")
    sign_in(page, live_server.url, world.doctor)

    page.goto(live_server.url + reverse("audit:access_log"))
    assert_accessible(page)
    assert "Dan Manager" in page.content()

    page.goto(live_server.url + reverse("audit:download_my_data"))
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download your data").click()
    path = download_info.value.path()
    with open(path, "rb") as downloaded:
        archive = zipfile.ZipFile(io.BytesIO(downloaded.read()))
    assert json.loads(archive.read("access-log.json"))[0]["who"] == "Dan Manager"


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
