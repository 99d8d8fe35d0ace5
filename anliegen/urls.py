"""URLs der Anliegen.

liste.py:    anliegen:liste (anliegen/), anliegen:detail (anliegen/<nummer>/)
aktionen.py: anliegen:erfassen (anliegen/neu/), anliegen:aktion (anliegen/<nummer>/<aktion>/)
brief.py:    anliegen:brief (anliegen/<nummer>/brief/), anliegen:brief_festhalten (…/festhalten/)
eingang.py:  anliegen:eingang (eingang/), anliegen:eingang_detail (eingang/<pk>/),
             anliegen:eingang_aktion (eingang/<pk>/<aktion>/)
"""

from .views import aktionen, brief, eingang, liste

app_name = "anliegen"

# brief vor aktionen: „anliegen/<nummer>/brief/“ ist keine Aktion aus workflow.py.
urlpatterns = [*brief.urls, *aktionen.urls, *liste.urls, *eingang.urls]
