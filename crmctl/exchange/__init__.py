"""Data in and out of a repository: spreadsheets imported (Excel, CSV), tables exported to
Excel and the whole repository to SQLite."""
