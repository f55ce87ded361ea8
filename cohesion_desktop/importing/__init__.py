"""Reading partner spreadsheets that people made by hand into checked plain records, before anything is stored.

``spreadsheet`` turns an .xlsx or .csv file into text cells (refusing what cannot be read safely);
``partners`` finds the header row, maps columns to partner fields and reports problems row by row.
No Qt and no database here: services store the records, the UI shows the problems.
"""
