from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "Imports"

    def ready(self) -> None:
        from accounts.erasure import register_step
        from core.background import register_work_kind

        from .models import ImportBatch
        from .staging import remove_imports_of
        from .tasks import stage_import

        # Looked up when called, so a test (or a later setting) may swap the task.
        register_work_kind("imports", ImportBatch, lambda pk: stage_import.delay(pk))
        register_step(remove_imports_of)
