from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from dashboards import views as dashboards
from liaoning_eco.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("uploads/", include("uploads.urls")),
    path("dashboard/", include("dashboards.urls")),
    path("indicators/", dashboards.indicator_index, name="indicator_index"),
    path("indicators/<str:code>/", dashboards.indicator_detail, name="indicator_detail"),
    path("reports/", include("reports.urls")),
    path("audit/", include("audit.urls")),
    path("api/", include("api.urls")),
    path("healthz", healthz, name="healthz"),
    path("", dashboards.plan, name="home"),
    path("", include("targets.urls")),
]

handler404 = "liaoning_eco.views.not_found"

admin.site.site_header = _("辽宁污染防治攻坚目标跟踪平台 · 管理")
admin.site.site_title = _("目标跟踪平台管理")
admin.site.index_title = _("数据维护")
