/*
 * Quartierslotse – kleine Verbesserungen, die Seite funktioniert auch ohne dieses Skript.
 * Geladen mit defer aus templates/base.html. Keine Inline-Handler (CSP).
 *
 * 1. html.ql-js: CSS weiß, dass JavaScript läuft (Menü-Schalter auf Telefonen).
 * 2. Menü-Schalter der Hauptnavigation (aria-expanded, Escape schließt).
 * 3. Fehlerzusammenfassung eines Formulars bekommt nach dem Laden den Fokus, damit
 *    Screenreader und Tastatur direkt bei den Fehlern landen (auch nach htmx-Austausch).
 * 4. Textbausteine (templates/anliegen/_textbaustein.html): „Einfügen“ füllt das Textfeld
 *    direkt aus data-ql-text der gewählten Option, statt das Formular zu senden. Regel wie
 *    ohne JavaScript (anliegen/forms/textbausteine.py): leeres Feld oder unveränderter
 *    Vorschlag (data-ql-vorschlag) wird ersetzt, eigener Text bleibt und der Baustein kommt
 *    darunter. Bei Antworten zeigt die Auswahl nur Bausteine zur gewählten Entscheidung.
 * 5. Knopf „Drucken“ (data-ql-drucken) auf der Druckansicht des Briefs: window.print().
 * 6. Erfassen: der Hinweis unter der Themenwahl (data-ql-thema-ziel = id der Auswahl, eine
 *    Live-Region) nennt sofort den Fachbereich des gewählten Themas, aus data-ql-ziel der
 *    Option (vom Server übersetzt). Ohne JavaScript steht dort die Routing-Tabelle.
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

    function entscheidungFiltern(auswahl) {
        var form = auswahl.form;
        if (!form) {
            return;
        }
        var radios = form.querySelectorAll("input[type=radio][name=entscheidung]");
        if (!radios.length) {
            return;
        }
        function filtern() {
            var gewaehlt = form.querySelector("input[type=radio][name=entscheidung]:checked");
            var wert = gewaehlt ? gewaehlt.value : "";
            Array.prototype.forEach.call(auswahl.options, function (option) {
                var passt = option.getAttribute("data-ql-entscheidung");
                option.hidden = Boolean(wert && passt && passt !== wert);
                if (option.hidden && option.selected) {
                    auswahl.value = "";
                }
            });
        }
        Array.prototype.forEach.call(radios, function (radio) {
            radio.addEventListener("change", filtern);
        });
        filtern();
    }

    function textbausteineEinrichten() {
        document.querySelectorAll("[data-ql-baustein-knopf]").forEach(function (knopf) {
            var auswahl = document.getElementById(knopf.getAttribute("data-ql-baustein-knopf"));
            if (!auswahl) {
                return;
            }
            var ziel = document.getElementById(auswahl.getAttribute("data-ql-textbaustein"));
            var status = knopf.parentNode.querySelector("[data-ql-baustein-status]");
            if (!ziel) {
                return;
            }
            entscheidungFiltern(auswahl);
            knopf.addEventListener("click", function (ereignis) {
                ereignis.preventDefault();
                var option = auswahl.options[auswahl.selectedIndex];
                var text = option ? option.getAttribute("data-ql-text") : null;
                if (!text) {
                    if (status) {
                        status.textContent = "Bitte zuerst einen Textbaustein wählen.";
                    }
                    auswahl.focus();
                    return;
                }
                var jetzt = ziel.value.trim();
                var vorschlag = (ziel.getAttribute("data-ql-vorschlag") || "").trim();
                if (!jetzt || jetzt === vorschlag) {
                    ziel.value = text;
                } else {
                    ziel.value = ziel.value.replace(/\s+$/, "") + "\n\n" + text;
                }
                ziel.dispatchEvent(new Event("input", { bubbles: true }));
                if (status) {
                    status.textContent = "Textbaustein eingefügt; Sie können den Text bearbeiten.";
                }
                ziel.focus();
            });
        });
    }

    function druckenEinrichten() {
        document.querySelectorAll("[data-ql-drucken]").forEach(function (knopf) {
            knopf.hidden = false;
            knopf.addEventListener("click", function () {
                window.print();
            });
        });
    }

    function themaZielEinrichten() {
        document.querySelectorAll("[data-ql-thema-ziel]").forEach(function (hinweis) {
            var auswahl = document.getElementById(hinweis.getAttribute("data-ql-thema-ziel"));
            if (!auswahl) {
                return;
            }
            auswahl.addEventListener("change", function () {
                var option = auswahl.options[auswahl.selectedIndex];
                var ziel = option ? option.getAttribute("data-ql-ziel") : null;
                hinweis.textContent = ziel || hinweis.getAttribute("data-ql-leer") || "";
            });
        });
    }

    function start() {
        menueEinrichten();
        fehlerFokussieren();
        textbausteineEinrichten();
        druckenEinrichten();
        themaZielEinrichten();
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }

    // Nach einem htmx-Austausch: Fehler im neuen Inhalt fokussieren.
    document.addEventListener("htmx:afterSettle", fehlerFokussieren);
})();
