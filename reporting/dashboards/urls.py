from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/<str:code>/<int:year>/", views.dashboard, name="dashboard"),
    path("dashboard/branch/<int:pk>/<int:year>/", views.branch_page, name="dashboard-branch"),
]
