// Graphile Worker (a PostgreSQL job queue for Node) migrates its schema into
// $CORPUS_DATABASE_URL with its own migrations: composite types, PL/pgSQL and SQL
// functions, triggers, row-level security, revoked privileges.
const { runMigrations } = require("graphile-worker");

runMigrations({ connectionString: process.env.CORPUS_DATABASE_URL, concurrency: 1 })
  .then(() => process.exit(0))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
