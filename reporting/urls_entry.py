from django.urls import path

from reporting.views import entry, periods, printable, queue

urlpatterns = [
    path("", entry.home, name="home"),
    path("queue/", queue.queue, name="queue"),
    path("queue/approve/", queue.approve_selected, name="queue_approve"),
    path("periods/", periods.period_list, name="periods"),
    path("periods/<int:period_id>/close/", periods.period_close, name="period_close"),
    path("programs/<str:program_code>/close/", periods.program_close, name="program_close"),
    path("periods/<int:period_id>/units/<str:unit_code>/", periods.period_completeness, name="completeness"),
    path("periods/<int:period_id>/reports/<str:unit_code>/", entry.report_entry, name="entry"),
    path("periods/<int:period_id>/reports/<str:unit_code>/autosave/", entry.autosave, name="autosave"),
    path("periods/<int:period_id>/reports/<str:unit_code>/print/", printable.report_print, name="report_print"),
    path("reports/<int:report_id>/approve/", entry.decide, {"decision": "approve"}, name="approve"),
    path("reports/<int:report_id>/return/", entry.decide, {"decision": "return"}, name="return"),
    path("reports/<int:report_id>/reopen/", entry.reopen, name="reopen"),
]
