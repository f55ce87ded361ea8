"""Writers of the files users take away (PDF, and later Excel).

They take plain values (dataclasses, strings, numbers), never a database session, and import no Qt,
so the CLI, the tests and a worker thread can all call them. Every PDF gets its text through
:mod:`cohesion_desktop.export.pdf_text`, which escapes user text and picks a font per script.
"""
