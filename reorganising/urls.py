from django.urls import path

from reorganising import views

app_name = "reorganising"
urlpatterns = [
    path("", views.batches, name="batches"),
    path("template.xlsx", views.template, name="template"),
    path("new/", views.new_draft, name="new_draft"),
    path("upload/", views.upload, name="upload"),
    path("drafts/<int:pk>/", views.draft, name="draft"),
    path("drafts/<int:pk>/changes/", views.add_change, name="add_change"),
    path("drafts/<int:pk>/changes/remove/", views.remove_change, name="remove_change"),
    path("drafts/<int:pk>/delete/", views.delete_draft, name="delete_draft"),
    path("drafts/<int:pk>/apply/", views.apply, name="apply"),
    path("<str:code>/", views.batch, name="batch"),
    path("<str:code>/undo/", views.undo, name="undo"),
]
