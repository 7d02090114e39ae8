import functools
import uuid
import zoneinfo

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from . import signals


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    PROGRAMME_LEADER = "programme_leader", "Programme leader"
    ADMIN = "admin", "Admin"


class RoleChangeNotRecorded(Exception):
    """A role was changed by saving the user directly, bypassing the audit log."""


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(role=Role.ADMIN, is_superuser=True)
        return self.create_user(email, password, **fields)


@functools.cache
def time_zone_choices() -> list[tuple[str, str]]:
    """The IANA zones a person would pick from ("Europe/London", "America/New_York"): those
    named after a place, without the legacy aliases. A callable, so migrations stay short."""
    legacy = ("Etc/", "SystemV/", "US/", "posix/", "right/")
    names = sorted(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(legacy)
    )
    return [(name, name.replace("_", " ")) for name in names]


# Social Work England's and the HCPC's numbers start with letters (SW123456, SW12345); the
# Northern Ireland Social Care Council, the SSSC and Social Care Wales give numbers that may be
# digits only. Up to three letters, then four to eight digits, covers them all.
registration_number_validator = RegexValidator(
    r"^[A-Z]{0,3}\d{4,8}$",
    "Enter your registration number as it is on your certificate, such as SW123456 or "
    "7001234: up to three letters, then digits, no spaces.",
)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Email is the login; the role decides what they may see.

    There is no separate is_staff column: staff access follows from the admin role, so the two
    can never disagree.
    """

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=120, blank=True, help_text="How your name appears on your evidence pack."
    )
    pseudonym = models.CharField(
        "public pseudonym",
        max_length=80,
        blank=True,
        help_text="Optional. The name you write under online, if you use one. Never shown "
        "to anyone unless you choose to share it.",
    )
    registration_number = models.CharField(
        max_length=12,
        blank=True,
        validators=[registration_number_validator],
        help_text="Optional. The number your regulator registered you under, as it is on "
        "your certificate.",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    specialism = models.CharField(
        "role or specialism",
        max_length=120,
        blank=True,
        help_text="For example: adult mental health, AMHP; children in need; ASYE.",
    )
    employer = models.CharField(max_length=160, blank=True, help_text="Optional.")
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        default="Europe/London",
        choices=time_zone_choices,
        help_text="Chats and webinars are shown in this time zone, with London time beside it.",
    )
    cpd_reminders = models.BooleanField(
        "email me reminders before the CPD deadline",
        default=True,
        help_text="Sent a few times as your regulator's deadline nears, only while your "
        "records do not yet meet its requirements.",
    )
    # The pages of her portfolio that are kept in the cache are keyed on it (core/fragments.py).
    # Whatever changes what they show sets a new one in the same transaction
    # (portfolio/tallies.py), so a cached page is never older than the data. Random, not a
    # counter, so a database restored from a backup never meets the pages of its future.
    portfolio_version = models.UUIDField(default=uuid.uuid4, editable=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    # The role as last read from or written to the database: a change to it is refused by
    # save() unless accounts.roles.change_role() made it, so that every change is recorded.
    _saved_role: str | None = None

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            # Addresses are stored lowercased (clean()); this holds for rows written any other
            # way too, so Alex@x and alex@x can never be two accounts.
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def is_staff(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def profile_complete(self) -> bool:
        return bool(self.display_name)

    @classmethod
    def from_db(cls, db, field_names, values) -> "User":
        user = super().from_db(db, field_names, values)
        user._saved_role = user.__dict__.get("role")
        return user

    def refresh_from_db(self, *args, **kwargs) -> None:
        super().refresh_from_db(*args, **kwargs)
        self._saved_role = self.__dict__.get("role")

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        saves_role = update_fields is None or "role" in update_fields
        if saves_role and self._saved_role is not None and self.role != self._saved_role:
            raise RoleChangeNotRecorded(
                "Change a user's role with accounts.roles.change_role(), which checks it is "
                "allowed and records who changed it."
            )
        # set_password() keeps the new password until the save (an upgraded hash of the same
        # password is saved with it cleared); a new account has nothing to revoke yet.
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if saves_role:
            self._saved_role = self.role
        if password_changed:
            signals.password_changed.send(sender=type(self), user=self)

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        self.registration_number = self.registration_number.upper().replace(" ", "")


class RoleChangeRoute(models.TextChoices):
    ADMIN = "admin", "Admin site"
    SHELL = "shell", "Shell or management command"


class RoleChange(models.Model):
    """One change of a user's role: append-only, written only by accounts.roles.change_role().

    Goes with the account it is about when that is deleted; outlives whoever made it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_changes")
    from_role = models.CharField(max_length=20, choices=Role.choices)
    to_role = models.CharField(max_length=20, choices=Role.choices)
    changed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    route = models.CharField(max_length=10, choices=RoleChangeRoute.choices)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["user", "-changed_at"], name="rolechange_user_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_role=models.F("to_role")), name="rolechange_changes"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_from_role_display()} → {self.get_to_role_display()}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("The record of a role change is never altered.")
        super().save(*args, **kwargs)
