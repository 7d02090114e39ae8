"""Deleting an account, the one way it is done (the site's "Delete my account" and the admin's
delete both call ``erase_account``): every row of the person's goes, their files are removed
from storage once the deletion has committed, and what a programme keeps of a student stays
under a pseudonym.

Each app knows what it holds of a person, and this app may not import the apps above it, so
they register here (in their AppConfig.ready): a *check* that can refuse the deletion, saying
why (a programme's last leader), and *steps* that run in the deletion's transaction before the
account's row is deleted (and its rows with it, by their foreign keys), to name the files to
remove or to keep an anonymised record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from core.models import OutgoingEmail

from .models import User


class ErasureRefused(Exception):
    """The account cannot be deleted yet; the message says why and what to do first."""


@dataclass
class Erasure:
    """One account's deletion under way, as the registered steps see it."""

    user: User
    files: list[tuple[Storage, str]] = field(default_factory=list)

    def remove_files(self, storage: Storage, names: Iterable[str]) -> None:
        """Remove these files from ``storage`` once the deletion commits: a deletion rolled
        back loses no file."""
        self.files.extend((storage, name) for name in names if name)


Check = Callable[[User], Iterable[str]]
Step = Callable[[Erasure], None]
_checks: list[Check] = []
_steps: list[Step] = []


def register_check(check: Check) -> None:
    """``check(user)`` yields a reason for each thing that must be done before ``user`` can
    be deleted."""
    _checks.append(check)


def register_step(step: Step) -> None:
    _steps.append(step)


def reasons_to_wait(user: User) -> list[str]:
    """What must be done before ``user`` can be deleted: nothing, usually."""
    return [reason for check in _checks for reason in check(user)]


def _delete_sessions(user: User) -> None:
    """Sign the account out everywhere. Sessions kept in the database are found by reading
    the live ones (a session names its user only inside its encoded data); a session kept
    only in the cache cannot be listed, but it names an account that no longer exists, so
    Django treats it as signed out on its next request."""
    store_class = import_string(settings.SESSION_ENGINE + ".SessionStore")
    if not issubclass(store_class, DatabaseSessionStore):
        return
    model = store_class.get_model_class()
    user_id = str(user.pk)
    live = model.objects.filter(expire_date__gt=timezone.now())
    for session in live.iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            store_class(session.session_key).delete()


@transaction.atomic
def erase_account(user: User) -> None:
    """Delete ``user``'s account and everything of theirs, or raise ErasureRefused."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if reasons := reasons_to_wait(user):
        raise ErasureRefused(" ".join(reasons))
    erasure = Erasure(user)
    for step in _steps:
        step(erasure)
    _delete_sessions(user)
    # Emails owed or sent to the address: a sent one keeps its recipient and subject.
    OutgoingEmail.objects.filter(recipient=user.email).delete()
    user.delete()
    for storage, name in erasure.files:
        transaction.on_commit(partial(storage.delete, name))
