"""Wurzel der URLs: Anmeldung, Verwaltung, Apps."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

from anliegen.views import datenschutz

from .views import (
    AnmeldeView,
    PasswortAendernForm,
    PasswortNeuForm,
    PasswortVergessenForm,
    favicon,
    gesundheit,
)

urlpatterns = [
    path("anmelden/", AnmeldeView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "passwort/aendern/",
        auth_views.PasswordChangeView.as_view(form_class=PasswortAendernForm),
        name="password_change",
    ),
    path(
        "passwort/geaendert/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "passwort/vergessen/",
        auth_views.PasswordResetView.as_view(form_class=PasswortVergessenForm),
        name="password_reset",
    ),
    path(
        "passwort/vergessen/gesendet/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "passwort/neu/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=PasswortNeuForm),
        name="password_reset_confirm",
    ),
    path(
        "passwort/neu/fertig/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "barrierefreiheit/",
        TemplateView.as_view(template_name="barrierefreiheit.html"),
        name="barrierefreiheit",
    ),
    path("gesundheit/", gesundheit, name="gesundheit"),
    path("favicon.ico", favicon),
    # vor der Verwaltung, deren Sammel-URL sonst alles unter verwaltung/ fängt
    path("verwaltung/datenschutz/", include((datenschutz.urls, "datenschutz"))),
    path("verwaltung/", admin.site.urls),
    path("", include("anliegen.urls")),
    path("", include("netzwerke.urls")),
    path("", include("quartier.urls")),
]
