import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from accounts.models import Role
from tests.clock import pinned_moment
from tests.factories import make_user

# The private files' storages: each test's own folder, or the object store.
pytest_plugins = ["tests.storage_backends"]

# Property tests draw the same examples on every run, so `make test` and CI pass or fail
# together; `pytest --hypothesis-profile=explore` searches afresh with many more examples.
hypothesis_settings.register_profile("repeatable", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("explore", max_examples=2_000, print_blob=True)
hypothesis_settings.load_profile("repeatable")

_suite_clock = time_machine.travel(pinned_moment(), tick=False)


def pytest_configure(config):
    """Collection, and anything else outside a test, happens at the pinned moment with the
    clock stopped (tests/clock.py), so even a module-level date is never the real one."""
    _suite_clock.start()  # first: pytest_unconfigure stops it, even after a usage error
    if django_settings.SECURE_SSL_REDIRECT:
        raise pytest.UsageError(
            "The test client and the live server speak plain http, which production's settings "
            "redirect to https: run the tests with DJANGO_HTTPS=0 (make test sets it)."
        )


def pytest_unconfigure(config):
    _suite_clock.stop()


@pytest.fixture(autouse=True)
def _pinned_clock(request, time_machine):
    """Each test starts at the pinned moment, and the clock ticks on from there as a real one
    does (so what is saved later is later). A test about other dates pins its own with
    @pytest.mark.time_machine(...), or moves it with the time_machine fixture. Threads the
    test starts (the live server, a Celery worker) read the same clock: time-machine patches
    the process."""
    if not request.node.get_closest_marker("time_machine"):
        time_machine.move_to(pinned_moment(), tick=True)


@pytest.fixture(scope="session", autouse=True)
def collected_static_root(tmp_path_factory):
    """Tests run without DEBUG, so static files are named and served as in production: from
    what collectstatic gathered, under the manifest's hashed names, and no page renders
    without the manifest. The suite collects them once, into a directory of its own, so a
    clean clone needs no step first and a stale collection is never read. It collects with
    Django's manifest storage, whose names and manifest WhiteNoise's production storage
    inherits unchanged: WhiteNoise's subclass only adds compressed copies, which would take
    half a minute (brotli, over the admin's files too) and which no test reads."""
    root = tmp_path_factory.mktemp("static")
    storages = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def _end_sessions_on(database: str) -> None:
    """Ends every session PostgreSQL has open on `database`. Asked from Django's connection
    to the server's "postgres" database, the one it creates and drops test databases from:
    behind PgBouncer, a connection to `database` itself could be one of those sessions."""
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [database],
        )


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, django_db_blocker):
    """Behind PgBouncer (`make pgbouncer`), server connections to the test database outlive
    the run that used them if it was killed before its end, and Django could not drop that
    run's database to create this one's."""
    if django_settings.DATABASE_PGBOUNCER:
        with django_db_blocker.unblock():
            _end_sessions_on(connection.creation._get_test_db_name())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, with one more step before it is dropped: threads the
    tests start (the live server, the Celery worker, concurrent requests) keep their own
    connections, idle but open when the session ends, and PostgreSQL will not drop a database
    anyone is connected to; behind PgBouncer, its idle server connections are among them.
    Only sessions that use the database pay for it."""
    yield
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock():
            _end_sessions_on(connection.settings_dict["NAME"])


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Tests make many users; hashing each password properly would be much of the run, and
    no test is about the hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _sessions_outlast_time_travel(settings):
    """Tests move the clock by days with one signed-in client; a session would end in the
    meantime (accounts/sessions.py). Only the tests of that rule set real bounds."""
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 10 * 365 * 24 * 60
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 60 * 60


@pytest.fixture(scope="session")
def credentials_key_file(tmp_path_factory):
    """Where the run's credential-signing key is made, once (an RSA key takes a moment to
    make): never the repository's var/."""
    return tmp_path_factory.mktemp("credentials") / "signing-key.pem"


@pytest.fixture(autouse=True)
def _credentials_signing_key(settings, credentials_key_file):
    settings.CREDENTIALS_SIGNING_KEY_PATH = str(credentials_key_file)


@pytest.fixture
def rendered_afresh(settings):
    """No part of a page comes from the cache (core/fragments.py): for tests that count what
    building a page costs. tests/portfolio/test_cached_pages.py counts what a cached one does."""
    settings.FRAGMENT_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _clear_cache():
    # allauth's rate limits live in the cache; one test's logins must not throttle the next.
    cache.clear()
    yield


@pytest.fixture
def practitioner(db):
    return make_user("alex@example.org", display_name="Alex Morgan")


@pytest.fixture
def other_practitioner(db):
    return make_user("jo@example.org", display_name="Jo Other")


@pytest.fixture
def programme_leader(db):
    return make_user("leader@example.org", role=Role.PROGRAMME_LEADER, display_name="Dr Sam Patel")


@pytest.fixture
def client_for():
    def build(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return build


@pytest.fixture
def send_owed_emails(db):
    """Send every email owed and still unsent (core/outbox.py), oldest first, as a worker on
    the light queue would once the request committed: a test inside a transaction never
    commits, so nothing is enqueued. Returns how many went out."""
    from core.models import OutgoingEmail
    from core.outbox import send_outgoing_email

    def send() -> int:
        unsent = OutgoingEmail.objects.filter(sent_at__isnull=True).order_by("pk")
        return sum(send_outgoing_email(pk) for pk in unsent.values_list("pk", flat=True))

    return send


@pytest.fixture
def celery_worker(transactional_db, settings, time_machine):
    """A real Celery worker consuming from Redis in a thread of this process.

    Tasks enqueued on commit by the code under test run in it against the same test database,
    so a test sees what the worker wrote. Needs REDIS_URL (``make test`` sets it). The worker
    reads the test's clock, ticking even where the test had stopped it: a retry's countdown
    has to come round."""
    from celery.contrib.testing.worker import start_worker

    from cpd_portal.celery import app

    time_machine.move_to(timezone.now(), tick=True)

    if not settings.REDIS_URL:
        pytest.fail("Tests with a real Celery worker need REDIS_URL (make test sets it).")
    app.conf.task_always_eager = False
    app.control.purge()
    queues = [settings.CELERY_HEAVY_QUEUE, settings.CELERY_LIGHT_QUEUE]  # as one dev worker does
    with start_worker(
        app, pool="solo", queues=queues, perform_ping_check=False, shutdown_timeout=30
    ) as worker:
        yield worker
    app.control.purge()
