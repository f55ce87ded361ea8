"""Use-cases, one module per area. No Qt: everything here runs from the CLI and the tests too.

Functions take a Session and keyword-only arguments, validate, persist (through ``db.store.writing``)
and return plain dataclasses, never live ORM objects.
"""
