import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")
application = get_wsgi_application()
# What a worker loads once and keeps until it is replaced (Django, the URLconf, every view and
# what they import) is moved out of the collector's reach: a request that allocates much (a
# breakdown's rows of a district with 1,600 grassroots unions) triggers full collections, and
# each of them walked all of it again (about 90 ms of a 500 ms page; README, "Speed").
get_resolver().url_patterns  # noqa: B018  (imports the views now rather than on the first request)
gc.freeze()
