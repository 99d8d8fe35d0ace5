/*
 * Quartierslotse – Diagramme aus Datentabellen (Chart.js, vendored).
 * Jede <canvas data-ql-diagramm="ID"> liest ihre Daten aus <script type="application/json"
 * id="ID"> (json_script, keine Ausführung, CSP-konform). Die Tabelle daneben bleibt die
 * zugängliche Quelle der Zahlen; das Diagramm ist ein Bild mit Beschreibung.
 * Keine Animation bei prefers-reduced-motion; Farben mit genügend Kontrast (KERN-Palette),
 * Reihen zusätzlich über Muster unterscheidbar (nicht nur über Farbe).
 */
(function () {
    "use strict";

    var FARBEN = ["#26358C", "#0A7F7F", "#B25000", "#6B2C91", "#3B6E22", "#8C1A3C"];
    var STRICHE = [[], [6, 4], [2, 3], [10, 4, 2, 4], [1, 1], [8, 8]];

    function zahl(wert, prozent) {
        if (wert === null || wert === undefined) {
            return "–";
        }
        var text = wert.toLocaleString("de-DE", {maximumFractionDigits: 1});
        return prozent ? text + " %" : text;
    }

    function zeichnen(leinwand) {
        var quelle = document.getElementById(leinwand.getAttribute("data-ql-diagramm"));
        if (!quelle || typeof window.Chart === "undefined") {
            return;
        }
        var daten = JSON.parse(quelle.textContent);
        var ruhig = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
        var linie = daten.typ === "line";
        var reihen = daten.reihen.map(function (reihe, i) {
            var farbe = FARBEN[i % FARBEN.length];
            return {
                label: reihe.name,
                data: reihe.werte,
                backgroundColor: linie ? farbe : farbe,
                borderColor: farbe,
                borderWidth: linie ? 3 : 1,
                borderDash: linie ? STRICHE[i % STRICHE.length] : [],
                pointStyle: ["circle", "rect", "triangle", "rectRot", "star", "cross"][i % 6],
                pointRadius: linie ? 4 : 0,
                spanGaps: true
            };
        });
        // Die Werteachse sagt, was sie zeigt (z. B. „Anliegen je 1.000 Einwohner:innen“).
        function achse(waagerechteAchse) {
            var werteachse = daten.waagerecht ? waagerechteAchse : !waagerechteAchse;
            return {display: Boolean(daten.achse) && werteachse, text: daten.achse || ""};
        }
        new window.Chart(leinwand, {
            type: linie ? "line" : "bar",
            data: {labels: daten.beschriftungen, datasets: reihen},
            options: {
                maintainAspectRatio: false,
                responsive: true,
                animation: ruhig ? false : {duration: 300},
                indexAxis: daten.waagerecht ? "y" : "x",
                locale: "de-DE",
                plugins: {
                    legend: {display: reihen.length > 1},
                    tooltip: {
                        callbacks: {
                            label: function (kontext) {
                                var wert = daten.waagerecht ? kontext.parsed.x : kontext.parsed.y;
                                return kontext.dataset.label + ": " + zahl(wert, daten.prozent);
                            }
                        }
                    }
                },
                scales: {
                    x: {beginAtZero: true, ticks: {font: {size: 14}}, title: achse(true)},
                    y: {beginAtZero: true, ticks: {font: {size: 14}}, title: achse(false)}
                }
            }
        });
    }

    function alle(wurzel) {
        (wurzel || document).querySelectorAll("canvas[data-ql-diagramm]").forEach(function (l) {
            if (!l.hasAttribute("data-ql-gezeichnet")) {
                l.setAttribute("data-ql-gezeichnet", "");
                zeichnen(l);
            }
        });
    }

    document.documentElement.classList.add("ql-diagramme");
    document.addEventListener("DOMContentLoaded", function () {
        alle(document);
    });
    // Nach einem htmx-Austausch (Filter ohne Neuladen) neue Diagramme zeichnen.
    document.addEventListener("htmx:afterSettle", function (ereignis) {
        alle(ereignis.target);
    });
}());
