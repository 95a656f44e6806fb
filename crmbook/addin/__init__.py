"""The crmbook Excel add-in: ribbon XML, VBA callbacks, the MS-OVBA/CFB writer, install."""
