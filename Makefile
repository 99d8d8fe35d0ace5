# Quartierslotse – die Befehle für Entwicklung, Demo und CI.
# Voraussetzung: Python 3.11+ und make. Alles andere installiert `make install` in .venv.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Links in Mails zeigen auf die App, die `make demo` startet – auch auf einem anderen PORT.
QL_BASIS_URL ?= http://127.0.0.1:$(PORT)
STAMP := $(VENV)/.installiert

.PHONY: install hooks demo test test-e2e lint typecheck format migrate check-deploy clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Neu installieren nur, wenn sich Abhängigkeiten oder Sperrdatei geändert haben.
$(STAMP): pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# Für Entwickelnde: pre-commit (Extra „dev“) und die Hooks aus .pre-commit-config.yaml.
hooks: install
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test,dev]"
	$(VENV)/bin/pre-commit install

migrate: install
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=$${DEBUG:-1} QL_BASIS_URL=$(QL_BASIS_URL) $(PY) manage.py demo_daten
	@echo ""
	@echo "Quartierslotse läuft auf http://127.0.0.1:$(PORT)/ – Anmeldung z. B. mit qm / demo."
	@# Der Worker für Exporte im Hintergrund läuft neben dem Webserver und endet mit ihm
	@# (auch bei Strg+C oder wenn der Webserver nicht startet).
	DEBUG=$${DEBUG:-1} QL_BASIS_URL=$(QL_BASIS_URL) $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=$${DEBUG:-1} QL_BASIS_URL=$(QL_BASIS_URL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install typecheck
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	DEBUG=1 $(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Prüft die Produktionseinstellungen wie im Betrieb (ohne DEBUG, mit HTTPS).
check-deploy: install
	DEBUG=0 SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=quartierslotse.example.org QL_BASIS_URL=https://quartierslotse.example.org \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
