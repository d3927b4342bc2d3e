from django.urls import path

from . import views

urlpatterns = [
    path("", views.audit_log, name="audit_log"),
    path("export.<str:fmt>", views.audit_export, name="audit_export"),
]
