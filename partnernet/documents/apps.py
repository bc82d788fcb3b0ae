from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "partnernet.documents"
    label = "documents"
