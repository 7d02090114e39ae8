from django.apps import AppConfig


class AccountDataConfig(AppConfig):
    name = "account_data"
    verbose_name = "Your data: export and import"

    def ready(self) -> None:
        from accounts.erasure import register_step
        from core.background import register_work_kind

        from .export import remove_account_exports_of
        from .models import AccountExport
        from .tasks import build_account_export

        # Looked up when called, so a test (or a later setting) may swap the task.
        register_work_kind(
            "account_exports", AccountExport, lambda pk: build_account_export.delay(pk)
        )
        register_step(remove_account_exports_of)
