"""Procrastinate (a PostgreSQL task queue) installs its schema into $CORPUS_DATABASE_URL with
its own schema manager: enums, PL/pgSQL functions, triggers, partial indexes."""
import os

import procrastinate

app = procrastinate.App(
    connector=procrastinate.SyncPsycopgConnector(conninfo=os.environ["CORPUS_DATABASE_URL"])
)
with app.open():
    app.schema_manager.apply_schema()
