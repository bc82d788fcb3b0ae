"""The steps of `partnernet setup_demo`, in order. Each is idempotent.

Apps add their own step here (for example the queue's example profiles or the seed grants),
so that one command builds the whole demo and every test database can call the same steps.
"""

from collections.abc import Callable

from partnernet.conversations.demo import conversations_demo_load
from partnernet.documents.demo import documents_demo_load
from partnernet.events.demo import events_demo_load
from partnernet.grants.demo import grants_demo_load
from partnernet.matchmaking.demo import matchmaking_demo_load
from partnernet.municipalities.services import municipalities_import_reference_data
from partnernet.notifications.demo import notifications_demo_load
from partnernet.partnerships.services import seed_network_load
from partnernet.reports.demo import reports_demo_load
from partnernet.workspace.demo import workspace_demo_load

from .demo_accounts import accounts_demo_load

DEMO_STEPS: list[tuple[str, Callable[[], object]]] = [
    ("Registry (290 kommuner, 1 469 hromadas, Kyiv)", municipalities_import_reference_data),
    ("Seed network (democratic resilience, six partnerships)", seed_network_load),
    ("Queue: profiles, the six pairs' history, example municipalities", matchmaking_demo_load),
    ("Organisations (ICLD + seed municipalities) and demo people", accounts_demo_load),
    ("Grants: cost rules, first call, the six seed grants", grants_demo_load),
    ("Notifications for the demo people", notifications_demo_load),
    ("Workspaces: the six pairs' teams and activity plans", workspace_demo_load),
    ("Documents: minutes, a photo and the agreement of each pair", documents_demo_load),
    ("Conversation: each pair's general thread in sv, uk and en", conversations_demo_load),
    ("Network meetings: the kick-off in Visby with the six pairs registered", events_demo_load),
    ("Reports: the six pairs' results plans and reports in every state", reports_demo_load),
]
