from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = "Credentials"

    def ready(self) -> None:
        from programmes.review import register_sign_off_hook

        from .issuing import issue_credential

        register_sign_off_hook(issue_credential)
