"""Browser tests: the `browser` (session) and `page` fixtures are defined once, in the root
conftest.py. Test modules only need `pytestmark = pytest.mark.browser` and the fixture names as
arguments. The names below are kept so that older `from … import browser, page` lines still
work: they are plain values, not fixtures, so they do not shadow the conftest fixtures.
"""

browser = page = None
