"""Pure data types: agencies, users, records, governance codes. No I/O lives here."""
