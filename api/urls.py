from django.urls import path
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import views, web

app_name = "api"

urlpatterns = [
    path("tokens/", web.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", web.revoke, name="token_revoke"),
    path("v1/schema/", SpectacularAPIView.as_view(renderer_classes=[OpenApiJsonRenderer]), name="schema"),
    path("v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("v1/units/", views.UnitList.as_view(), name="units"),
    path("v1/units/<str:code>/", views.UnitDetail.as_view(), name="unit"),
    path("v1/reorganisations/", views.ReorganisationList.as_view(), name="reorganisations"),
    path("v1/programs/", views.ProgramList.as_view(), name="programs"),
    path("v1/programs/<slug:code>/", views.ProgramDetail.as_view(), name="program"),
    path("v1/periods/", views.PeriodList.as_view(), name="periods"),
    path("v1/results/", views.Results.as_view(), name="results"),
    path("v1/reports/", views.ReportList.as_view(), name="reports"),
    path("v1/reports/<int:pk>/", views.ReportDetail.as_view(), name="report"),
    path("v1/reports/<int:pk>/submit/", views.SubmitReport.as_view(), name="report_submit"),
    path("v1/reports/<int:pk>/approve/", views.ApproveReport.as_view(), name="report_approve"),
    path("v1/reports/<int:pk>/return/", views.ReturnReport.as_view(), name="report_return"),
    path("v1/completeness/", views.CompletenessView.as_view(), name="completeness"),
    path("v1/plans/", views.PlanList.as_view(), name="plans"),
    path("v1/plans/<int:pk>/download/", views.PlanDownload.as_view(), name="plan_download"),
    path("v1/audit/", views.AuditTrail.as_view(), name="audit"),
    path("v1/values.csv", views.CsvExchange.as_view(), name="values_csv"),
    path("v1/values.adx", views.AdxExchange.as_view(), name="values_adx"),
]
