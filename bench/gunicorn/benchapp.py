"""The system being replaced: a one-file Django service with the sample app's endpoints.

Run it as the seed does: gunicorn --workers $WEB_CONCURRENCY --access-logfile - benchapp
"""
import time

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import JsonResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="benchmark-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    # Django's default stack, less the middleware that needs a database
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    INSTALLED_APPS=[],
    USE_TZ=True,
)

MAX_SLEEP_MILLIS = 600_000


def hello(request):
    return JsonResponse({"message": "Hello from twelvefactor"})


def sleep(request):
    millis = max(0, min(int(request.GET.get("ms", "1000")), MAX_SLEEP_MILLIS))
    time.sleep(millis / 1000)
    return JsonResponse({"slept": millis})


def compute(request):
    millis = max(0, min(int(request.GET.get("ms", "5")), 10_000))
    budget = millis / 1000
    start = time.thread_time()
    result = 17
    while time.thread_time() - start < budget:
        for i in range(1000):
            result = (result * 31 + (result >> 7) + i) & 0xFFFFFFFFFFFF
    return JsonResponse({"computed": millis, "result": result})


urlpatterns = [path("", hello), path("sleep", sleep), path("compute", compute)]

application = get_wsgi_application()
