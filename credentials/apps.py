from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = "Credentials"

    def ready(self) -> None:
        from accounts.erasure import register_step
        from programmes.review import register_sign_off_hook

        from . import checks  # noqa: F401  (registers the deploy check)
        from .erasure import forget_copies_of
        from .issuing import issue_credential

        register_sign_off_hook(issue_credential)
        register_step(forget_copies_of)
