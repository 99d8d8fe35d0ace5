"""URLs der Anliegen.

liste.py:    anliegen:liste (anliegen/), anliegen:detail (anliegen/<nummer>/)
aktionen.py: anliegen:erfassen (anliegen/neu/), anliegen:aktion (anliegen/<nummer>/<aktion>/)
eingang.py:  anliegen:eingang (eingang/), anliegen:eingang_detail (eingang/<pk>/),
             anliegen:eingang_aktion (eingang/<pk>/<aktion>/)
"""

from .views import aktionen, eingang, liste

app_name = "anliegen"

urlpatterns = [*aktionen.urls, *liste.urls, *eingang.urls]
