"""Demo step: the funder (ICLD), one organisation per seed municipality, and demo people.

Every demo person has the password `DEMO_PASSWORD`; staff must set up two-factor sign-in the
first time they sign in. Idempotent. It lives in core with the rest of the demo wiring (the top
layer may import every app): it reads the partnerships to give each seed municipality its
organisation and coordinators.
"""

from django.contrib.auth.hashers import make_password
from django.db import transaction

from partnernet.accounts.models import Organisation, Role, RoleAssignment, User
from partnernet.partnerships.models import Partnership

DEMO_PASSWORD = "partnernet-demo-2026"
FUNDER_NAME = "ICLD"
FUNDER_IATI = "SE-ON-2021006388"  # ICLD's organisation number as an IATI identifier (SE-ON)
FUNDER_PEOPLE = [
    ("officer@icld.example", "Programme Officer (demo)", Role.PROGRAMME_OFFICER),
    ("reviewer@icld.example", "Reviewer (demo)", Role.REVIEWER),
    ("finance@icld.example", "Finance Officer (demo)", Role.FINANCE_OFFICER),
    ("network@icld.example", "Network Coordinator (demo)", Role.NETWORK_COORDINATOR),
]


def funder_ensure() -> Organisation:
    funder, _created = Organisation.objects.get_or_create(
        kind=Organisation.Kind.FUNDER,
        defaults={"name": FUNDER_NAME, "iati_identifier": FUNDER_IATI},
    )
    return funder


def _person(email: str, name: str, password_hash: str, *, staff: bool = False) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": name, "password": password_hash, "is_staff": staff}
    )
    return user


@transaction.atomic
def accounts_demo_load() -> None:
    # One hash for every demo person: hashing is slow on purpose, and this runs per test DB.
    password_hash = make_password(DEMO_PASSWORD)
    funder = funder_ensure()
    for email, name, role in FUNDER_PEOPLE:
        user = _person(email, name, password_hash, staff=True)
        RoleAssignment.objects.get_or_create(
            user=user, role=role, organisation=funder, partnership=None
        )
    for partnership in Partnership.objects.select_related("swedish_partner", "partner"):
        for side, municipality in zip(
            partnership.slug.split("-", 1),
            (partnership.swedish_partner, partnership.partner),
            strict=True,
        ):
            org, _ = Organisation.objects.get_or_create(
                municipality=municipality,
                defaults={
                    "name": municipality.official_name or municipality.name,
                    "kind": Organisation.Kind.MUNICIPALITY,
                },
            )
            user = _person(
                f"{side}@demo.example", f"Coordinator {municipality.name} (demo)", password_hash
            )
            RoleAssignment.objects.get_or_create(
                user=user,
                role=Role.MUNICIPAL_COORDINATOR,
                organisation=org,
                partnership=partnership,
            )
    falun = (
        Partnership.objects.filter(slug="falun-kolomyia").select_related("swedish_partner").first()
    )
    if falun:
        org = Organisation.objects.get(municipality=falun.swedish_partner)
        for email, name, role in [
            ("member@demo.example", "Project Member (demo)", Role.PROJECT_MEMBER),
            ("steering@demo.example", "Steering Group (demo)", Role.STEERING_GROUP_MEMBER),
        ]:
            user = _person(email, name, password_hash)
            RoleAssignment.objects.get_or_create(
                user=user, role=role, organisation=org, partnership=falun
            )
