"""The audit trail records sign-ins (and failed ones) and cannot be changed or deleted through the site."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from audit.models import AuditEntry, AuditImmutable, Kind
from audit.services import record


def test_a_failed_sign_in_is_recorded_with_the_name_typed_and_never_the_password(client, auditor):
    response = client.post(reverse("login"), {"username": "auditor", "password": "wrong-password-123"})
    assert response.status_code == 200  # the form again, with its error
    failed = AuditEntry.objects.get(kind=Kind.SIGN_IN_FAILED)
    assert failed.actor is None and failed.actor_name == "auditor"
    assert failed.ip_address == "127.0.0.1"
    assert "wrong-password-123" not in str(failed.after) + failed.summary


def test_a_successful_sign_in_and_the_sign_out_are_recorded(client, auditor):
    client.post(reverse("login"), {"username": "auditor", "password": "pw-for-tests-1"})
    client.post(reverse("logout"))
    kinds = list(AuditEntry.objects.order_by("id").values_list("kind", "actor__username"))
    assert kinds == [(Kind.SIGN_IN, "auditor"), (Kind.SIGN_OUT, "auditor")]


def test_an_entry_cannot_be_changed_or_deleted_through_the_model(auditor):
    entry = record(Kind.REPORT_DOWNLOADED, "下载报告", actor=auditor)
    entry.summary = "改过的"
    with pytest.raises(AuditImmutable):
        entry.save()
    with pytest.raises(AuditImmutable):
        entry.delete()
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="改过的")
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).summary == "下载报告"


@pytest.mark.postgres
def test_postgresql_itself_refuses_to_change_or_delete_an_entry(auditor):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    entry = record(Kind.REPORT_DOWNLOADED, "下载报告", actor=auditor)
    statements = ("UPDATE audit_auditentry SET summary = 'x' WHERE id = %s", "DELETE FROM audit_auditentry WHERE id=%s")
    for sql in statements:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).summary == "下载报告"


def test_the_admin_shows_entries_but_offers_no_change_or_delete(client, admin_user):
    entry = record(Kind.REPORT_DOWNLOADED, "下载报告", actor=admin_user)
    client.force_login(admin_user)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    page = client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
