"""Writers of the files users take away: Excel workbooks (``xlsx``) and PDF documents.

They take plain values (dataclasses, strings, numbers, dates), never a database session, and import no
Qt, so the CLI, the tests and a worker thread can all call them. Every cell goes through
:mod:`cohesion_desktop.export.xlsx` (formula injection, control characters, length) and every piece of
PDF text through :mod:`cohesion_desktop.export.pdf_text` (escaping, a font per script).
"""
