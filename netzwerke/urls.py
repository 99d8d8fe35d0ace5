from .views import akteure, auswertung, fonds, netzwerke, projekte

app_name = "netzwerke"

urlpatterns = [*akteure.urls, *netzwerke.urls, *projekte.urls, *fonds.urls, *auswertung.urls]
