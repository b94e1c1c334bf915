from django.http import HttpResponse  # placeholder until the programme pages land


def programme(request, slug):
    return HttpResponse("todo")


programme_json = search = search_json = section = programme


def resolution(request, slug, number):
    return HttpResponse("todo")
