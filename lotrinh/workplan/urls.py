"""Task pages, under /tasks/."""

from django.urls import URLPattern, path

from lotrinh.workplan import views

app_name = "workplan"
urlpatterns: list[URLPattern] = [
    path("", views.my_tasks, name="my-tasks"),
    path("map/", views.task_map, name="task-map"),
    path("programme/<slug:code>/", views.programme_tasks, name="programme-tasks"),
    path("programme/<slug:code>/new/", views.task_create, name="task-create"),
    path("programme/<slug:code>/propose/", views.propose, name="programme-propose"),
    path("programme/<slug:code>/reassign/", views.reassign, name="programme-reassign"),
    path("<int:task_id>/", views.task_detail, name="task-detail"),
    path("<int:task_id>/edit/", views.task_edit, name="task-edit"),
    path("<int:task_id>/report/", views.task_report, name="task-report"),
    path("progress/<int:progress_id>/evidence/", views.evidence_download, name="evidence"),
    path("progress/<int:progress_id>/decide/", views.progress_decide, name="progress-decide"),
]
