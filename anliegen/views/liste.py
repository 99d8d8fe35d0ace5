"""Platzhalter; wird ausgebaut."""

urls: list = []
