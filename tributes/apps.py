from django.apps import AppConfig


class TributesConfig(AppConfig):
    name = "tributes"
    verbose_name = "Memorials and tributes"
