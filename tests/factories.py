"""factory_boy factories for the objects tests (and benchmarks) make by hand rather than through a service."""

import factory
import numpy as np
import pandas as pd
from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user-{n}")
    role = "province"
    password = factory.django.Password("pw-for-tests-1")


class AcceptedUploadFactory(factory.django.DjangoModelFactory):
    """An upload already accepted, as if the pipeline had processed it: a long-format file by default."""

    class Meta:
        model = "uploads.Upload"

    kind = "long"
    file = factory.LazyAttribute(lambda u: f"uploads/test/{u.original_name}")
    original_name = factory.Sequence(lambda n: f"upload-{n}.csv")
    extension = factory.LazyAttribute(lambda u: "." + u.original_name.rsplit(".", 1)[-1])
    size = 1
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    uploaded_by = factory.SubFactory(UserFactory, role="admin")
    status = "accepted"


def store_frame(frame: pd.DataFrame, **upload_fields):
    """Store rows (area_code, indicator_code, year, quarter, value) as one accepted upload's current values, straight
    through the storage layer: fast, for tests about what happens after an upload."""
    from indicators.models import Area, Indicator
    from uploads.storage import store_observations

    rows = frame.assign(
        area_id=frame["area_code"].map(dict(Area.objects.values_list("code", "pk"))),
        indicator_id=frame["indicator_code"].map(dict(Indicator.objects.values_list("code", "pk"))),
        row=np.arange(2, len(frame) + 2),
    )
    upload = AcceptedUploadFactory(rows_total=len(rows), **upload_fields)
    store_observations(upload, rows)
    return upload
