"""Platzhalter."""

urls: list = []
