from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "Imports"

    def ready(self) -> None:
        from accounts.erasure import register_step
        from core.background import register_work_kind
        from core.leftovers import register_stored_files

        from .models import ImportBatch, StagedAttachment
        from .staging import remove_imports_of
        from .tasks import stage_import

        # Looked up when called, so a test (or a later setting) may swap the task.
        register_work_kind(
            "imports", ImportBatch, lambda pk: stage_import.delay(pk), task_name=stage_import.name
        )
        # Uploads waiting to be staged, and the files staged from them.
        register_stored_files("imports", ImportBatch)
        register_stored_files("imports", StagedAttachment)
        register_step(remove_imports_of)
