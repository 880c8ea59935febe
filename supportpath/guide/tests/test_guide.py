"""The guide's pages, and the "what the evidence says" panel on every stage of the pathway."""

from pathlib import Path

import pytest
from django.template import engines
from django.urls import reverse

from supportpath.guide import content
from supportpath.testing.auth import login_as

TEMPLATES = Path(__file__).resolve().parents[2] / "jinja2"
STAFF_PAGES = {
    "routes_in": "casework/request_detail.jinja",
    "early_conversation": "pathway/needs_assessment.jinja",
    "plan": "plans/edit_plan.jinja",
    "delivery": "pathway/record_session.jinja",
    "closure": "closure/close_case.jinja",
    "afterwards": "closure/peer_supporter_offers.jinja",
    "handover": "casework/request_detail.jinja",
}
DOCTOR_PAGES = {
    "routes_in": "referrals/my_support.jinja",
    "early_conversation": "pathway/my_case.jinja",
    "plan": "plans/agree_plan.jinja",
    "delivery": "progress/reflect.jinja",
    "afterwards": "closure/exit_feedback.jinja",
}


def test_every_stage_has_a_panel_for_staff_and_for_the_doctor_citing_cmocs():
    for stage in content.STAGES:
        staff = content.panel_for(stage.slug)
        doctor = content.panel_for(stage.slug, "doctor")
        assert staff.what_to_do and staff.why and staff.cmocs
        assert doctor.what_to_do and doctor.audience == "doctor"
    assert content.panel_for("no-such-stage") is None


@pytest.mark.parametrize("stage, template", sorted(STAFF_PAGES.items()))
def test_each_stage_page_for_staff_includes_its_panel(stage, template):
    assert f'app_evidence_panel("{stage}")' in (TEMPLATES / template).read_text()


@pytest.mark.parametrize("stage, template", sorted(DOCTOR_PAGES.items()))
def test_the_doctors_pages_carry_the_same_ideas_in_their_words(stage, template):
    assert f'app_evidence_panel("{stage}", "doctor")' in (TEMPLATES / template).read_text()


def test_the_panel_renders_the_principle_what_to_do_why_cmocs_and_a_link_to_the_guide():
    env = engines["jinja2"].env
    html = env.from_string('{{ app_evidence_panel("plan") }}').render()
    panel = content.panel_for("plan")
    assert "What the evidence says" in html
    assert panel.principle.title in html
    assert f"CMOCs {panel.cmocs}" in html
    assert reverse("guide:principle", args=[panel.principle.slug]) + "#plan" in html
    doctor = env.from_string('{{ app_evidence_panel("plan", "doctor") }}').render()
    assert "What to expect at this stage" in doctor and "CMOCs" not in doctor
    assert env.from_string('{{ app_evidence_panel("nonsense") }}').render().strip() == ""


@pytest.mark.django_db
def test_a_case_manager_sees_the_panel_on_a_request(client, world):
    login_as(client, world.case_manager)
    page = client.get(reverse("casework:request_detail", args=[world.self_request.reference])).content.decode()
    assert "What the evidence says: routes in" in page


@pytest.mark.django_db
def test_the_guide_explains_every_principle_and_where_the_product_does_it(client):
    index = client.get(reverse("guide:index")).content.decode()
    for principle in content.PRINCIPLES:
        assert principle.title in index
        page = client.get(reverse("guide:principle", args=[principle.slug])).content.decode()
        assert "Where supportpath does it" in page
        assert principle.cmocs in page
    assert client.get(reverse("guide:principle", args=["nothing"])).status_code == 404
