"""404, 403 and 500 are pages of the site, in Chinese (English when chosen), never Django's debug page."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def test_a_wrong_address_gives_a_chinese_404_without_the_url_list(client, province_user):
    client.force_login(province_user)
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and "返回方案与目标" in page
    assert "Using the URLconf" not in page and "liaoning_eco.urls" not in page  # Django's debug 404


def test_a_visitor_not_signed_in_sees_no_url_patterns_either(client, plan):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "Using the URLconf" not in page and "数据上传" not in page


def test_the_404_page_in_english(client, province_user):
    client.force_login(province_user)
    client.cookies["django_language"] = "en"
    page = client.get("/no-such-page/").content.decode()
    assert "Page not found" in page and "页面不存在" not in page


def test_another_citys_page_gives_a_403_page_that_explains(client, city_officer):
    client.force_login(city_officer)
    response = client.get(reverse("dash_city", args=["210200"]))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_the_500_page_needs_nothing_and_says_it_is_not_the_users_fault():
    request = RequestFactory().get("/")
    with translation.override("zh-hans"):
        page = server_error(request).content.decode()
    assert "系统出错" in page and "不是您的操作造成的" in page
    with translation.override("en"):
        assert "System error" in server_error(request).content.decode()
