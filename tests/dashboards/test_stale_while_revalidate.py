"""Pages while a recompute is pending or just finished: the last rendered page is served, marked 数据更新中, while one
request rebuilds it; once rebuilt (or at once, for the request that rebuilds) the page shows the new figures. 沈阳's
PM2.5 goes through the real upload service and the real recompute."""

import pandas as pd
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse

from dashboards.cache import REBUILD_KEY, latest_or_build
from progress import pending
from progress.services import bump_version

from .test_pages import figures_of

UPDATING = "数据更新中"
PAGE = (reverse("dash_city", args=["210100"]), {"quarter": "2024Q4", "target": "1-02"})


@pytest.fixture
def shenyang_pm25(uploader, shenyang):
    from progress.services import recompute_progress
    from tests.factories import store_frame

    rows = [("210100", "pm25", 2020, 4, 50.0), ("210100", "pm25", 2024, 4, 40.0)]
    frame = pd.DataFrame(rows, columns=["area_code", "indicator_code", "year", "quarter", "value"])
    store_frame(frame, area=shenyang, uploaded_by=uploader, year=2024, quarter=4)
    recompute_progress(through=(2024, 4))


@pytest.fixture
def province_client(client, province_user):
    client.force_login(province_user)
    return client


def shown(client) -> tuple[str, bool]:
    """The 沈阳 PM2.5 actual in the progress bars' hover, and whether the page says it is being updated."""
    html = client.get(*PAGE).content.decode()
    tips = figures_of(html)["chart-progress-data"]["data"][0]["hovertext"]
    line = next(line for line in next(t for t in tips if t.startswith("1-02")).split("\n") if line.startswith("实际值"))
    return line.removeprefix("实际值：").split(" ")[0].rstrip("※"), UPDATING in html


def upload_pm25(value: float, user, area):
    from uploads.services import process_upload, receive_upload

    data = f"indicator_code,value\npm25,{value}\n".encode()
    upload = receive_upload(
        file=ContentFile(data, name="沈阳.csv"), user=user, area=area, year=2024, quarter=4, queue=False
    )
    assert process_upload(upload.pk).status == "accepted"


def test_one_request_rebuilds_while_the_others_get_the_last_value():
    builds = []

    def build(value):
        return lambda: builds.append(value) or value

    assert latest_or_build("t", (1,), build("first")) == ("first", True)
    assert latest_or_build("t", (1,), build("again")) == ("first", True)  # same version: cached
    bump_version()
    assert cache.add(REBUILD_KEY, "another page", 30)  # another request is rebuilding a page
    assert latest_or_build("t", (1,), build("second")) == ("first", False)
    assert latest_or_build("t", (2,), build("new")) == ("new", True)  # nothing kept to serve: built at once
    cache.delete(REBUILD_KEY)
    assert latest_or_build("t", (1,), build("second")) == ("second", True)
    assert not cache.get(REBUILD_KEY)  # released
    assert builds == ["first", "new", "second"]


def test_while_a_recompute_is_pending_the_page_is_marked_and_after_it_shows_the_new_value(
    province_client, shenyang_pm25, uploader, shenyang, django_capture_on_commit_callbacks
):
    assert shown(province_client) == ("40", False)
    upload_pm25(38, uploader, shenyang)  # accepted; its recompute waits (on commit, which a test never reaches)
    pending.mark_waiting()  # as the receiver of the accepted upload does
    assert shown(province_client) == ("40", True)  # the last completed recompute's figure, marked

    assert cache.add(REBUILD_KEY, "another page", 30)  # another request is rebuilding a page
    with django_capture_on_commit_callbacks(execute=True):
        assert pending.recompute_after_uploads() > 0
    assert not pending.is_waiting()
    assert shown(province_client) == ("40", True)  # served as it was while being rebuilt, and marked
    cache.delete(REBUILD_KEY)
    assert shown(province_client) == ("38", False)  # rebuilt: the new figure, no mark


def test_after_an_upload_and_its_recompute_the_page_shows_the_new_value(
    province_client, shenyang_pm25, uploader, shenyang, django_capture_on_commit_callbacks
):
    assert shown(province_client) == ("40", False)
    with django_capture_on_commit_callbacks(execute=True):  # the receiver queues the recompute, run in-process
        upload_pm25(36, uploader, shenyang)
    assert not pending.is_waiting()
    assert shown(province_client) == ("36", False)
