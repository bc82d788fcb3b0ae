"""People and organisations. Roles and the permission rules live in `permissions.py`."""

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from partnernet.audit.personal import DELETE, SELF, PersonalData


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password) if password else user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with their e-mail address."""

    username = None  # type: ignore[assignment]  # signs in with the e-mail address
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        default="sv",
        choices=[("sv", "Svenska"), ("uk", "Українська"), ("en", "English")],
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    # Ours takes an e-mail address where Django's UserManager takes a username.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    PERSONAL_DATA = PersonalData(
        subject=SELF,
        identity=("email", "full_name", "first_name", "last_name"),
        secrets=("password",),
        pseudonyms={"email": "erased-{pk}@invalid"},
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.email


class Organisation(models.Model):
    """The funder, or a municipality taking part in the network."""

    class Kind(models.TextChoices):
        FUNDER = "funder", _("funder")
        MUNICIPALITY = "municipality", _("municipality")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    municipality = models.OneToOneField(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisation",
    )
    iati_identifier = models.CharField(
        _("IATI organisation identifier"), max_length=100, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PROGRAMME_OFFICER = "programme_officer", _("programme officer")
    REVIEWER = "reviewer", _("reviewer")
    FINANCE_OFFICER = "finance_officer", _("finance officer")
    NETWORK_COORDINATOR = "network_coordinator", _("network coordinator")
    MUNICIPAL_COORDINATOR = "municipal_coordinator", _("municipal coordinator")
    PROJECT_MEMBER = "project_member", _("project member")
    STEERING_GROUP_MEMBER = "steering_group_member", _("steering-group member")


STAFF_ROLES = {
    Role.PROGRAMME_OFFICER,
    Role.REVIEWER,
    Role.FINANCE_OFFICER,
    Role.NETWORK_COORDINATOR,
}


class RoleAssignment(models.Model):
    """A person's role in an organisation, optionally scoped to one partnership.

    A role scoped to a partnership applies to that partnership only, on the side of the
    person's organisation (Swedish or Ukrainian).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roles")
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    PERSONAL_DATA = PersonalData(subject="user")

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation", "partnership"],
                name="unique_role_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.organisation})"


class LoginFailure(models.Model):
    """One wrong password, kept for the lock-out window (per account and per address)."""

    email = models.CharField(max_length=254, db_index=True)
    ip_address = models.CharField(max_length=45, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    PERSONAL_DATA = PersonalData(identity=("email",), attributes=("ip_address",), on_erase=DELETE)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.email} {self.ip_address}"


class SessionRecord(models.Model):
    """A signed-in session of a person, so they can see where they are signed in and end it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="session_records")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField()
    ip_address = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    PERSONAL_DATA = PersonalData(
        subject="user",
        attributes=("ip_address", "user_agent"),
        secrets=("session_key",),
        on_erase=DELETE,
    )

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
