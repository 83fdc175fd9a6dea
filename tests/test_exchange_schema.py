"""The exchange's tables as the migrations make them are the tables its models describe."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

import workbench.exchange.tables  # noqa: F401 - registers the exchange's models on the store's metadata
from workbench.model.schema import Base
from workbench.model.store import open_store


def test_migrations_make_the_tables_the_models_describe(tmp_path):
    open_store(tmp_path / "x.sqlite").close()
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    try:
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    finally:
        engine.dispose()
