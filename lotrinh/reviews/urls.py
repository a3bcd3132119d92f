from django.urls import path

from lotrinh.reviews import views

app_name = "reviews"
urlpatterns = [
    path("programmes/<slug:code>/review/", views.review_page, name="review-page"),
    path(
        "programmes/<slug:code>/review/<int:document_id>/file",
        views.review_file,
        name="review-file",
    ),
]
