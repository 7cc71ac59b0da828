from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("sheets/<int:pk>/", views.sheet_page, name="scoring-sheet"),
    path("sheets/new/<int:scheme>/<int:branch>/", views.branch_sheet_page, name="scoring-branch-sheet"),
    path("sheets/<int:pk>/evidence/<int:item>/", views.sheet_evidence, name="scoring-evidence"),
    path("<str:code>/<int:year>/", views.ranking_page, name="scoring"),
    path("<str:code>/<int:year>/export.xlsx", views.ranking_xlsx, name="scoring-xlsx"),
    path("<str:code>/<int:year>/approve/", views.bulk_approve, name="scoring-approve"),
]
