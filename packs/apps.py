from django.apps import AppConfig


class PacksConfig(AppConfig):
    name = "packs"
    verbose_name = "Evidence packs"

    def ready(self) -> None:
        from core.background import register_work_kind

        from .models import ExportRequest
        from .tasks import build_export

        # Looked up when called, so a test (or a later setting) may swap the task.
        register_work_kind("exports", ExportRequest, lambda pk: build_export.delay(pk))
