"""Account pages: sign-in (with lock-out and two-factor), passwords by one-time links, the
person's own page (profile, sessions, export), two-factor set-up, and staff's people pages."""

import json
import math
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnernet.lib.addresses import client_address

from . import selectors, services
from .forms import (
    EraseForm,
    InvitationForm,
    LoginForm,
    PasswordResetForm,
    ProfileForm,
    SetPasswordForm,
    TokenForm,
)
from .middleware import (
    PENDING_NEXT,
    PENDING_SINCE,
    PENDING_USER,
    user_language,
    with_language_cookie,
)
from .models import User
from .permissions import (
    AccessRefused,
    Perm,
    authenticated,
    public,
    requires,
    requires_two_factor,
)
from .qr import qr_data_uri

PENDING_MAX_AGE = 5 * 60


def safe_next(request, candidate: str | None) -> str:
    """A path on this site, else "" (the person's start page). Only a path: `redirect("0")`
    would look "0" up as a view name and fail (found by the login fuzz test once it signed in)."""
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return ""


def start_url(user: User) -> str:
    """The person's start page, in their preferred language (`/uk/me/`)."""
    with translation.override(user_language(user)):
        return reverse("me")


def signed_in_redirect(user: User, next_url: str):
    """Where a sign-in lands (the safe `next`, else the start page), with the language cookie
    set to the person's preferred language: the pages without a language prefix follow it."""
    response = redirect(next_url or start_url(user))
    return with_language_cookie(response, user_language(user))


def locked_message(until) -> str:
    when = formats.time_format(timezone.localtime(until), "H:i")
    return _(
        "Too many failed sign-ins. For your safety, sign-in is closed until %(time)s. "
        "Try again then, or ask for a new password."
    ) % {"time": when}


def locked_response(response, until):
    """429 Too Many Requests, with the seconds until sign-in opens again (RFC 9110 Retry-After)."""
    response.status_code = 429
    response["Retry-After"] = str(max(1, math.ceil((until - timezone.now()).total_seconds())))
    return response


@public
def login_view(request):
    form = LoginForm(request.POST or None)
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    until = None
    if request.method == "POST" and form.is_valid():
        email, ip = form.cleaned_data["email"].lower(), client_address(request)
        until = services.login_locked_until(email=email, ip_address=ip)
        user = (
            None
            if until
            else authenticate(request, email=email, password=form.cleaned_data["password"])
        )
        if until is None and user is None:
            services.login_failure_record(email=email, ip_address=ip)
            until = services.login_locked_until(email=email, ip_address=ip)
            form.add_error(None, _("The e-mail address or the password is wrong."))
        if until is not None:
            form.errors.clear()
            form.add_error(None, locked_message(until))
        if user is not None:
            services.login_failures_clear(email=email)
            return sign_in_or_ask_code(request, user, next_url)
    status = 400 if request.method == "POST" else 200
    response = render(
        request, "accounts/login.html", {"form": form, "next": next_url}, status=status
    )
    return locked_response(response, until) if until else response


def sign_in_or_ask_code(request, user: User, next_url: str):
    language = user_language(user)
    if selectors.has_two_factor(user=user):
        request.session[PENDING_USER] = user.pk
        request.session[PENDING_SINCE] = time.time()
        request.session[PENDING_NEXT] = next_url
        return with_language_cookie(redirect("accounts:login_verify"), language)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if requires_two_factor(user):
        # AccountSecurityMiddleware holds them on the two-factor pages until they verify.
        with translation.override(language):
            messages.info(
                request,
                _("Staff must sign in with two factors. Set up your authenticator app now."),
            )
        return with_language_cookie(redirect("accounts:two_factor"), language)
    return signed_in_redirect(user, next_url)


def pending_user(request) -> User | None:
    since = request.session.get(PENDING_SINCE) or 0
    if time.time() - since > PENDING_MAX_AGE:
        return None
    return User.objects.filter(pk=request.session.get(PENDING_USER), is_active=True).first()


@public
def login_verify(request):
    user = pending_user(request)
    if user is None:
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    until = None
    if request.method == "POST" and form.is_valid():
        ip = client_address(request)
        until = services.login_locked_until(email=user.email, ip_address=ip)
        device = None if until else match_token(user, form.cleaned_data["token"])
        if device is None:
            if until is None:
                services.login_failure_record(email=user.email, ip_address=ip)
                until = services.login_locked_until(email=user.email, ip_address=ip)
            form.add_error(
                "token", locked_message(until) if until else _("The code is wrong or has expired.")
            )
        else:
            next_url = request.session.get(PENDING_NEXT) or ""
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            services.login_failures_clear(email=user.email)
            return signed_in_redirect(user, next_url)
    status = 400 if request.method == "POST" else 200
    response = render(request, "accounts/verify.html", {"form": form}, status=status)
    return locked_response(response, until) if until else response


@public
@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("/")


@authenticated
def account_home(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(
            user=request.user,
            full_name=form.cleaned_data["full_name"],
            preferred_language=form.cleaned_data["preferred_language"],
        )
        language = user_language(request.user)
        with translation.override(language):
            messages.success(request, _("Your details are saved."))
        # The pages without a language prefix follow the newly chosen language.
        return with_language_cookie(redirect("accounts:home"), language)
    context = {
        "form": form,
        "sessions": selectors.sessions_of(user=request.user),
        "current_key": request.session.session_key,
        "roles": selectors.roles_of(user=request.user),
        "has_two_factor": selectors.has_two_factor(user=request.user),
        "recovery_left": selectors.recovery_codes_left(user=request.user),
    }
    return render(request, "accounts/home.html", context, status=400 if form.errors else 200)


@authenticated
@require_POST
def sessions_end(request):
    count = services.sessions_end_all(user=request.user)
    logout(request)
    messages.info(
        request,
        _("All your sessions have ended (%(count)s). Please sign in again.") % {"count": count},
    )
    return redirect("accounts:login")


@authenticated
def export_self(request):
    return export_response(request.user)


def export_response(user: User) -> HttpResponse:
    body = json.dumps(selectors.person_export(user=user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="partnernet-person-{user.pk}.json"'
    return response


@public
def password_reset(request):
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(email=form.cleaned_data["email"])
        messages.info(
            request,
            _(
                "If the address belongs to an account, we have sent it a link to set a new "
                "password."
            ),
        )
        return redirect("accounts:login")
    status = 400 if form.errors else 200
    return render(request, "accounts/password_reset.html", {"form": form}, status=status)


@public
def password_set(request, uidb64: str, token: str):
    user = selectors.user_from_uid(uidb64)
    if user is None or not default_token_generator.check_token(user, token):
        # An unknown, used or expired link: there is nothing at this address any more.
        return render(request, "accounts/password_link_invalid.html", status=404)
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and not request.user.is_authenticated:
        # The link was sent to this person: their page speaks their language.
        translation.activate(user_language(user))
        request.LANGUAGE_CODE = user_language(user)
    form = SetPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.user_set_password(user=user, password=form.cleaned_data["password1"])
        messages.success(request, _("Your password is set. You can sign in now."))
        return redirect("accounts:login")
    status = 400 if form.errors else 200
    return render(
        request, "accounts/password_set.html", {"form": form, "person": user}, status=status
    )


@authenticated
def two_factor(request):
    """Set up an authenticator (QR code + first code); then show the recovery codes once."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None or request.method == "GET" and "restart" in request.GET:
        device = services.totp_device_start(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_device_confirm(device=device, token=form.cleaned_data["token"])
        if codes is not None:
            otp_login(request, TOTPDevice.objects.get(pk=device.pk))
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error("token", _("The code is wrong or has expired."))
    context = {
        "form": form,
        "qr": qr_data_uri(device.config_url),
        "secret": device_secret(device),
        "has_two_factor": selectors.has_two_factor(user=request.user),
    }
    return render(request, "accounts/two_factor.html", context, status=400 if form.errors else 200)


def device_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode()


@authenticated
@require_POST
def recovery_codes(request):
    if not selectors.has_two_factor(user=request.user):
        return redirect("accounts:two_factor")
    codes = services.recovery_codes_generate(user=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@requires(Perm.PEOPLE_INVITE)
def people(request):
    """Everyone with an account, and the invitation form. A new account gets a one-time link
    (shown here and e-mailed); an existing account never does: it gets the role and an e-mail."""
    form = InvitationForm(request.POST or None)
    link, status = None, 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.user_invite(
                email=data["email"],
                role=data["role"],
                organisation=data["organisation"],
                full_name=data["full_name"],
                invited_by=request.user,
                language=data["language"],
            )
        except AccessRefused as refused:
            form.add_error(None, refused.message)
            status = 403
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            link = invitation.link
            text = (
                _("%(email)s is invited; the link has been e-mailed.")
                if invitation.created
                else _(
                    "%(email)s already has an account: the role is added and they have been "
                    "told by e-mail."
                )
            )
            messages.success(request, text % {"email": invitation.user.email})
            form = InvitationForm()
    if form.errors and status == 200:
        status = 400
    context = {"form": form, "link": link, "people": selectors.people_list()}
    return render(request, "accounts/people.html", context, status=status)


@requires(Perm.PERSON_EXPORT)
def person_export(request, pk: int):
    return export_response(
        selectors.person_for_user(user=request.user, pk=pk, perm=Perm.PERSON_EXPORT)
    )


@requires(Perm.PERSON_ERASE)
def person_erase(request, pk: int):
    person = selectors.person_for_user(user=request.user, pk=pk, perm=Perm.PERSON_ERASE)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.person_erase(
            user=person,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            also_known_as=form.cleaned_data["other_names"],
        )
        messages.success(
            request, _("The person has been erased; their records are kept anonymously.")
        )
        return redirect("accounts:people")
    status = 400 if form.errors else 200
    return render(
        request, "accounts/person_erase.html", {"form": form, "person": person}, status=status
    )
