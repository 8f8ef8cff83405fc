"""Django's contrib apps and Wagtail (CMS) migrated into $CORPUS_DATABASE_URL by
`manage.py migrate`: the schema exactly as their migrations make it."""
import os
import sys
from urllib.parse import parse_qs, unquote, urlsplit

url = urlsplit(os.environ["CORPUS_DATABASE_URL"])
query = parse_qs(url.query)
database = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": unquote(url.path.lstrip("/")),
    "USER": unquote(url.username or "postgres"),
    "HOST": query.get("host", [url.hostname or ""])[0],
    "PORT": query.get("port", [str(url.port or 5432)])[0],
}

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="corpus-only",
    DATABASES={"default": database},
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    USE_TZ=True,
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[
        "django.contrib.admin",
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
        "django.contrib.staticfiles",
        "django.contrib.sites",
        "django.contrib.flatpages",
        "django.contrib.redirects",
        "django.contrib.postgres",
        "wagtail.contrib.forms",
        "wagtail.contrib.redirects",
        "wagtail.contrib.settings",
        "wagtail.contrib.search_promotions",
        "wagtail.embeds",
        "wagtail.sites",
        "wagtail.users",
        "wagtail.snippets",
        "wagtail.documents",
        "wagtail.images",
        "wagtail.search",
        "wagtail.admin",
        "wagtail",
        "modelcluster",
        "taggit",
    ],
    SITE_ID=1,
    WAGTAIL_SITE_NAME="corpus",
    WAGTAILADMIN_BASE_URL="http://localhost",
    WAGTAILSEARCH_BACKENDS={"default": {"BACKEND": "wagtail.search.backends.database"}},
    STATIC_URL="/static/",
)
urlpatterns = []
django.setup()

from django.core.management import call_command

call_command("migrate", interactive=False, verbosity=0)
sys.exit(0)
