"""Querschnittliche Views: Anmeldung mit KERN-Formular, Gesundheitsprüfung."""

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.validators import MaxLengthValidator
from django.db import connection
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from quartier.forms import KernFormMixin


class AnmeldeForm(KernFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Benutzername oder Passwort stimmen nicht. Bitte achten Sie auf Groß- und "
            "Kleinschreibung."
        ),
        "inactive": _("Dieses Konto ist deaktiviert. Bitte wenden Sie sich an die Administration."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        # AuthenticationForm setzt max_length erst nach dem Anlegen des Felds, also ohne
        # Prüfung: ein überlanges Feld käme bis zur Anmeldesperre (varchar 255) und würde
        # auf PostgreSQL zum Serverfehler. Hier wird vor `authenticate()` abgewiesen.
        benutzername = self.fields["username"]
        assert isinstance(benutzername, forms.CharField)
        benutzername.validators.append(MaxLengthValidator(benutzername.max_length or 150))
        self.fields["password"].validators.append(MaxLengthValidator(4096))
        self.fields["password"].widget = forms.PasswordInput(
            attrs={**self.fields["password"].widget.attrs, "autocomplete": "current-password"}
        )


class AnmeldeView(auth_views.LoginView):
    form_class = AnmeldeForm
    redirect_authenticated_user = True


class PasswortAendernForm(KernFormMixin, PasswordChangeForm):
    pass


class PasswortVergessenForm(KernFormMixin, PasswordResetForm):
    pass


class PasswortNeuForm(KernFormMixin, SetPasswordForm):
    pass


@require_GET
@never_cache
def gesundheit(request: HttpRequest) -> JsonResponse:
    """Für den Load Balancer: 200, wenn die Datenbank antwortet, sonst 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 – jede Störung heißt „nicht bereit“
        antwort = JsonResponse({"status": "datenbank nicht erreichbar"}, status=503)
        antwort["Retry-After"] = "30"
        return antwort
    return JsonResponse({"status": "ok"})


@require_GET
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browser fragen /favicon.ico auch ohne Verweis im HTML ab; kein 404 im Protokoll."""
    return HttpResponseRedirect(static("img/favicon.svg"))
