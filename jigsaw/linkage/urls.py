from django.urls import path

from jigsaw.linkage.views import reviews, settings, single_view

urlpatterns = [
    path("linkage/reviews/", reviews.queue, name="linkage_reviews"),
    path("linkage/reviews/<int:review_id>/", reviews.review, name="linkage_review"),
    path("people/<int:person_id>/single-view/", single_view.single_view, name="single_view"),
    path("people/<int:person_id>/links/", single_view.links, name="person_links"),
    path("linkage/settings/", settings.linkage_settings, name="linkage_settings"),
]
