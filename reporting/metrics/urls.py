from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [path("<str:code>/<int:year>/<str:metric>/", views.evidence, name="evidence")]
