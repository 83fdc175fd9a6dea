"""The agency list: search, filters, the round's totals."""
