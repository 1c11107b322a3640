"""crmctl: a key-account customer base kept as YAML files in a git repository."""

__version__ = "0.1.0"
