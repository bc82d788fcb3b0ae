"""README.md stays true: every environment variable read in settings.py and every management
command of a partnernet app is documented there."""

import ast
from pathlib import Path

from django.core.management import get_commands

import partnernet

ROOT = Path(partnernet.__file__).resolve().parent
README = (ROOT.parent / "README.md").read_text(encoding="utf-8")
ENV_READERS = {"env_str", "env_bool", "env_int", "env_list", "getenv"}


def _is_environ(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ"


def environment_variables(source: str) -> set[str]:
    """Names given to an env reader: env_str/env_bool/env_int/env_list("X", …),
    os.getenv("X"), os.environ.get("X") and os.environ["X"]."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        argument = None
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            reads_environ = name == "get" and _is_environ(getattr(func, "value", None))
            if name in ENV_READERS or reads_environ:
                argument = node.args[0]
        elif isinstance(node, ast.Subscript) and _is_environ(node.value):
            argument = node.slice
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            names.add(argument.value)
    return names


def test_the_parser_finds_every_kind_of_reader():
    source = (
        'import os\nA = env_str("ONE", "x")\nB = env_bool("TWO", True)\nC = env_int("THREE", 1)\n'
        'D = env_list("FOUR", [])\nE = os.environ.get("FIVE", "")\nF = os.environ["SIX"]\n'
        'G = os.getenv("SEVEN")\nH = {}.get("NOT_AN_ENV")\n'
    )
    assert environment_variables(source) == {
        "ONE",
        "TWO",
        "THREE",
        "FOUR",
        "FIVE",
        "SIX",
        "SEVEN",
    }


def test_settings_read_the_documented_core_variables():
    found = environment_variables((ROOT / "settings.py").read_text(encoding="utf-8"))
    assert {"DATABASE_URL", "SECRET_KEY", "DEBUG", "SITE_URL", "MEDIA_ROOT"} <= found


def test_every_environment_variable_of_the_settings_is_in_the_readme():
    found = environment_variables((ROOT / "settings.py").read_text(encoding="utf-8"))
    missing = sorted(name for name in found if f"| `{name}` |" not in README)
    assert not missing, f"README.md's configuration table lacks {missing}"


def test_every_management_command_is_in_the_readme():
    ours = sorted(name for name, app in get_commands().items() if app.startswith("partnernet."))
    assert {"setup_demo", "serve", "export_iati", "reindex_catalogue"} <= set(ours)
    missing = [name for name in ours if f"`partnernet {name}" not in README]
    assert not missing, f"README.md's command table lacks {missing}"
