from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("<str:code>/<int:year>/", views.summary_page, name="summary"),
    path("<str:code>/<int:year>/export.xlsx", views.summary_xlsx, name="summary-xlsx"),
    path("<str:code>/<int:year>/export.docx", views.summary_docx, name="summary-docx"),
    path("<str:code>/<int:year>/narrative/<str:section>/", views.narrative_edit, name="summary-narrative"),
]
