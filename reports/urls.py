from django.urls import path

from . import views

urlpatterns = [
    path("", views.report_index, name="report_index"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/status/", views.report_status, name="report_status"),
    path("<int:pk>/download/", views.report_download, name="report_download"),
]
