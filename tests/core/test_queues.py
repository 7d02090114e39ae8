"""Every task of ours has a queue (CELERY_TASK_ROUTES): heavy builds on one, light work that
someone waits for on the other, so a burst of packs never holds up an email."""

from __future__ import annotations

import pytest
from django.conf import settings

from cpd_portal.celery import app

OUR_APPS = (
    "capture",
    "core",
    "packs",
    "summaries",
    "imports",
    "account_data",
    "programmes",
    "resources",
)

HEAVY = {
    "packs.tasks.build_evidence_pack",
    "summaries.tasks.generate_summary",
    "summaries.tasks.request_nightly_summaries",
    "imports.tasks.stage_import",
    "account_data.tasks.build_account_export",
    "resources.tasks.check_library_links",
}


def our_tasks() -> set[str]:
    app.loader.import_default_modules()  # autodiscovery, as a worker does on start
    return {name for name in app.tasks if name.split(".", 1)[0] in OUR_APPS}


def queue_of(name: str) -> str:
    return app.amqp.router.route({}, name)["queue"].name


def test_every_task_of_ours_is_routed_by_name_to_one_of_the_two_queues():
    tasks = our_tasks()
    # Every route names a task that exists, and every task has a route.
    assert tasks == set(settings.CELERY_TASK_ROUTES)
    assert {queue_of(name) for name in tasks} == {"heavy", "light"}


def test_builds_are_heavy_and_everything_else_of_ours_is_light():
    assert {name for name in our_tasks() if queue_of(name) == "heavy"} == HEAVY


@pytest.mark.parametrize(
    "task", ["core.tasks.send_outgoing_email", "programmes.tasks.send_cpd_reminders"]
)
def test_emails_and_reminders_go_to_the_light_queue(task):
    assert queue_of(task) == "light"


def test_every_periodic_task_is_one_of_ours_with_a_queue():
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in settings.CELERY_TASK_ROUTES


def test_a_worker_started_without_queues_consumes_both():
    """`celery -A cpd_portal worker` in development, and the suite's in-process worker."""
    assert {queue.name for queue in app.amqp.queues.consume_from.values()} >= {"heavy", "light"}
