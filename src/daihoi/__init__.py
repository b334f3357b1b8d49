"""daihoi: a paperless congress platform."""

__version__ = "0.1.0"
