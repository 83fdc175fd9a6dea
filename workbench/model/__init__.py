"""The domain: framework, scoring, store and Persian helpers.  Never imports Qt."""
