"""ids außerhalb des 64-Bit-Bereichs: ungültige Auswahl, nie ein Serverfehler.

SQLite speichert höchstens 64-Bit-Ganzzahlen; `pk__in=[2**64]` warf dort `OverflowError`
(Mehrfachauswahl in jedem Formular, auch Filter und Verwaltung). Django selbst fängt das nur
für `exact`, `gt`, `lt` usw. ab; quartier/lookups.py ergänzt `in`.
"""

import pytest
from django import forms
from django.urls import reverse

from quartier.models import Quartier

ZU_GROSS = 2**64
ZU_KLEIN = -(2**63) - 1
AUSSERHALB = [ZU_GROSS, 2**63, ZU_KLEIN, 10**30]


@pytest.mark.parametrize("wert", AUSSERHALB)
def test_in_abfrage_mit_id_ausserhalb_des_bereichs_findet_nichts(stadt, wert):
    assert list(Quartier.objects.filter(pk__in=[wert])) == []
    assert list(Quartier.objects.filter(pk__in=[stadt.nord.pk, wert])) == [stadt.nord]
    assert not Quartier.objects.filter(pk__in=[str(wert)]).exists()


@pytest.mark.parametrize("wert", AUSSERHALB)
def test_fremdschluessel_mit_id_ausserhalb_des_bereichs_findet_nichts(stadt, wert):
    assert not Quartier.objects.filter(bezirk=wert).exists()
    assert not Quartier.objects.filter(bezirk_id__in=[wert]).exists()
    assert not Quartier.objects.filter(lebensraeume__in=[wert]).exists()
    assert Quartier.objects.filter(lebensraeume__in=[wert, stadt.lr_nord.pk]).get() == stadt.nord


def test_kleine_ganzzahlfelder_vergleichen_weiter_richtig(stadt):
    # Positive Felder: negative Werte sind außerhalb des Bereichs und finden nichts.
    assert not Quartier.objects.filter(lebensraeume__einwohner__in=[-1]).exists()
    assert Quartier.objects.filter(lebensraeume__einwohner__in=[-1, 6000]).get() == stadt.nord


@pytest.mark.parametrize("wert", AUSSERHALB)
def test_mehrfachauswahl_meldet_ungueltige_auswahl(stadt, wert):
    feld = forms.ModelMultipleChoiceField(queryset=Quartier.objects.all())
    with pytest.raises(forms.ValidationError) as fehler:
        feld.clean([str(stadt.nord.pk), str(wert)])
    assert fehler.value.code == "invalid_choice"


@pytest.mark.parametrize("wert", AUSSERHALB)
def test_einfachauswahl_meldet_ungueltige_auswahl(stadt, wert):
    feld = forms.ModelChoiceField(queryset=Quartier.objects.all())
    with pytest.raises(forms.ValidationError) as fehler:
        feld.clean(str(wert))
    assert fehler.value.code == "invalid_choice"


@pytest.mark.parametrize("feld", ["quartiere", "partner"])
def test_projekt_mit_riesiger_id_zeigt_formularfehler(stadt, netz, client_fuer, feld):
    daten = {
        "titel": "Kochaktion",
        "art": "kochaktion",
        "status": "in_planung",
        "fortschritt": "10",
        "quartiere": [stadt.nord.pk],
        "verantwortlich": stadt.qm.pk,
        "beginn": "2026-05-01",
        "beschreibung": "Gemeinsam kochen.",
        feld: [str(ZU_GROSS)],
    }
    antwort = client_fuer("qm").post(reverse("netzwerke:projekt_neu"), daten)
    assert antwort.status_code == 200
    assert "Auswahl" in antwort.text


def test_akteursfilter_mit_riesiger_id_ist_kein_serverfehler(stadt, netz, client_fuer):
    antwort = client_fuer("planung").get(
        reverse("netzwerke:akteur_liste"), {"quartier": str(ZU_GROSS), "zielgruppe": ZU_KLEIN}
    )
    assert antwort.status_code == 200


def test_verwaltung_mit_riesiger_id_im_filter_ist_kein_serverfehler(stadt, client_fuer):
    url = reverse("admin:quartier_quartier_changelist")
    antwort = client_fuer("admin").get(url, {"id__in": f"{stadt.nord.pk},{ZU_GROSS}"})
    assert antwort.status_code == 200


@pytest.mark.parametrize("wert", [str(ZU_GROSS), str(ZU_KLEIN), "9" * 30])
def test_zahl_ausserhalb_des_bereichs_ist_formularfehler_statt_serverfehler(
    stadt, netz, client_fuer, wert
):
    # Gefunden vom Fuzz-Test: jahr=2**64 kam bis zur Prüfung der Eindeutigkeit (SQLite).
    antwort = client_fuer("admin").post(
        reverse("netzwerke:fonds_neu"),
        {"netzwerk": netz.konferenz_nord.pk, "jahr": wert, "budget": "1.000"},
    )
    assert antwort.status_code == 200
    assert "kleiner oder gleich" in antwort.text or "größer oder gleich" in antwort.text


def test_kern_formulare_begrenzen_ganzzahlen_auf_64_bit():
    from quartier.forms import KernFormMixin

    class Formular(KernFormMixin, forms.Form):
        zahl = forms.IntegerField()
        begrenzt = forms.IntegerField(max_value=5)
        betrag = forms.DecimalField()

    form = Formular({"zahl": str(ZU_GROSS), "begrenzt": "4", "betrag": "1"})
    assert not form.is_valid()
    assert list(form.errors) == ["zahl"]
    assert Formular({"zahl": str(2**63 - 1), "begrenzt": "4", "betrag": "1"}).is_valid()
