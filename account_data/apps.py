from django.apps import AppConfig


class AccountDataConfig(AppConfig):
    name = "account_data"
    verbose_name = "Your data: export and import"

    def ready(self) -> None:
        from accounts.erasure import register_step
        from core.background import register_work_kind
        from core.leftovers import register_stored_files

        from .export import WORK_LABEL, remove_account_exports_of
        from .models import AccountExport
        from .tasks import build_account_export

        # Looked up when called, so a test (or a later setting) may swap the task.
        register_work_kind(
            WORK_LABEL,
            AccountExport,
            lambda pk: build_account_export.delay(pk),
            task_name=build_account_export.name,
        )
        register_stored_files("account-exports", AccountExport)
        register_step(remove_account_exports_of)
