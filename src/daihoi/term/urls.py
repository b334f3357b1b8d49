"""The resolution, the review, the term and the news page."""

from django.urls import URLPattern, URLResolver, path

from daihoi.term import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("c/<slug:slug>/term/", views.term_home, name="term_home"),
    path("c/<slug:slug>/term/resolution/", views.resolution_save, name="term_resolution_save"),
    path("c/<slug:slug>/term/resolution.docx", views.resolution_docx, name="term_resolution_docx"),
    path("c/<slug:slug>/term/resolution.pdf", views.resolution_pdf, name="term_resolution_pdf"),
    path("c/<slug:slug>/term/adopt/", views.resolution_adopt, name="term_adopt"),
    path("c/<slug:slug>/term/targets/add/", views.target_add, name="term_target_add"),
    path(
        "c/<slug:slug>/term/targets/<int:target_id>/delete/", views.target_delete, name="term_target_delete"
    ),
    path("c/<slug:slug>/term/tasks/add/", views.task_add, name="term_task_add"),
    path("c/<slug:slug>/term/tasks/<int:key_task_id>/delete/", views.task_delete, name="term_task_delete"),
    path("c/<slug:slug>/term/review/", views.review, name="term_review"),
    path("c/<slug:slug>/term/review/import/", views.review_import, name="term_review_import"),
    path("c/<slug:slug>/term/review/previous/", views.review_previous, name="term_review_previous"),
    path("c/<slug:slug>/term/review.docx", views.review_docx, name="term_review_docx"),
    path("c/<slug:slug>/term/review.xlsx", views.review_xlsx, name="term_review_xlsx"),
    path("c/<slug:slug>/term/dashboard/", views.term_dashboard, name="term_dashboard"),
    path("c/<slug:slug>/term/years/<int:year>/", views.year_values, name="term_year"),
    path("c/<slug:slug>/term/years/<int:year>/save/", views.year_save, name="term_year_save"),
    path("c/<slug:slug>/term/review/years/<int:year>/", views.review_year, name="term_review_year"),
    path(
        "c/<slug:slug>/term/review/years/<int:year>/save/",
        views.review_year_save,
        name="term_review_year_save",
    ),
    path("c/<slug:slug>/term/years/<int:year>/report.docx", views.year_report_docx, name="term_year_report"),
    path("c/<slug:slug>/term/midterm.docx", views.midterm_docx, name="term_midterm"),
    path("c/<slug:slug>/term/next/", views.next_congress, name="term_next_congress"),
    path("c/<slug:slug>/news/", views.news_page, name="term_news"),
    path("c/<slug:slug>/news.docx", views.news_docx, name="term_news_docx"),
    path("c/<slug:slug>/news/publish/", views.news_publish, name="term_news_publish"),
    path("news/<str:token>/", views.public_news, name="term_public_news"),
]
