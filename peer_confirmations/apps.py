from django.apps import AppConfig


class PeerConfirmationsConfig(AppConfig):
    name = "peer_confirmations"
    verbose_name = "Peer confirmations"

    def ready(self) -> None:
        from accounts.erasure import register_step
        from packs.building import register_peer_confirmation_source

        from .requests import forget_owed_emails_of
        from .shown import pack_confirmations

        register_peer_confirmation_source(pack_confirmations)
        register_step(forget_owed_emails_of)
