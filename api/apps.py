from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # Registers the bearer scheme with drf-spectacular, which finds extensions by import.
        from . import schema  # noqa: F401

        _revoke_tokens_on_password_change()


def _revoke_tokens_on_password_change() -> None:
    from accounts.signals import password_changed

    from .tokens import revoke_tokens_of

    def revoke(user, **_arguments) -> None:
        revoke_tokens_of(user)

    password_changed.connect(revoke, weak=False, dispatch_uid="api-revoke-tokens")
