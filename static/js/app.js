/*
 * Quartierslotse – kleine Verbesserungen, die Seite funktioniert auch ohne dieses Skript.
 * Geladen mit defer aus templates/base.html. Keine Inline-Handler (CSP).
 *
 * 1. html.ql-js: CSS weiß, dass JavaScript läuft (Menü-Schalter auf Telefonen).
 * 2. Menü-Schalter der Hauptnavigation (aria-expanded, Escape schließt).
 * 3. Fehlerzusammenfassung eines Formulars bekommt nach dem Laden den Fokus, damit
 *    Screenreader und Tastatur direkt bei den Fehlern landen (auch nach htmx-Austausch).
 */
(function () {
    "use strict";

    document.documentElement.classList.add("ql-js");

    function menueEinrichten() {
        var schalter = document.querySelector("[data-ql-menue-schalter]");
        if (!schalter) {
            return;
        }
        var liste = document.getElementById(schalter.getAttribute("aria-controls"));
        if (!liste) {
            return;
        }
        schalter.hidden = false;

        function setzen(offen) {
            schalter.setAttribute("aria-expanded", offen ? "true" : "false");
            liste.classList.toggle("ql-nav__liste--offen", offen);
        }

        setzen(false);
        schalter.addEventListener("click", function () {
            setzen(schalter.getAttribute("aria-expanded") !== "true");
        });
        liste.addEventListener("keydown", function (ereignis) {
            if (ereignis.key === "Escape") {
                setzen(false);
                schalter.focus();
            }
        });
    }

    // Jede Zusammenfassung nur einmal fokussieren (markiert mit data-ql-fokussiert), damit
    // ein späterer htmx-Austausch anderswo den Fokus nicht zurückreißt.
    function fehlerFokussieren() {
        var zusammenfassung = document.querySelector(
            "[data-ql-fehlerzusammenfassung]:not([data-ql-fokussiert])"
        );
        if (zusammenfassung) {
            zusammenfassung.setAttribute("data-ql-fokussiert", "");
            zusammenfassung.focus();
        }
    }

    function start() {
        menueEinrichten();
        fehlerFokussieren();
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }

    // Nach einem htmx-Austausch: Fehler im neuen Inhalt fokussieren.
    document.addEventListener("htmx:afterSettle", fehlerFokussieren);
})();
