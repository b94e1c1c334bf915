"""Open data: a live quiz's published statements and every party's grounded position."""

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404

from quiz.models import Quiz
from quiz.views import json_errors


@json_errors
def quiz_json(request: HttpRequest, slug: str) -> JsonResponse:
    quiz = get_object_or_404(Quiz.objects.live().select_related("election"), slug=slug)
    statements = (
        quiz.statements.published()
        .select_related("theme")
        .prefetch_related("positions__party", "positions__citations__resolution")
    )
    data = {
        "title": quiz.title,
        "slug": quiz.slug,
        "election": {"name": quiz.election.name, "date": quiz.election.date.isoformat()},
        "parties": [
            {"slug": p.slug, "name": p.name, "fictional": p.is_fictional}
            for p in quiz.parties.all()
        ],
        "statements": [
            {
                "order": statement.order,
                "text": statement.text,
                "short_title": statement.short_title,
                "uitleg": statement.uitleg,
                "theme": statement.theme.name,
                "positions": [
                    {
                        "party": position.party.slug,
                        "stance": position.stance,
                        "justification": position.justification,
                        "resolutions": [c.resolution.number for c in position.citations.all()],
                    }
                    for position in statement.positions.all()
                ],
            }
            for statement in statements
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response
