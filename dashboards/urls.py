from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="dash_overview"),
    path("city/", views.city_index, name="dash_city_index"),
    path("city/<str:code>/", views.city, name="dash_city"),
    path("league/", views.league, name="dash_league"),
    path("departments/", views.departments, name="dash_departments"),
    path("departments/<str:code>/", views.department, name="dash_department"),
    path("targets/", views.target_index, name="dash_target_index"),
    path("targets/<str:code>/", views.target, name="dash_target"),
    path("map/", views.city_map, name="dash_map"),
    path("help/progress/", views.help_progress, name="dash_help"),
]
