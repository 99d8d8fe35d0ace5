#!/usr/bin/env bash
# Ein echter PostgreSQL-Hot-Standby (Streaming-Replikation) für den Lesereplikat-Test.
#
#   scripts/standby.sh start ORDNER   legt ORDNER/standby an und gibt Shell-Zuweisungen aus:
#                                     QL_STANDBY_PRIMAER_URL, QL_STANDBY_URL (ohne Datenbank),
#                                     QL_STANDBY_DATEN, QL_STANDBY_BIN
#   scripts/standby.sh stop ORDNER    hält Standby (und ggf. eigenen Primärserver) an, löscht ORDNER
#
# Primärserver ist QL_STANDBY_PRIMAER (Vorgabe 127.0.0.1:5432), wenn er Replikations-
# verbindungen annimmt (pg_hba „replication“, wal_level replica/logical, max_wal_senders > 0).
# Sonst startet das Skript einen eigenen Primärserver-Cluster in ORDNER/primaer – der laufende
# Server wird nie umkonfiguriert. Der Standby entsteht mit `pg_basebackup -R` und lauscht auf
# QL_STANDBY_PORT (Vorgabe: der erste freie Port ab 5433). initdb/pg_ctl laufen nie als root:
# als root wird alles über `runuser -u postgres` gestartet.
set -euo pipefail

befehl=${1:-}
ordner=${2:-}
[[ -n "$befehl" && -n "$ordner" ]] || { echo "Aufruf: $0 start|stop ORDNER" >&2; exit 2; }

bin=${QL_STANDBY_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}
[[ -x "$bin/pg_ctl" ]] || { echo "PostgreSQL-Server fehlt (/usr/lib/postgresql/*/bin)" >&2; exit 1; }

als_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Wartet, bis ein Befehl gelingt: kurze Abfragen in einer Schleife mit Frist (Sekunden).
warten_bis() {
  local frist=$1 was=$2
  shift 2
  local ende=$((SECONDS + frist))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= ende)); then
      echo "Zeitgrenze überschritten: $was" >&2
      return 1
    fi
    sleep 0.2
  done
}

port_frei() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

freier_port() {
  local p=$1
  until port_frei "$p"; do p=$((p + 1)); done
  echo "$p"
}

abfrage() { # abfrage HOST PORT SQL
  psql -h "$1" -p "$2" -U postgres -d postgres -XAtqc "$3"
}

stoppen() { # stoppen DATENVERZEICHNIS
  if [[ -f "$1/postmaster.pid" ]]; then
    als_postgres "$bin/pg_ctl" -D "$1" stop -m fast -w >/dev/null 2>&1 \
      || als_postgres "$bin/pg_ctl" -D "$1" stop -m immediate -w >/dev/null 2>&1 || true
  fi
}

starten() { # starten DATENVERZEICHNIS PORT [weitere -c Optionen]
  local daten=$1 port=$2
  shift 2
  als_postgres "$bin/pg_ctl" -D "$daten" -l "$daten/../$(basename "$daten").log" -o \
    "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$ordner $*" start >/dev/null
  warten_bis 60 "PostgreSQL auf Port $port nimmt Verbindungen an" \
    "$bin/pg_isready" -h 127.0.0.1 -p "$port"
}

# Nimmt der Primärserver Replikationsverbindungen an und schreibt er genug WAL dafür?
repliziert() { # repliziert HOST PORT
  local stufe sender
  stufe=$(abfrage "$1" "$2" "SHOW wal_level" 2>/dev/null) || return 1
  sender=$(abfrage "$1" "$2" "SHOW max_wal_senders" 2>/dev/null) || return 1
  [[ "$stufe" == replica || "$stufe" == logical ]] && ((sender > 0)) || return 1
  psql "host=$1 port=$2 user=postgres replication=true" -XAtqc "IDENTIFY_SYSTEM" >/dev/null 2>&1
}

start() {
  mkdir -p "$ordner"
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$ordner"
  local primaer=${QL_STANDBY_PRIMAER:-127.0.0.1:5432}
  local p_host=${primaer%%:*} p_port=${primaer##*:}

  if ! repliziert "$p_host" "$p_port"; then
    echo "Primärserver $primaer nimmt keine Replikationsverbindungen an: eigener Primärserver" >&2
    p_host=127.0.0.1
    p_port=$(freier_port "${QL_STANDBY_PRIMAER_PORT:-5434}")
    als_postgres "$bin/initdb" -D "$ordner/primaer" -A trust -U postgres --no-sync -E UTF8 \
      --locale C >/dev/null
    # Wegwerf-Cluster für Tests: Haltbarkeit abgeschaltet, Replikation wie im Betrieb.
    starten "$ordner/primaer" "$p_port" -c wal_level=replica -c max_wal_senders=5 \
      -c fsync=off -c synchronous_commit=off -c full_page_writes=off
    repliziert "$p_host" "$p_port" || { echo "eigener Primärserver repliziert nicht" >&2; exit 1; }
  fi

  local s_port
  s_port=$(freier_port "${QL_STANDBY_PORT:-5433}")
  als_postgres "$bin/pg_basebackup" -h "$p_host" -p "$p_port" -U postgres -D "$ordner/standby" \
    -R -X stream -c fast --no-sync
  # Debian hält postgresql.conf und pg_hba.conf außerhalb des Datenverzeichnisses (/etc).
  local datei
  for datei in postgresql.conf pg_ident.conf; do
    [[ -f "$ordner/standby/$datei" ]] || als_postgres touch "$ordner/standby/$datei"
  done
  if [[ ! -f "$ordner/standby/pg_hba.conf" ]]; then
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' \
      | als_postgres tee "$ordner/standby/pg_hba.conf" >/dev/null
  fi
  # hot_standby_feedback: lange Auswertungen auf dem Standby werden nicht abgebrochen, weil der
  # Primärserver Zeilen wegräumt, die sie noch lesen.
  starten "$ordner/standby" "$s_port" -c hot_standby=on -c hot_standby_feedback=on \
    -c fsync=off
  warten_bis 60 "Standby ist im Wiederherstellungsmodus" \
    bash -c "[[ \$(psql -h 127.0.0.1 -p $s_port -U postgres -d postgres -XAtqc \
      'SELECT pg_is_in_recovery()') == t ]]"
  warten_bis 60 "Standby empfängt WAL per Streaming" \
    bash -c "[[ \$(psql -h 127.0.0.1 -p $s_port -U postgres -d postgres -XAtqc \
      'SELECT status FROM pg_stat_wal_receiver') == streaming ]]"

  echo "Hot Standby auf Port $s_port repliziert $p_host:$p_port" >&2
  printf 'export QL_STANDBY_PRIMAER_URL=%q\n' "postgres://postgres@$p_host:$p_port"
  printf 'export QL_STANDBY_URL=%q\n' "postgres://postgres@127.0.0.1:$s_port"
  printf 'export QL_STANDBY_DATEN=%q\n' "$ordner/standby"
  printf 'export QL_STANDBY_BIN=%q\n' "$bin"
}

stop() {
  stoppen "$ordner/standby"
  stoppen "$ordner/primaer"
  rm -rf "$ordner"
}

case "$befehl" in
  start) start ;;
  stop) stop ;;
  *) echo "Aufruf: $0 start|stop ORDNER" >&2; exit 2 ;;
esac
