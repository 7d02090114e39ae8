from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_removed
        from django.contrib.auth.signals import user_logged_in

        from .mfa import forget_mfa_seen
        from .sessions import start_session

        authenticator_removed.connect(forget_mfa_seen, dispatch_uid="accounts-forget-mfa-seen")
        user_logged_in.connect(start_session, dispatch_uid="accounts-start-session")
