from django.urls import path

from jigsaw.people import views

urlpatterns = [
    path("", views.search_people, name="people"),
    path("add/", views.add_person, name="add_person"),
    path("<int:person_id>/", views.person, name="person"),
    path("<int:person_id>/edit/", views.edit_person, name="edit_person"),
    path("<int:person_id>/history/", views.history, name="person_history"),
    path("<int:person_id>/access/", views.access_log, name="person_access_log"),
    path("<int:person_id>/relationships/add/", views.add_relationship, name="add_relationship"),
]
