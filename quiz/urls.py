from django.urls import path

from quiz import views

urlpatterns = [
    path("programma/<slug:slug>/", views.programme, name="programme"),
    path("programma/<slug:slug>.json", views.programme_json, name="programme_json"),
    path("programma/<slug:slug>/zoeken/", views.search, name="search"),
    path("programma/<slug:slug>/zoeken.json", views.search_json, name="search_json"),
    path("programma/<slug:slug>/resolutie/<int:number>/", views.resolution, name="resolution"),
    path("programma/<slug:slug>/<str:number>/", views.section, name="section"),
]
