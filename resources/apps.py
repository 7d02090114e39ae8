from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Resource library"

    def ready(self) -> None:
        from portfolio.starting_values import register_starting_values

        from .log_this import entry_initial_from_query

        register_starting_values(entry_initial_from_query)
        _renew_the_library_on_every_edit()


def _renew_the_library_on_every_edit() -> None:
    """The library's pages are cached (core/fragments.py) until a resource, a topic, a
    curated list or an event changes, however it is changed: curation, the CSV import, the
    admin, the link checker. All of them save through the models."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from core.fragments import LIBRARY, renewal_of

    from .models import CuratedList, CuratedListItem, Event, Resource, ResourceTag

    renew_library = renewal_of(LIBRARY)
    for model in (Resource, ResourceTag, CuratedList, CuratedListItem, Event):
        for signal in (post_save, post_delete):
            signal.connect(renew_library, sender=model, weak=False, dispatch_uid=f"lib-{model}")
    for through in (Resource.tags.through, Resource.capabilities.through):
        m2m_changed.connect(renew_library, sender=through, weak=False, dispatch_uid=f"{through}")
