"""Cohesion Desktop: partnerships, volunteering and cohesion workshops, offline."""

APP_NAME = "Cohesion Desktop"
APP_ID = "cohesion-desktop"
__version__ = "0.1.0"
