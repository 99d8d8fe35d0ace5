"""Formulare der Netzwerke, je Bereich ein Modul wie bei den Views."""
