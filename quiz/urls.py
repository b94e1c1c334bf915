from django.urls import include, path

from quiz.views import opendata, programme, voter

# A quiz's voter flow, live under /stemtest/<slug>/ and for staff under /voorbeeld/<slug>/.
voter_patterns = [
    path("", voter.landing, name="quiz"),
    path("stelling/<int:number>/", voter.statement, name="statement"),
    path("stellingen/", voter.statements, name="statements"),
    path("overzicht/", voter.review, name="review"),
    path("resultaat/", voter.results, name="results"),
    path("resultaat.json", voter.results_json, name="results_json"),
]

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
    path("stemtest/<slug:slug>/", include(voter_patterns)),
    # A partner's iframe (Quiz.embed_origins): the quiz's landing, framable by those sites only;
    # the flow continues under /stemtest/<slug>/, framable by the same sites.
    path("embed/<slug:slug>/", voter.landing, name="embed"),
    path("stemtest/<slug:slug>/over/", voter.about, name="about"),
    # A voter's consent to count their answers (never in the preview: not in voter_patterns).
    path("stemtest/<slug:slug>/statistieken/", voter.count_answers, name="count_answers"),
    path("stemtest/<slug:slug>/deelbeeld.png", voter.share_image, name="share_image"),
    path("stemtest/<slug:slug>/naast-elkaar/", voter.side_by_side, name="side_by_side"),
    path(
        "stemtest/<slug:slug>/naast-elkaar/<slug:left>/<slug:right>/",
        voter.side_by_side,
        name="side_by_side_pair",
    ),
    # The same flow for staff, with unpublished statements: "preview:quiz", "preview:results" …
    path(
        "voorbeeld/<slug:slug>/",
        include((voter_patterns, "voter"), namespace="preview"),
        {"preview": True},
    ),
    # Editor pages outside the ModelAdmins go below (the rest is routed by quiz/admin.py)
    path("stemtest/<slug:slug>.json", opendata.quiz_json, name="quiz_json"),
]
