from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_removed

        from .mfa import forget_mfa_seen

        authenticator_removed.connect(forget_mfa_seen, dispatch_uid="accounts-forget-mfa-seen")
