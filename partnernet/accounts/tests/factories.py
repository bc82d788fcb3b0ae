import factory
from django.contrib.auth.hashers import make_password

from partnernet.accounts.models import Organisation, Role, RoleAssignment, User

PASSWORD = "correct horse battery staple 42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))


def funder() -> Organisation:
    return Organisation.objects.get(kind=Organisation.Kind.FUNDER)


def officer(**kwargs) -> User:
    user = UserFactory(is_staff=True, **kwargs)
    RoleAssignment.objects.create(user=user, role=Role.PROGRAMME_OFFICER, organisation=funder())
    return user
