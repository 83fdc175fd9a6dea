"""One open assessment: its header, indicator tree, measure pages and the controller they edit through."""
