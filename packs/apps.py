from django.apps import AppConfig


class PacksConfig(AppConfig):
    name = "packs"
    verbose_name = "Evidence packs"

    def ready(self) -> None:
        from accounts.erasure import register_step
        from core.background import register_work_kind

        from .building import remove_packs_of
        from .models import EvidencePack
        from .tasks import build_evidence_pack

        # Looked up when called, so a test (or a later setting) may swap the task.
        register_work_kind("evidence_packs", EvidencePack, lambda pk: build_evidence_pack.delay(pk))
        register_step(remove_packs_of)
