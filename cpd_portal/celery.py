import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpd_portal.settings")

# Every task goes to the broker, or with no broker to threads of the web process
# (core/embedded_worker.py).
app = Celery("cpd_portal", task_cls="core.embedded_worker:EmbeddedOrBrokerTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
