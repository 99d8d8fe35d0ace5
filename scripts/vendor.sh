#!/usr/bin/env bash
# Kopiert die Frontend-Dateien aus node_modules nach static/vendor/.
#
# Aufruf (im Projektverzeichnis):  npm ci && bash scripts/vendor.sh
# Die Versionen stehen exakt in package.json / package-lock.json. Nach einem Update
# static/vendor/README.md anpassen und die geänderten Dateien committen; zur Laufzeit
# braucht die Anwendung kein Node und kein CDN.
set -euo pipefail

cd "$(dirname "$0")/.."
NM=node_modules
ZIEL=static/vendor

for paket in @kern-ux/native htmx.org chart.js @kurkle/color; do
    if [[ ! -f "$NM/$paket/package.json" ]]; then
        echo "Fehlt: $NM/$paket. Bitte zuerst 'npm ci' ausführen." >&2
        exit 1
    fi
done

version() {
    node -p "require('./$NM/$1/package.json').version"
}

# Alte Kopien entfernen. Ausnahme: kern-ux/fonts/OFL-1.1.txt wird von Hand gepflegt
# (das npm-Paket legt die Schriftlizenz von Fira Sans nicht bei).
rm -rf "$ZIEL/kern-ux/kern.min.css" "$ZIEL/kern-ux/LICENSE.md" "$ZIEL/kern-ux/fonts/fira-sans.css" \
    "$ZIEL/kern-ux/fonts/fira-sans" "$ZIEL/htmx" "$ZIEL/chartjs"
mkdir -p "$ZIEL/kern-ux/fonts/fira-sans" "$ZIEL/htmx" "$ZIEL/chartjs"

# --- KERN-UX: CSS, Schrift Fira Sans, Lizenz ------------------------------------------
# kern.min.css enthält keine url() auf Dateien (nur data:-SVGs) und keinen sourceMappingURL.
KERN="$NM/@kern-ux/native"
cp "$KERN/dist/kern.min.css" "$ZIEL/kern-ux/kern.min.css"
cp "$KERN/LICENSE.md" "$ZIEL/kern-ux/LICENSE.md"
cp "$KERN/dist/fonts/fira-sans.css" "$ZIEL/kern-ux/fonts/fira-sans.css"
# Nur die Schriftschnitte, die fira-sans.css tatsächlich referenziert (url("./fira-sans/…")).
# So findet collectstatic (ManifestStaticFilesStorage) jede referenzierte Datei.
grep -o 'url("\./fira-sans/[^"]*")' "$KERN/dist/fonts/fira-sans.css" \
    | sed -e 's/^url("\.\/fira-sans\///' -e 's/")$//' \
    | sort -u \
    | while read -r datei; do
        cp "$KERN/dist/fonts/fira-sans/$datei" "$ZIEL/kern-ux/fonts/fira-sans/$datei"
    done

# --- htmx -----------------------------------------------------------------------------
cp "$NM/htmx.org/dist/htmx.min.js" "$ZIEL/htmx/htmx.min.js"
cp "$NM/htmx.org/LICENSE" "$ZIEL/htmx/LICENSE"

# --- Chart.js (UMD-Build, enthält @kurkle/color) -----------------------------------------
cp "$NM/chart.js/dist/chart.umd.min.js" "$ZIEL/chartjs/chart.umd.min.js"
cp "$NM/chart.js/dist/chart.umd.min.js.map" "$ZIEL/chartjs/chart.umd.min.js.map"
cp "$NM/chart.js/LICENSE.md" "$ZIEL/chartjs/LICENSE.md"
cp "$NM/@kurkle/color/LICENSE.md" "$ZIEL/chartjs/LICENSE-kurkle-color.md"

# --- Prüfung: jede url() und jeder sourceMappingURL zeigt auf eine vorhandene Datei ------
fehler=0
while IFS= read -r -d '' datei; do
    verz=$(dirname "$datei")
    while IFS= read -r ref; do
        [[ -z "$ref" ]] && continue
        if [[ ! -f "$verz/$ref" ]]; then
            echo "Verweis ohne Datei: $datei -> $ref" >&2
            fehler=1
        fi
    done < <(
        { grep -o 'url([^)]*)' "$datei" || true; } \
            | sed -e 's/^url(//' -e 's/)$//' -e "s/^[\"']//" -e "s/[\"']$//" \
            | grep -v -E '^(data:|#|https?:|/)' || true
        { grep -o 'sourceMappingURL=[^ *]*' "$datei" || true; } | sed 's/^sourceMappingURL=//'
    )
done < <(find "$ZIEL" -type f \( -name '*.css' -o -name '*.js' \) -print0)
if [[ $fehler -ne 0 ]]; then
    exit 1
fi

echo "Vendored:"
echo "  @kern-ux/native $(version @kern-ux/native)"
echo "  htmx.org        $(version htmx.org)"
echo "  chart.js        $(version chart.js) (mit @kurkle/color $(version @kurkle/color))"
echo "Bitte static/vendor/README.md prüfen und anpassen."
