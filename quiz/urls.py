from django.urls import path

from quiz.views import programme

urlpatterns = [
    # Programme pages and open data
    path("programma/<slug:slug>/", programme.programme, name="programme"),
    path("programma/<slug:slug>.json", programme.programme_json, name="programme_json"),
    path("programma/<slug:slug>/zoeken/", programme.search, name="search"),
    path("programma/<slug:slug>/zoeken.json", programme.search_json, name="search_json"),
    path(
        "programma/<slug:slug>/resolutie/<int:number>/", programme.resolution, name="resolution"
    ),
    path("programma/<slug:slug>/<str:number>/", programme.section, name="section"),
    # Voter pages (quiz, results) go below
    # Editor pages outside the ModelAdmins go below
]
