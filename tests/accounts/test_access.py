import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from demo.accounts import DEMO_ACCOUNTS, create_demo_accounts


def test_every_page_but_login_needs_an_account(client, plan):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    login = client.get(reverse("login"))
    assert login.status_code == 200
    assert "登录" in login.content.decode()


def test_login_with_a_wrong_password_says_so_in_chinese(client, province_user):
    response = client.post(reverse("login"), {"username": "province", "password": "wrong"})
    assert "用户名或密码不正确" in response.content.decode()


def test_login_then_see_the_plan(client, province_user):
    response = client.post(reverse("login"), {"username": "province", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert "实施方案全文与目标进展" in page.content.decode()


def test_demo_accounts_are_refused_outside_demo_mode(settings, plan):
    settings.DEMO_MODE = False
    with pytest.raises(ImproperlyConfigured):
        create_demo_accounts()
    with pytest.raises(CommandError):
        call_command("create_demo_users")
    assert not User.objects.filter(username__startswith="demo-").exists()


def test_demo_mode_creates_one_account_per_role(settings, client, plan):
    settings.DEMO_MODE = True
    call_command("create_demo_users")
    roles = dict(User.objects.filter(username__startswith="demo-").values_list("username", "role"))
    assert roles == {name: role for name, role, _, _ in DEMO_ACCOUNTS}
    assert User.objects.get(username="demo-shenyang").area.name == "沈阳市"
    signed_in = client.post(reverse("login"), {"username": "demo-auditor", "password": "demo"})
    assert signed_in.status_code == 302 and signed_in.url == reverse("home")


def test_a_city_officer_may_upload_for_their_own_city_alone(city_officer, shenyang, dalian, admin_user, auditor):
    assert city_officer.can_upload_for(shenyang)
    assert not city_officer.can_upload_for(dalian)
    assert not city_officer.sees_everything
    assert admin_user.can_upload_for(dalian)
    assert not auditor.can_upload_for(shenyang)
    assert auditor.sees_everything


def test_a_city_officer_without_an_area_is_refused_by_the_database(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        User.objects.create_user(username="nobody", role=User.Role.CITY, area=None)


def test_the_admin_speaks_chinese(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:targets_target_changelist"))
    assert response.status_code == 200
    assert "目标" in response.content.decode()


def test_english_is_one_switch_away(client, province_user):
    client.force_login(province_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"))
    assert response.headers["Content-Language"] == "en"
    assert "The implementation plan: full text and progress of its targets" in response.content.decode()
