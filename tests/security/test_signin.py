"""Sign-in protection: lockout after repeated failures (per account and per address; the login form, the admin and
HTTP Basic on the API), how an administrator lifts it, sessions that end after a working day without activity, and
the password rules."""

import base64
import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.sessions import LAST_REFRESH, REFRESH_EVERY

LOGIN = reverse("login")
RIGHT = "pw-for-tests-1"
LOCKED = "登录失败次数过多"


def sign_in(client, username, password, address="10.1.1.1", url=LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def basic(username, password) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_five_wrong_passwords_lock_the_account_against_the_right_one(client, province_user):
    for _ in range(4):
        assert sign_in(client, "province", "wrong").status_code == 200  # the form again, "用户名或密码不正确"
    fifth = sign_in(client, "province", "wrong")
    assert fifth.status_code == 429 and LOCKED in fifth.content.decode()
    right = sign_in(client, "province", RIGHT)
    page = right.content.decode()
    assert right.status_code == 429 and "30 分钟" in page and "联系系统管理员" in page
    assert right["Retry-After"] == "1800"
    assert "_auth_user_id" not in client.session
    # from another address too: the account itself is locked
    assert sign_in(client, "province", RIGHT, address="10.9.9.9").status_code == 429


def test_failures_from_one_address_lock_that_address_for_every_account(client, make_user, plan):
    make_user("bystander", "province")
    for n in range(5):
        sign_in(client, f"guess-{n}", "wrong", address="10.2.2.2")
    assert sign_in(client, "bystander", RIGHT, address="10.2.2.2").status_code == 429
    signed_in = sign_in(client, "bystander", RIGHT, address="10.3.3.3")
    assert signed_in.status_code == 302 and signed_in.url == reverse("home")


def test_failures_in_a_row_count_a_success_starts_again(client, province_user):
    for _ in range(4):
        sign_in(client, "province", "wrong")
    assert sign_in(client, "province", RIGHT).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, "province", "wrong")
    assert sign_in(client, "province", RIGHT).status_code == 302


def test_the_admin_login_is_locked_as_well(client, admin_user):
    admin_login = reverse("admin:login")
    for _ in range(5):
        sign_in(client, "admin", "wrong", url=admin_login)
    locked = sign_in(client, "admin", RIGHT, url=admin_login)
    assert locked.status_code == 429 and LOCKED in locked.content.decode()


def test_basic_auth_on_the_api_is_locked_after_five_wrong_passwords(client, province_user):
    for _ in range(4):
        wrong = client.get("/api/areas/", HTTP_AUTHORIZATION=basic("province", "wrong"), REMOTE_ADDR="10.4.4.4")
        assert wrong.status_code == 401
    fifth = client.get("/api/areas/", HTTP_AUTHORIZATION=basic("province", "wrong"), REMOTE_ADDR="10.4.4.4")
    assert fifth.status_code == 429
    right = client.get("/api/areas/", HTTP_AUTHORIZATION=basic("province", RIGHT), REMOTE_ADDR="10.4.4.4")
    assert right.status_code == 429 and LOCKED in right.json()["detail"] and right["Retry-After"] == "1800"
    # the web form refuses the same account
    assert sign_in(client, "province", RIGHT, address="10.5.5.5").status_code == 429


def test_the_lock_ends_after_thirty_minutes(client, province_user):
    for _ in range(5):
        sign_in(client, "province", "wrong")
    assert sign_in(client, "province", RIGHT).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert sign_in(client, "province", RIGHT).status_code == 302


def test_an_administrator_unlocks_with_axes_reset_or_in_the_admin(client, province_user, admin_user):
    for _ in range(5):
        sign_in(client, "province", "wrong")
    call_command("axes_reset_username", "province")
    assert sign_in(client, "province", RIGHT).status_code == 302

    client.logout()
    for _ in range(5):
        sign_in(client, "province", "wrong", address="10.6.6.6")
    assert sign_in(client, "province", RIGHT, address="10.6.6.6").status_code == 429
    admin = type(client)()
    admin.force_login(admin_user)
    listed = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert listed.status_code == 200 and "province" in listed.content.decode()
    attempt = AccessAttempt.objects.get(username="province")
    deleted = admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert deleted.status_code == 302 and not AccessAttempt.objects.exists()
    assert sign_in(client, "province", RIGHT, address="10.6.6.6").status_code == 302


def test_the_client_address_behind_the_proxy_is_the_one_it_saw(settings, rf):
    from accounts.lockout import client_address

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.7.7.7")
    assert client_address(request) == "127.0.0.1"  # no trusted proxy: the header is the client's own word
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_address(request) == "10.7.7.7"  # what the proxy appended, not what the client wrote


def test_a_session_lasts_a_working_day_without_activity(settings, client, province_user):
    assert 8 * 3600 <= settings.SESSION_COOKIE_AGE <= 9 * 3600
    response = sign_in(client, "province", RIGHT)
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE
    session = Session.objects.get()
    left = session.expire_date - timezone.now()
    assert datetime.timedelta(hours=8) - datetime.timedelta(minutes=1) < left <= datetime.timedelta(hours=8)


def test_each_request_pushes_the_expiry_back_at_most_every_few_minutes(client, province_user):
    sign_in(client, "province", RIGHT)
    soon = client.get(reverse("home"))
    assert "sessionid" not in soon.cookies  # refreshed at sign-in: no write on every request

    session = client.session
    session[LAST_REFRESH] -= REFRESH_EVERY + 1
    session.save()
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(hours=1))  # an hour left
    later = client.get(reverse("home"))
    assert later.status_code == 200 and later.cookies["sessionid"]["max-age"] == 8 * 3600
    assert Session.objects.get().expire_date - timezone.now() > datetime.timedelta(hours=7, minutes=59)


def test_an_expired_session_sends_the_person_to_sign_in(client, province_user):
    sign_in(client, "province", RIGHT)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(LOGIN)


@pytest.mark.parametrize("password", ["short-pw1", "1234567890", "password123", "province-pw"])
def test_weak_passwords_are_refused(province_user, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=province_user)


def test_a_strong_password_is_accepted(province_user):
    validate_password("高新区-环保-2025-季报", user=province_user)


def test_the_admin_refuses_a_short_password_for_a_new_account(client, admin_user):
    from accounts.models import User

    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {"username": "new-officer", "password1": "Ln2025!x", "password2": "Ln2025!x", "role": "province"},
    )
    assert response.status_code == 200 and "密码太短，至少需要 10 个字符" in response.content.decode()
    assert not User.objects.filter(username="new-officer").exists()


def test_demo_accounts_keep_their_demo_password_in_demo_mode_alone(settings, client, plan):
    from demo.accounts import create_demo_accounts

    with pytest.raises(ValidationError):
        validate_password("demo")
    settings.DEMO_MODE = True
    create_demo_accounts()
    assert sign_in(client, "demo-shenyang", "demo").status_code == 302


def test_createsuperuser_without_a_prompt_follows_the_rules_too(monkeypatch, plan):
    from django.core.management.base import CommandError

    from accounts.models import User

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "short-pw1")
    with pytest.raises(CommandError, match="10"):
        call_command("createsuperuser", "--noinput", "--username", "root", "--email", "root@example.org")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "辽宁-攻坚-2025-第四季度")
    call_command("createsuperuser", "--noinput", "--username", "root", "--email", "root@example.org")
    assert User.objects.get(username="root").check_password("辽宁-攻坚-2025-第四季度")
    with pytest.raises(ValidationError):
        User.objects.create_user("another", password="12345")


def test_the_lockout_records_speak_chinese_in_the_admin(client, admin_user, province_user):
    sign_in(client, "province", "wrong")
    client.force_login(admin_user)
    page = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "访问尝试" in page and "失败次数" in page
