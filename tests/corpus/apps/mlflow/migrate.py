"""MLflow's tracking store: its Alembic migrations, run by MLflow's own code the way
`mlflow server` does on first start, against $CORPUS_DATABASE_URL."""
import os
from urllib.parse import parse_qs, unquote, urlsplit

import sqlalchemy
from mlflow.store.db.utils import _initialize_tables

url = urlsplit(os.environ["CORPUS_DATABASE_URL"])
query = parse_qs(url.query)
engine = sqlalchemy.create_engine(
    sqlalchemy.engine.URL.create(
        "postgresql+psycopg",
        username=unquote(url.username or "postgres"),
        database=unquote(url.path.lstrip("/")),
        query={"host": query.get("host", [url.hostname or ""])[0], "port": query.get("port", ["5432"])[0]},
    )
)
_initialize_tables(engine)
engine.dispose()
