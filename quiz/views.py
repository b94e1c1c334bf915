from django.http import HttpResponse  # replaced by the programme pages
def programme(request, **kw): return HttpResponse('todo')
def programme_json(request, **kw): return HttpResponse('todo')
def search(request, **kw): return HttpResponse('todo')
def search_json(request, **kw): return HttpResponse('todo')
def resolution(request, **kw): return HttpResponse('todo')
def section(request, **kw): return HttpResponse('todo')
