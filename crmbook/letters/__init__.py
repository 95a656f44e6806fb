"""Merge letters: docxtpl templates rendered fast, checked first, written safely (DESIGN 6)."""
