"""Property tests must not pass vacuously (issue 11): every `@given` test names at least two
outcomes it must reach (`@pytest.mark.reaches`), and the plugin in `lib.testing_properties`
fails a run that misses one or refuses every input."""

import ast
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

PACKAGE = Path(__file__).resolve().parents[2]

# A property whose inputs have only one interesting outcome, with the reason. Keep this tiny.
ONE_OUTCOME_ALLOWED: dict[str, str] = {}


def _is_call_to(node: ast.expr, dotted: str) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    return ast.unparse(target) in {dotted, dotted.rsplit(".", 1)[-1]}


def _reached_outcomes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str] | None:
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == "pytest.mark.reaches":
            return [
                arg.value
                for arg in decorator.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            ]
    return None


def _properties_and_markers(tree: ast.Module):
    """(test function, the `@given` functions in it or itself) for every top-level function and
    method: a property nested in a test (a counting helper) is guarded by the test's marker."""
    tops = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    functions += [n for c in tops for n in c.body if isinstance(n, ast.FunctionDef)]
    for function in functions:
        given = [
            node
            for node in ast.walk(function)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and any(_is_call_to(d, "hypothesis.given") for d in node.decorator_list)
        ]
        if given:
            yield function, given


def unguarded_properties() -> list[str]:
    """Every test holding a `@given` property without enough `reaches` outcomes."""
    problems = []
    for path in sorted(PACKAGE.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function, _given in _properties_and_markers(tree):
            name = f"{path.relative_to(PACKAGE.parent)}::{function.name}"
            outcomes = _reached_outcomes(function)
            if not function.name.startswith("test"):
                problems.append(f"{name}: a property in a helper, not in a marked test")
            elif outcomes is None:
                problems.append(f"{name}: no @pytest.mark.reaches")
            elif len(outcomes) < 2 and not (len(outcomes) == 1 and name in ONE_OUTCOME_ALLOWED):
                problems.append(f"{name}: reaches {outcomes}, needs two outcomes")
    return problems


def test_every_property_names_the_outcomes_it_must_reach():
    assert unguarded_properties() == []


def test_the_scan_finds_properties():
    found = [
        function.name
        for path in PACKAGE.rglob("test_*.py")
        for function, _given in _properties_and_markers(ast.parse(path.read_text("utf-8")))
    ]
    assert len(found) >= 40


# The plugin itself, run in a fresh pytest (negatives first).

PLUGIN_SETUP = """
[pytest]
addopts = -p no:django -p no:cacheprovider --strict-markers
markers =
    reaches(*events): must reach
"""


@pytest.fixture
def inner(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini(PLUGIN_SETUP)
    pytester.makeconftest(
        "from hypothesis import settings\n"
        'settings.register_profile("inner", derandomize=True, database=None)\n'
        'settings.load_profile("inner")\n'
        'pytest_plugins = ["partnernet.lib.testing_properties"]\n'
    )
    return pytester


def test_a_strategy_that_never_reaches_a_listed_event_fails(inner: pytest.Pytester):
    inner.makepyfile(
        """
        import pytest
        from hypothesis import event, given, strategies as st

        @pytest.mark.reaches("negative", "positive")
        @given(st.integers(min_value=0))
        def test_sign(x):
            event("negative" if x < 0 else "positive")
        """
    )
    result = inner.runpytest()
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    assert "vacuous property test: never reached ['negative'] (in 1 cases each) in " in output
    assert "events seen: {'positive': " in output


def test_events_of_refused_cases_do_not_count(inner: pytest.Pytester):
    inner.makepyfile(
        """
        import pytest
        from hypothesis import assume, event, given, strategies as st

        @pytest.mark.reaches("small", "large")
        @given(st.integers(min_value=0, max_value=20))
        def test_size(x):
            event("large" if x > 10 else "small")
            assume(x <= 10)
        """
    )
    result = inner.runpytest()
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    assert "never reached ['large'] (in 1 cases each) in " in output
    assert "events seen: {'small': " in output


def test_a_property_that_refuses_every_input_fails(inner: pytest.Pytester):
    inner.makepyfile(
        """
        from hypothesis import HealthCheck, assume, given, settings, strategies as st

        @settings(suppress_health_check=list(HealthCheck))
        @given(st.integers())
        def test_nothing(x):
            assume(False)
        """
    )
    result = inner.runpytest()
    result.assert_outcomes(failed=1)


def test_fewer_passing_cases_than_asked_fails(inner: pytest.Pytester):
    inner.makepyfile(
        """
        import pytest
        from hypothesis import event, given, strategies as st

        @pytest.mark.reaches("true", "false", passed=5)
        @given(st.booleans())
        def test_bool(b):
            event(str(b).lower())
        """
    )
    result = inner.runpytest()
    result.assert_outcomes(failed=1)
    assert "2 Hypothesis cases passed, 5 needed" in result.stdout.str()


def test_an_event_reached_fewer_times_than_asked_fails(inner: pytest.Pytester):
    inner.makepyfile(
        """
        import pytest
        from hypothesis import event, given, settings, strategies as st

        @pytest.mark.reaches("zero", "other", each=10)
        @settings(max_examples=50)
        @given(st.integers(0, 1000))
        def test_zero(x):
            event("zero" if x == 0 else "other")
        """
    )
    result = inner.runpytest()
    result.assert_outcomes(failed=1)
    assert "never reached ['zero'] (in 10 cases each)" in result.stdout.str()


def test_a_property_run_inside_a_marked_test_is_checked_too(inner: pytest.Pytester):
    inner.makepyfile(
        """
        import pytest
        from hypothesis import event, given, strategies as st

        @pytest.mark.reaches("even", "odd")
        def test_runs_a_property():
            @given(st.integers().map(lambda n: 2 * n))
            def run(n):
                event("even" if n % 2 == 0 else "odd")

            run()
        """
    )
    result = inner.runpytest()
    result.assert_outcomes(failed=1)
    assert "never reached ['odd']" in result.stdout.str()


def test_a_property_reaching_every_listed_event_passes(inner: pytest.Pytester):
    inner.makepyfile(
        """
        import pytest
        from hypothesis import assume, event, given, strategies as st

        @pytest.mark.reaches("negative", "positive", "kind: zero")
        @given(st.one_of(st.just(0), st.integers()))
        def test_sign(x):
            assume(x != 7)
            event("negative" if x < 0 else "positive")
            if x == 0:
                event("kind", "zero")
        """
    )
    result = inner.runpytest()
    result.assert_outcomes(passed=1)
