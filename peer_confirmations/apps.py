from django.apps import AppConfig


class PeerConfirmationsConfig(AppConfig):
    name = "peer_confirmations"
    verbose_name = "Peer confirmations"

    def ready(self) -> None:
        from packs.building import register_peer_confirmation_source

        from .shown import pack_confirmations

        register_peer_confirmation_source(pack_confirmations)
