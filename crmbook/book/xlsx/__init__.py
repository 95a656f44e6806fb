"""The raw xlsx layer: OOXML parts in their own vocabulary (zip members, sheetData, cellXfs).

Nothing here knows about crmbook's sheets or edits; ``crmbook.book.filebook`` builds on it. The
layer exists so that a write touches only the parts it must and copies every other zip member as
its already-compressed bytes (DESIGN decision 4).
"""
