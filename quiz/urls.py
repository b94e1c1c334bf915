from django.urls import path

from quiz.views import opendata, programme, voter

urlpatterns = [
    # Programme pages and open data
    path("programma/", programme.programmes, name="programmes"),
    path("programma/<slug:slug>/", programme.programme, name="programme"),
    path("programma/<slug:slug>.json", programme.programme_json, name="programme_json"),
    path("programma/<slug:slug>/zoeken/", programme.search, name="search"),
    path("programma/<slug:slug>/zoeken.json", programme.search_json, name="search_json"),
    path("programma/<slug:slug>/resolutie/<int:number>/", programme.resolution, name="resolution"),
    path("programma/<slug:slug>/<str:number>/", programme.section, name="section"),
    # Voter pages (quiz, results) go below
    path("", voter.home, name="home"),
    path("hoe-berekenen/", voter.method, name="method"),
    path("stemtest/<slug:slug>/", voter.landing, name="quiz"),
    path("stemtest/<slug:slug>/over/", voter.about, name="about"),
    path("stemtest/<slug:slug>/deelbeeld.png", voter.share_image, name="share_image"),
    path("stemtest/<slug:slug>/naast-elkaar/", voter.side_by_side, name="side_by_side"),
    path(
        "stemtest/<slug:slug>/naast-elkaar/<slug:left>/<slug:right>/",
        voter.side_by_side,
        name="side_by_side_pair",
    ),
    path("stemtest/<slug:slug>/stelling/<int:number>/", voter.statement, name="statement"),
    path("stemtest/<slug:slug>/stellingen/", voter.statements, name="statements"),
    path("stemtest/<slug:slug>/overzicht/", voter.review, name="review"),
    path("stemtest/<slug:slug>/resultaat/", voter.results, name="results"),
    path("stemtest/<slug:slug>/resultaat.json", voter.results_json, name="results_json"),
    path("voorbeeld/<slug:slug>/", voter.landing, {"preview": True}, name="quiz_preview"),
    path(
        "voorbeeld/<slug:slug>/stelling/<int:number>/",
        voter.statement,
        {"preview": True},
        name="preview_statement",
    ),
    path(
        "voorbeeld/<slug:slug>/stellingen/",
        voter.statements,
        {"preview": True},
        name="preview_statements",
    ),
    path(
        "voorbeeld/<slug:slug>/overzicht/", voter.review, {"preview": True}, name="preview_review"
    ),
    path(
        "voorbeeld/<slug:slug>/resultaat/", voter.results, {"preview": True}, name="preview_results"
    ),
    path(
        "voorbeeld/<slug:slug>/resultaat.json",
        voter.results_json,
        {"preview": True},
        name="preview_results_json",
    ),
    # Editor pages outside the ModelAdmins go below (the rest is routed by quiz/admin.py)
    path("stemtest/<slug:slug>.json", opendata.quiz_json, name="quiz_json"),
]
