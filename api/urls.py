"""/api/: the upload, approval and report endpoints (uploads.api, uploads.approval_api, reports.api) and the read
endpoints beside them; the OpenAPI schema and its Swagger UI,
for signed-in users only."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from reports.api import ReportViewSet
from uploads.api import UploadViewSet
from uploads.approval_api import QuarterApprovalViewSet

from . import views


class Router(DefaultRouter):
    include_format_suffixes = False  # JSON only: no /api/areas.json twins of every route


router = Router(use_regex_path=False)
router.register("uploads", UploadViewSet, basename="upload")
router.register("approvals", QuarterApprovalViewSet, basename="approval")
router.register("reports", ReportViewSet, basename="report")
router.register("sections", views.SectionViewSet, basename="section")
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("targets", views.TargetViewSet, basename="target")
router.register("areas", views.AreaViewSet, basename="area")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("observations", views.ObservationViewSet, basename="observation")
router.register("progress", views.ProgressViewSet, basename="progress")
router.register("completeness", views.CompletenessViewSet, basename="completeness")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # A page for people: the sign-in page when signed out. Its script is served by the same view (no inline script).
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="api_docs"),
    *router.urls,
]
