"""Every dependency is a plain import at the top of a module, or an inversion (a signal, a
registry filled in `AppConfig.ready()`): never an import that may fail quietly, never one by
name at run time, never one hidden in a function to get round the layers (ARCHITECTURE.md,
"Layers"; import-linter checks the layers themselves in `make lint`).

The allow-lists name each exception with its reason. An entry that no longer matches anything
fails too, so the lists only shrink."""

import ast
import re
from pathlib import Path

import partnernet

ROOT = Path(partnernet.__file__).parent

# An import that may be missing, or a module imported by a name computed at run time.
SOFT = re.compile(
    r"except\s*\(?[^:\n]*\b(ImportError|ModuleNotFoundError)\b"
    r"|\bimport_module\("
    r"|__import__\("
)
SOFT_ALLOWED: dict[str, str] = {}

# (module path, function): an import of a Partnernet module inside a function. `ready()` in an
# apps.py is always allowed: connecting signals there is Django's inversion point.
IN_FUNCTION_ALLOWED: dict[tuple[str, str], str] = {
    ("accounts/admin_site.py", "has_permission"): (
        "the admin site is built while the app registry loads, before models can be imported"
    ),
    ("audit/pytest_plugin.py", "_audit_completeness"): (
        "a pytest plugin is imported before Django is set up"
    ),
}


def sources() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if "tests" not in path.relative_to(ROOT).parts
        and "migrations" not in path.relative_to(ROOT).parts
    )


def soft_imports() -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for path in sources():
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if SOFT.search(line):
                found.setdefault(str(path.relative_to(ROOT)), []).append(number)
    return found


def _ours(node: ast.AST) -> bool:
    """An import of a Partnernet module (absolute or relative)."""
    if isinstance(node, ast.ImportFrom):
        return bool(node.level) or (node.module or "").startswith("partnernet")
    if isinstance(node, ast.Import):
        return any(alias.name.startswith("partnernet") for alias in node.names)
    return False


def functions_importing(source: str, *, apps_module: bool = False) -> dict[str, list[int]]:
    """{function name: lines} of the imports of Partnernet modules inside functions."""
    found: dict[str, list[int]] = {}
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if apps_module and function.name == "ready":
            continue
        for node in ast.walk(function):
            if _ours(node):
                found.setdefault(function.name, []).append(node.lineno)
    return found


def imports_in_functions() -> dict[tuple[str, str], list[int]]:
    found: dict[tuple[str, str], list[int]] = {}
    for path in sources():
        name = str(path.relative_to(ROOT))
        source = path.read_text("utf-8")
        in_apps = path.name == "apps.py"
        for function, lines in functions_importing(source, apps_module=in_apps).items():
            found[(name, function)] = lines
    return found


def test_the_pattern_finds_what_it_is_meant_to_find():
    assert SOFT.search("    except ImportError:  # not there yet")
    assert SOFT.search("except (ImportError, AttributeError):")
    assert SOFT.search('grants = import_module("partnernet.grants.selectors")')
    assert SOFT.search('__import__("partnernet.grants")')
    assert not SOFT.search("except ValueError:")


def test_the_walk_finds_an_import_inside_a_function_and_spares_ready():
    source = (
        "import partnernet.lib\n"
        "from partnernet.lib import text\n"
        "def f():\n"
        "    from partnernet.grants import services\n"
        "def g():\n"
        "    from .models import X\n"
        "def h():\n"
        "    import json\n"
        "def ready():\n"
        "    from . import signals\n"
    )
    assert functions_importing(source) == {"f": [4], "g": [6], "ready": [10]}
    assert functions_importing(source, apps_module=True) == {"f": [4], "g": [6]}


def test_no_module_imports_softly():
    found = {path: lines for path, lines in soft_imports().items() if path not in SOFT_ALLOWED}
    assert found == {}, "import plainly at the top, or invert through a signal or a registry"


def test_no_module_imports_partnernet_inside_a_function():
    found = imports_in_functions()
    found = {key: lines for key, lines in found.items() if key not in IN_FUNCTION_ALLOWED}
    assert found == {}, "import plainly at the top, or invert through a signal or a registry"


def test_every_allowed_exception_is_still_needed():
    stale_soft = set(SOFT_ALLOWED) - set(soft_imports())
    stale_in_function = set(IN_FUNCTION_ALLOWED) - set(imports_in_functions())
    assert stale_soft == set() and stale_in_function == set(), "remove the entry"
