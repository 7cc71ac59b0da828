from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("branches/<str:code>/<int:year>/", views.branches_page, name="tables-branches"),
    path("branches/<str:code>/<int:year>/export.xlsx", views.branches_xlsx, name="tables-branches-xlsx"),
    path("members/<str:code>/<int:year>/", views.members_page, name="tables-members"),
    path("members/<str:code>/<int:year>/export.xlsx", views.members_xlsx, name="tables-members-xlsx"),
]
