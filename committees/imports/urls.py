from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="imports"),
    path("members/roster.xlsx", views.roster_xlsx, name="imports-roster"),
    path("batches/<int:pk>/", views.batch_page, name="imports-batch"),
    path("batches/<int:pk>/commit/", views.batch_commit, name="imports-commit"),
    path("batches/<int:pk>/undo/", views.batch_undo, name="imports-undo"),
    path("batches/<int:pk>/discard/", views.batch_discard, name="imports-discard"),
    path("<str:kind>/", views.upload, name="imports-upload"),
    path("<str:kind>/template.xlsx", views.template_xlsx, name="imports-template"),
]
