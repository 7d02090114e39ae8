from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes"

    def ready(self) -> None:
        from packs.building import register_signoff_source

        from .signoffs import pack_signoffs

        register_signoff_source(pack_signoffs)
