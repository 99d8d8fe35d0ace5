from django.urls import path

from . import views

app_name = "quartier"

urlpatterns = [
    path("", views.start, name="start"),
    path("quartiere/", views.quartier_liste, name="quartier_liste"),
    path("quartiere/<slug:slug>/", views.quartier_detail, name="quartier_detail"),
    path("lebensraeume/", views.lebensraum_liste, name="lebensraum_liste"),
    path("stadtteilbueros/", views.buero_liste, name="buero_liste"),
    path("stadtteilbueros/<int:pk>/", views.buero_detail, name="buero_detail"),
    path("auswertung/versorgung/", views.versorgung_seite, name="versorgung"),
    path("exporte/", views.exporte_seite, name="exporte"),
    path("exporte/neu/", views.export_anlegen, name="export_anlegen"),
    path("exporte/<int:pk>/datei/", views.export_datei, name="export_datei"),
]
