import os

from django.core.wsgi import get_wsgi_application

from holdspace.core.geo import zip_centroids

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "holdspace.settings")
application = get_wsgi_application()

# Load the ZIP table before the first request rather than during someone's Find (about 0.5 s).
zip_centroids()
