from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "partnernet.workspace"
    label = "workspace"
