"""Einstellungen von Quartierslotse.

Eine Datei für alle Umgebungen, gesteuert über Umgebungsvariablen (django-environ).
Jede Variable steht mit Bedeutung und Vorgabe in README.md und `.env.example`.
Die Vorgaben sind sicher: ohne `DEBUG=1` braucht es `SECRET_KEY` und `ALLOWED_HOSTS`.
"""

import secrets
import sys
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# Befehle, die nur das Schema lesen und nie etwas signieren: ohne SECRET_KEY mit einem
# Wegwerf-Schlüssel je Prozess (Prüfungen vor dem Commit, CI). Ein Server startet ohne nie.
_OHNE_GEHEIMNIS = {"makemigrations"}
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and len(sys.argv) > 1 and sys.argv[1] in _OHNE_GEHEIMNIS:
    SECRET_KEY = secrets.token_urlsafe(50)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY fehlt. Setzen Sie SECRET_KEY (oder DEBUG=1 für die lokale Entwicklung)."
        )
    SECRET_KEY = "django-insecure-nur-fuer-die-lokale-entwicklung"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.admin.QuartierslotseAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "mailer",
    "django_tasks",
    "django_tasks_db",
    "quartier",
    "netzwerke",
    "anliegen",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # weit außen: macht auch aus Datenbankfehlern in Sitzung und Anmeldung 503 statt 500
    "config.middleware.DatenbankNichtErreichbarMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.AbsoluteSessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # merkt sich nach einer Änderung die WAL-Position (Lesen nach Schreiben, nur mit Replikat)
    "config.router.LesenNachSchreibenMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # axes muss zuletzt stehen (Dokumentation von django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.navigation",
            ],
        },
    }
]

# --- Datenbank ---------------------------------------------------------------------------
# SQLite ist die eingebettete Vorgabe; DATABASE_URL=postgres://… schaltet auf PostgreSQL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Gegen "database is locked" bei parallelen Anfragen: Schreibtransaktionen beginnen
    # sofort mit der Sperre (IMMEDIATE) und warten bis zu 20 s statt sofort zu scheitern;
    # WAL lässt Leser neben einem Schreiber weiterarbeiten.
    _db.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    )
else:
    # Persistente Verbindungen, die nach einem Neustart der Datenbank selbst heilen.
    _db.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    _db["CONN_HEALTH_CHECKS"] = True

# Lesereplikat (README „Lesereplikat“): DATABASE_REPLICA_URL=postgres://… auf einen Hot Standby
# legt den Alias `replica` an. config.router lässt nur Auswertungen und Exporte (@vom_replikat)
# von ihm lesen; alles andere – Schreiben, Transaktionen, Sitzung, Anmeldung – bleibt auf
# `default`. Ohne die Variable gibt es nur `default`, keinen Router und keine Middleware.
if _replikat_url := env.str("DATABASE_REPLICA_URL", default=""):
    _replikat = env.db_url_config(_replikat_url)
    _replikat.setdefault("CONN_MAX_AGE", _db.get("CONN_MAX_AGE", 0))
    _replikat["CONN_HEALTH_CHECKS"] = True
    if _replikat["ENGINE"] == "django.db.backends.postgresql":
        # Ein ausgefallenes Replikat soll eine Seite nicht lange aufhalten (dann: Primärserver).
        _replikat.setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    # Tests: der Standby liest die physisch replizierte Test-Datenbank von `default`; Django
    # legt für `replica` keine eigene an (tests/test_replikat.py zeigt den Alias auf den Standby).
    _replikat["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replikat
    DATABASE_ROUTERS = ["config.router.LesereplikatRouter"]
# Schalter ohne Neustart der Konfiguration: 0 liest überall vom Primärserver (Wartung des
# Standbys; in den Tests die Vorgabe, tests/test_replikat.py schaltet es ein).
QL_REPLIKAT_LESEN = env.bool("QL_REPLIKAT_LESEN", default=True)
# Lesen nach Schreiben: nach einer erfolgreichen Änderung liest dieselbe Person so lange auch
# Auswertungen vom Primärserver, bis der Standby ihren Commit nachweislich eingespielt hat
# (pg_last_wal_replay_lsn), höchstens so viele Sekunden. Die Vorgabe liegt über PostgreSQLs
# max_standby_streaming_delay (30 s), dem größten Verzug eines gesunden Standbys.
QL_REPLIKAT_SCHONFRIST_SEKUNDEN = env.int("QL_REPLIKAT_SCHONFRIST_SEKUNDEN", default=60)
# Nach einem Verbindungsfehler so lange nur vom Primärserver lesen (je Prozess).
QL_REPLIKAT_PAUSE_SEKUNDEN = env.int("QL_REPLIKAT_PAUSE_SEKUNDEN", default=30)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "quartier.User"

# --- Anmeldung und Passwörter --------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "quartier:start"
LOGOUT_REDIRECT_URL = "login"

# Anmeldesperre (django-axes): nach 5 Fehlversuchen je Kennung und IP 15 Minuten Pause.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/gesperrt.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Hinter einem Proxy die Client-IP aus X-Forwarded-For lesen (Anzahl der Proxys angeben).
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# --- Sitzungen ---------------------------------------------------------------------------
# Abmeldung nach 30 Minuten Untätigkeit, spätestens nach 12 Stunden (OWASP ASVS L2).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
# Nicht bei jeder Anfrage speichern (ein UPDATE je Seite): config.middleware frischt die
# Sitzung höchstens einmal je Minute auf.
SESSION_SAVE_EVERY_REQUEST = False
# Datenbank-Sitzungen; ein Ausfall beim Speichern ist 503, nicht 400 (config/sitzung.py).
SESSION_ENGINE = "config.sitzung"
QL_SITZUNG_AUFFRISCHEN_SEKUNDEN = env.int("QL_SITZUNG_AUFFRISCHEN_SEKUNDEN", default=60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_HOURS", default=12) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Sicherheit (HTTPS, Cookies, Kopfzeilen) ----------------------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
if CSRF_COOKIE_SECURE:
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp): nur eigene Dateien, Inline-Skripte nur mit Nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Zwischenspeicher ---------------------------------------------------------------------
# Trägt die Zähler der Anfragebegrenzung (Antwortlinks). Die Vorgabe (locmem) zählt je
# Prozess; mit mehreren Gunicorn-Workern teilen sie sich besser einen Speicher, z. B.
# CACHE_URL=dbcache://ql_cache (einmal `manage.py createcachetable`) oder redis://….
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# --- Sprache und Zeit --------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Statische Dateien (whitenoise) ------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Anhänge von Anliegen. Nie öffentlich ausgeliefert: keine URL zeigt auf MEDIA_ROOT, nur die
# View `anliegen:anhang` nach der Rechteprüfung (MEDIA_URL bleibt ungenutzt).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# Uploads über 2,5 MB gehen in eine temporäre Datei statt in den Speicher (Django-Vorgabe);
# Formularfelder ohne Dateien bleiben auf 2,5 MB begrenzt, höchstens 10 Dateien je Anfrage.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# --- E-Mail ------------------------------------------------------------------------------
# Jede Mail landet zuerst im Postausgang der Datenbank (django-mailer), in derselben
# Transaktion wie die Änderung, die sie auslöst. `manage.py send_mail` (oder `runmailer`)
# stellt sie über MAILER_EMAIL_BACKEND zu; bei Störung bleibt sie zurückgestellt.
EMAIL_BACKEND = "mailer.backend.DbBackend"
_email = env.email_url("EMAIL_URL", default="consolemail://")
MAILER_EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="quartierslotse@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Das Protokoll gesendeter Mails behält Empfänger und Zeit, nicht den Inhalt: Mails enthalten
# Antwortlinks (Schlüssel im Klartext) und Texte an meldende Personen.
MAILER_EMAIL_LOG_MESSAGE_DATA = False

# --- Hintergrundaufgaben (django-tasks, Warteschlange in der Datenbank) ---------------------
# Große Exporte laufen im Hintergrund: `manage.py db_worker` holt die Aufträge aus der
# Datenbank (neben dem Webserver als eigener Prozess; `make demo` startet ihn mit).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# XLSX-Exporte bis zu so vielen Zeilen entstehen sofort in der Anfrage, größere im
# Hintergrund (CSV streamt immer sofort, auf Wunsch auch im Hintergrund).
QL_EXPORT_SOFORT_ZEILEN = env.int("QL_EXPORT_SOFORT_ZEILEN", default=5000)
# Fertige Exportdateien liegen so viele Stunden bereit; danach löscht `exporte_aufraeumen`
# Datei und Auftrag. Sie liegen unter MEDIA_ROOT/exporte/ (nie öffentlich ausgeliefert).
QL_EXPORT_AUFBEWAHRUNG_STUNDEN = env.int("QL_EXPORT_AUFBEWAHRUNG_STUNDEN", default=72)

# --- Protokollierung ---------------------------------------------------------------------
LOGGING = {
    "version": 1,
    # Die Logger von Django bleiben aktiv, sonst verschwinden 500er aus dem Protokoll.
    "disable_existing_loggers": False,
    "formatters": {
        "einfach": {"format": "{asctime} {levelname} {name} {message}", "style": "{"},
    },
    "filters": {
        # schwärzt E-Mail-Adressen in jeder Zeile (Datenschutz, siehe config/protokoll.py)
        "ohne_email": {"()": "config.protokoll.OhneEmailAdressen"},
        # Schlüssel von Antwortlinks im Pfad (CSRF-Warnungen, 500er) nie im Klartext.
        "schluessel_ausblenden": {"()": "config.protokoll.SchluesselAusblenden"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "einfach",
            "filters": ["ohne_email", "schluessel_ausblenden"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.security": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # django-mailer schreibt auf INFO Betreff und Empfänger jeder Mail (Bürger:innen!).
        "mailer": {"level": "WARNING"},
    },
}

# --- Fachliche Einstellungen -------------------------------------------------------------
# Name der Kommune, wie er in Kopfzeile und E-Mails erscheint.
QL_STADT = env.str("QL_STADT", default="Aachen")
# Öffentliche Adresse der App für Links in Mails, z. B. https://quartierslotse.aachen.de.
# Vorgabe nur in der Entwicklung (`make demo` setzt sie nach PORT); ohne DEBUG lässt eine
# fehlende Adresse `check --deploy` scheitern (config/checks.py, quartierslotse.E001).
QL_BASIS_URL = env.str("QL_BASIS_URL", default="http://127.0.0.1:8000" if DEBUG else "")
# Höchstgröße eines Anhangs (Foto, PDF) in MB; je Formular höchstens QL_ANHANG_MAX_ANZAHL Dateien.
QL_ANHANG_MAX_MB = env.int("QL_ANHANG_MAX_MB", default=10)
QL_ANHANG_MAX_ANZAHL = 5
# Datenschutz: Nach so vielen Tagen seit dem Abschluss (aller ihrer Anliegen) anonymisiert
# `manage.py anonymisieren` die Daten einer meldenden Person (täglicher Zeitplan).
QL_ANONYMISIEREN_NACH_TAGEN = env.int("QL_ANONYMISIEREN_NACH_TAGEN", default=365)
# Antwortlink in der Weiterleitungs-Mail: so viele Tage gültig (widerrufbar, erneuerbar).
QL_ANTWORTLINK_TAGE = env.int("QL_ANTWORTLINK_TAGE", default=30)
# Anfragebegrenzung der Antwortlink-Seiten je Zeitfenster (Sekunden): ungültige Links je
# Client-IP (gegen Raten) und Aufrufe je gültigem Link.
QL_ANTWORTLINK_FENSTER = env.int("QL_ANTWORTLINK_FENSTER", default=600)
QL_ANTWORTLINK_FEHLVERSUCHE_JE_IP = env.int("QL_ANTWORTLINK_FEHLVERSUCHE_JE_IP", default=30)
QL_ANTWORTLINK_AUFRUFE_JE_LINK = env.int("QL_ANTWORTLINK_AUFRUFE_JE_LINK", default=60)

# Ähnliche offene Anliegen beim Erfassen (anliegen/duplikate.py): gleiches Thema im gleichen
# Quartier, erfasst in den letzten QL_DUPLIKAT_TAGE Tagen, oder eine nahe Adresse (gleiche
# Straße und Hausnummer oder höchstens QL_DUPLIKAT_METER Meter entfernt).
QL_DUPLIKAT_TAGE = env.int("QL_DUPLIKAT_TAGE", default=60)
QL_DUPLIKAT_METER = env.int("QL_DUPLIKAT_METER", default=150)

# --- Fristen und Erinnerungen (siehe README, Abschnitt „Fristen und Erinnerungen“) ----------
# Arbeitstage zählen ohne Wochenende und die gesetzlichen Feiertage dieses Landes
# (Kürzel wie im Paket `holidays`: NW, BY, BE …).
QL_BUNDESLAND = env.str("QL_BUNDESLAND", default="NW")
# Stadteigene Schließtage: „JJJJ-MM-TT“ (einmal, z. B. Rosenmontag) oder „MM-TT“ (jedes Jahr).
QL_ZUSAETZLICHE_FREIE_TAGE = env.list("QL_ZUSAETZLICHE_FREIE_TAGE", default=[])
# Eine Antwort des Fachbereichs ist nach so vielen Arbeitstagen ohne Rückmeldung an die Person
# überfällig; das zuständige QM wird erinnert.
QL_RUECKMELDEFRIST_ARBEITSTAGE = env.int("QL_RUECKMELDEFRIST_ARBEITSTAGE", default=10)
# So viele Arbeitstage nach der ersten Erinnerung (Frist einer Weiterleitung, fällige Zusage)
# geht eine Eskalation an das zuständige QM.
QL_ESKALATION_ARBEITSTAGE = env.int("QL_ESKALATION_ARBEITSTAGE", default=5)
# Angenommen, aber so viele Arbeitstage weder Antwort noch Zwischenbescheid: Nachfrage.
QL_WACHHUND_ARBEITSTAGE = env.int("QL_WACHHUND_ARBEITSTAGE", default=10)
# Absender der Rückmeldebriefe (DIN 5008): Briefkopf, Rücksendeangabe und Fußzeile.
# Die Vorgaben sind BEISPIELWERTE für die Demo (Aachen) – vor dem Betrieb über die Umgebung
# setzen. Kontakt im Infoblock: das Stadtteilbüro des Quartiers, sonst diese Angaben.
QL_ABSENDER = {
    "stadt": env.str("QL_ABSENDER_STADT", default=f"Stadt {QL_STADT}"),
    "dienststelle": env.str(
        "QL_ABSENDER_DIENSTSTELLE", default="Fachbereich Soziales und Integration"
    ),
    "abteilung": env.str("QL_ABSENDER_ABTEILUNG", default="Quartiersmanagement"),
    "strasse": env.str("QL_ABSENDER_STRASSE", default="Beispielstraße 1"),
    "plz_ort": env.str("QL_ABSENDER_PLZ_ORT", default="52062 Aachen"),
    "telefon": env.str("QL_ABSENDER_TELEFON", default="0241 432-0"),
    "email": env.str("QL_ABSENDER_EMAIL", default="quartiersmanagement@example.invalid"),
    "internet": env.str("QL_ABSENDER_INTERNET", default="www.aachen.de"),
}
