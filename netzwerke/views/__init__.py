"""Views der Netzwerke, je Bereich ein Modul; jedes Modul führt seine URL-Liste `urls`."""
