"""Zivilgesellschaft im Quartier: Akteure, Netzwerke, Sitzungen, Projekte, Stadtteilfonds.

Darf `quartier` importieren, nie `anliegen`.
"""
