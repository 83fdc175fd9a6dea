"""The File menu\x27s rounds: open the next round, list the rounds."""
