"""Actions: one per command; each takes a workbook port and does not know which one it has."""
