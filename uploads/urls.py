from django.urls import path

from . import approval_views, entry_views, views

urlpatterns = [
    path("", views.upload_list, name="upload_list"),
    path("new/", views.upload_new, name="upload_new"),
    path("template/", views.template_download, name="template_download"),
    path("entry/", entry_views.entry_start, name="entry_start"),
    path("entry/<str:area_code>/<int:year>/<int:quarter>/", entry_views.data_entry, name="data_entry"),
    path("completeness/", views.completeness, name="completeness"),
    path(
        "approval/<str:area_code>/<int:year>/<int:quarter>/",
        approval_views.quarter_approval,
        name="quarter_approval",
    ),
    path("<int:pk>/", views.upload_detail, name="upload_detail"),
    path("<int:pk>/confirm/", views.upload_confirm, name="upload_confirm"),
    path("<int:pk>/file/", views.upload_file, name="upload_file"),
    path("<int:pk>/marked.xlsx", views.upload_marked, name="upload_marked"),
]
