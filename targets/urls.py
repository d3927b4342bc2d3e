from django.urls import path

from . import views

urlpatterns = [
    path("plan/outline/", views.plan_outline, name="plan_outline"),
]
