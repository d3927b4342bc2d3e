from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from reports.api import ReportViewSet
from uploads.api import UploadViewSet
from uploads.approval_api import QuarterApprovalViewSet

router = DefaultRouter()
router.register("uploads", UploadViewSet, basename="upload")
router.register("approvals", QuarterApprovalViewSet, basename="approval")
router.register("reports", ReportViewSet, basename="report")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("uploads/", include("uploads.urls")),
    path("dashboard/", include("dashboards.urls")),
    path("reports/", include("reports.urls")),
    path("audit/", include("audit.urls")),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api_docs"),
    path("", include("targets.urls")),
]

admin.site.site_header = _("辽宁污染防治攻坚目标跟踪平台 · 管理")
admin.site.site_title = _("目标跟踪平台管理")
admin.site.index_title = _("数据维护")
