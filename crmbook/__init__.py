"""crmbook: a customer register in an Excel workbook, made into a CRM."""

__version__ = "0.1.0"
