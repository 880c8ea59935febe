import pytest

from supportpath.casework.models import Case
from supportpath.core.columns import only_columns


@pytest.mark.django_db
def test_only_columns_reads_the_fields_kept_and_puts_off_the_rest(world, django_assert_num_queries):
    rows = only_columns(
        Case.objects.select_related("request__doctor__user"), "request", ("reference", "urgent", "doctor")
    )
    with django_assert_num_queries(1):
        case = rows.get(pk=world.case.pk)
        assert case.request.reference == world.self_request.reference
        assert case.request.urgent == world.self_request.urgent
        assert case.request.doctor.user == world.doctor
    assert case.request.get_deferred_fields() >= {"submitted_at", "status", "contact_method"}
    with django_assert_num_queries(1):  # read anyway, a field left out is fetched: put off, not lost
        assert case.request.submitted_at == world.self_request.submitted_at


def test_only_columns_refuses_a_field_the_row_does_not_have():
    with pytest.raises(ValueError, match="SupportRequest has no field nickname"):
        only_columns(Case.objects.all(), "request", ("reference", "nickname"))
