"""The Reports menu: its dialogs, printing and whole-round runs."""
