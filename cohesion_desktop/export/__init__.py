"""Writers for the files users take away: Excel workbooks (``xlsx``) and, later, PDF reports.

They take plain values (str, int, float, Decimal, date, datetime, bool, None) in plain rows, never a
database session or a Qt object, so services can call them from a worker thread and tests without a display.
"""
