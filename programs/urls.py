from django.urls import path

from programs import views

app_name = "programs"
urlpatterns = [
    path("", views.program_list, name="list"),
    path("import/", views.import_program, name="import"),
    path("import/review/", views.import_review, name="import_review"),
    path("<slug:code>/", views.program_detail, name="detail"),
    path("<slug:code>/history/", views.program_history, name="history"),
    path("<slug:code>/tasks/", views.task_list, name="tasks"),
    path("<slug:code>/tasks/<str:task_code>/progress/", views.add_task_progress, name="task_progress"),
]
