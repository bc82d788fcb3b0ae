import factory

from partnernet.accounts.models import Organisation, Role, RoleAssignment, User
from partnernet.municipalities.models import Municipality


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"api-person{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-password")


def coordinator_of(partnership, *, user=None) -> User:
    """A municipal coordinator scoped to `partnership`, on the Swedish side."""
    user = user or UserFactory()
    municipality = Municipality.objects.get(pk=partnership.swedish_partner_id)
    organisation, _ = Organisation.objects.get_or_create(
        municipality=municipality, defaults={"name": municipality.name, "kind": "municipality"}
    )
    RoleAssignment.objects.create(
        user=user,
        role=Role.MUNICIPAL_COORDINATOR,
        organisation=organisation,
        partnership=partnership,
    )
    return user
