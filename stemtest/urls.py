from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.i18n import JavaScriptCatalog

# The JavaScript's strings in the page's language (static/js/i18n.js), for French and English
# pages; the Dutch ones need none (their msgids are the Dutch). The same for every visitor:
# browsers and shared caches keep it an hour.
javascript_catalog = cache_page(60 * 60)(JavaScriptCatalog.as_view(packages=["quiz"]))

urlpatterns = [
    path("admin/", admin.site.urls),  # Dutch only
    # Dutch on the plain addresses, French under /fr/, English under /en/ (stemtest.locale).
    *i18n_patterns(
        path("", include("quiz.urls")),
        path("vertalingen.js", javascript_catalog, name="javascript_catalog"),
        prefix_default_language=False,
    ),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),  # only in DEBUG
]
