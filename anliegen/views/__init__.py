"""Views der Anliegen, je Bereich ein Modul; jedes Modul führt seine URL-Liste `urls`."""
