"""Checking the whole repository: the rule registry and the one-pass check."""
