from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Stemtest redactie"
admin.site.site_title = "Stemtest redactie"
admin.site.index_title = "Stellingen, standpunten en programma's"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("quiz.urls")),
]
