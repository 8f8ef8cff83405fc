// pg-boss (a PostgreSQL job queue for Node) creates and migrates its schema in
// $CORPUS_DATABASE_URL when it starts (list-partitioned job table, enum, functions), and
// makes the partitions of two queues.
const PgBoss = require("pg-boss");

const boss = new PgBoss({
  connectionString: process.env.CORPUS_DATABASE_URL,
  supervise: false,
  schedule: false,
  migrate: true,
});
boss.on("error", (e) => console.error(e));
boss
  .start()
  // Two queues, as an application makes them: each is a partition of pgboss.job.
  .then(() => boss.createQueue("email"))
  .then(() => boss.createQueue("reports", { policy: "singleton", retryLimit: 5 }))
  .then(() => boss.stop({ graceful: false, wait: true }))
  .then(() => process.exit(0))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
