"""One module per group of commands; crmctl.cli imports only the one it runs."""
