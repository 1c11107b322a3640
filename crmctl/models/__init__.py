"""Pydantic models of every file in a customer repository.

Import the module of the file kind you need; they are built lazily
(``defer_build``) so a command pays only for the models it uses.
"""
