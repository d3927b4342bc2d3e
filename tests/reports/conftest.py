"""A quarter's worth of real data for the reports: values sent through the upload service (one with a note that
looks like a formula, one carried forward from an earlier year), the real recompute, and 沈阳's quarter approved."""

import pytest
from django.core.files.base import ContentFile

FORMULA_NOTE = '=HYPERLINK("http://evil.example","点击")'
VALUES = f"""area_code,indicator_code,year,quarter,value,note
210100,pm25,2020,4,40,
210200,pm25,2020,4,35,
210100,pm25,2024,4,36,"{FORMULA_NOTE.replace('"', '""')}"
210200,pm25,2023,4,33,
"""


@pytest.fixture
def report_data(plan, admin_user, city_officer, province_user, shenyang):
    from progress.services import recompute_progress
    from uploads.approval import approve_quarter, submit_quarter
    from uploads.services import process_upload, receive_upload

    upload = receive_upload(file=ContentFile(VALUES.encode(), name="季度数据.csv"), user=admin_user, queue=False)
    assert process_upload(upload.pk, recompute=False).status == "accepted"
    recompute_progress(through=(2024, 4))
    submit_quarter(area=shenyang, year=2024, quarter=4, user=city_officer)
    approve_quarter(area=shenyang, year=2024, quarter=4, user=province_user)
    upload.refresh_from_db()
    return upload
