"""The shared register in a database (DESIGN decision 7): PostgreSQL, or SQLite on one PC.

The workbook stays the interface: ``crmbook db pull`` fills its sheets, ``crmbook db sync``
sends its edits back. Everything here speaks plain parameterised SQL through ``Db``.
"""
