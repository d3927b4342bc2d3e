import pandas as pd
import pytest
from django.core.files.base import ContentFile


@pytest.fixture
def observe(admin_user):
    """Store values through the real upload service: observe(("210100", "pm25", 2020, 4, 40.0), …)."""
    from uploads.services import process_upload, receive_upload

    def store(*rows, recompute=False):
        frame = pd.DataFrame(rows, columns=["area_code", "indicator_code", "year", "quarter", "value"])
        upload = receive_upload(
            file=ContentFile(frame.to_csv(index=False).encode(), name="v.csv"), user=admin_user, queue=False
        )
        processed = process_upload(upload.pk, recompute=recompute)
        assert processed.status == "accepted", processed.errors
        return processed

    return store
