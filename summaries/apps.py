from django.apps import AppConfig


class SummariesConfig(AppConfig):
    name = "summaries"
    verbose_name = "Reflective summaries"

    def ready(self) -> None:
        from core.background import register_work_kind

        from .models import ReflectiveSummary
        from .tasks import generate_summary

        # Looked up when called, so a test (or a later setting) may swap the task.
        register_work_kind(
            "summaries",
            ReflectiveSummary,
            lambda pk: generate_summary.delay(pk),
            task_name=generate_summary.name,
        )
