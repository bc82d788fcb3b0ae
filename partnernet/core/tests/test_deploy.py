"""deploy/ stays true: its environment is one the README documents, and `check --deploy` finds
nothing to warn about in it."""

import re
import subprocess
import sys
from pathlib import Path

import partnernet

ROOT = Path(partnernet.__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
README = (ROOT / "README.md").read_text(encoding="utf-8")
SAFE_KEY = "deploy-test-" + "Vq7!kP2#zR9m" * 5
LINE = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")


def env_example() -> dict[str, str]:
    values = {}
    for number, line in enumerate(
        (DEPLOY / "env.example").read_text(encoding="utf-8").splitlines(), 1
    ):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = LINE.match(line)
        assert match, f"env.example line {number} is not NAME=value: {line!r}"
        values[match[1]] = match[2]
    return values


def test_every_line_of_the_example_environment_is_read_as_a_setting():
    values = env_example()
    assert {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "TRUSTED_PROXIES"} <= set(
        values
    )
    assert values["DEBUG"] == "0"


def test_every_variable_of_the_example_environment_is_documented_in_the_readme():
    missing = sorted(name for name in env_example() if f"| `{name}` |" not in README)
    assert not missing, f"deploy/env.example sets variables README.md does not document: {missing}"


def test_the_deployment_files_the_guide_names_exist():
    guide = (DEPLOY / "README.md").read_text(encoding="utf-8")
    named = set(
        re.findall(r"\]\(((?:systemd/)?[\w.-]+\.(?:service|timer|conf|sh|example|md))\)", guide)
    )
    assert {"nginx.conf", "env.example", "SCALE.md", "systemd/partnernet-worker.service"} <= named
    missing = sorted(name for name in named if not (DEPLOY / name).is_file())
    assert not missing, missing


def test_check_deploy_is_clean_with_the_reference_environment(tmp_path):
    environment = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    for name, value in env_example().items():
        # Placeholders (<password>, <random-secret…>) get safe test values.
        environment[name] = re.sub(r"<[^>]+>", "test-value", value)
    environment.update(SECRET_KEY=SAFE_KEY, PARTNERNET_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "partnernet", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
