"""Anliegen und der Lotsen-Kreislauf.

Darf `netzwerke` und `quartier` importieren.
"""
