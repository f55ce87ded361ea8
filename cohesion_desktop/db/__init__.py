"""Storage: tables, opening a data file, schema versions. No Qt here."""
