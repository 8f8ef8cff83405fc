//! Streaming the generated rows into the database: what each table spec gets (its row
//! count, the columns COPY writes and their types), then one binary `COPY` per spec, fed by
//! the generating thread (see `copy.rs`).

use std::collections::HashSet;
use std::time::Instant;

use futures_util::SinkExt;
use tokio_postgres::types::private::BytesMut;
use tokio_postgres::types::Type;
use tokio_postgres::Client;

use super::copy::{self, Job, Layout, ProduceError, Produced};
use super::gen::{retained_columns, World};
use super::spec::{RowCount, SeedSpec};
use super::{db, value, SeedError, SeedReport, TableReport};
use crate::history::quote_literal;
use crate::local::{quote_ident, quote_qualified};
use crate::ops::Progress;

/// Everything the COPY of a profile's rows needs, read from the database before it starts.
pub(super) struct Load {
    world: World,
    keep: HashSet<(String, String)>,
    plans: Vec<TablePlan>,
    bulk: bool,
}

/// The row count and the written columns (quoted) and their types of one table spec.
struct TablePlan {
    rows: u64,
    columns: Vec<String>,
    types: Vec<Type>,
}

/// Reads what the generators ask of the database (`query` values, column types).
pub(super) async fn prepare(
    client: &Client,
    spec: &SeedSpec,
    count: RowCount,
    scale: f64,
    rng_seed: u64,
    bulk: bool,
) -> Result<Load, SeedError> {
    let base = chrono::DateTime::parse_from_rfc3339(&spec.base_time)
        .map_err(|e| SeedError::BadSpec(format!("base_time: {e}")))?;
    let mut world = World {
        base_micros: base.timestamp_micros(),
        rng_seed,
        ..World::default()
    };
    let keep = retained_columns(&spec.tables);
    for table in &spec.tables {
        for gen in table.columns.values() {
            for sql in gen.queries() {
                if world.query_values.contains_key(sql) {
                    continue;
                }
                let rows = client.simple_query(sql).await.map_err(db(format!(
                    "seeds.toml: table {}: query",
                    table.display_name()
                )))?;
                let values = rows
                    .iter()
                    .filter_map(|m| match m {
                        tokio_postgres::SimpleQueryMessage::Row(r) => {
                            r.get(0).map(|v| match v.parse::<i64>() {
                                Ok(i) => value::Value::Int(i),
                                Err(_) => value::Value::Text(v.to_string()),
                            })
                        }
                        _ => None,
                    })
                    .collect();
                world.query_values.insert(sql.to_string(), values);
            }
        }
    }
    // What each table spec gets: its row count, and the columns COPY writes with their types
    // (which the rows are encoded for).
    let mut plans = Vec::with_capacity(spec.tables.len());
    for table in &spec.tables {
        let rows = match count {
            RowCount::Rows => table.rows,
            RowCount::LoadRows => {
                let base = table.load_rows.unwrap_or(table.rows) as f64;
                ((base * scale).round() as u64).max(1)
            }
        };
        let columns: Vec<String> = Layout::of(table, bulk)
            .columns()
            .map(|c| quote_ident(table.columns.get_index(c).expect("a column").0))
            .collect();
        let probe = client
            .prepare(&format!(
                "SELECT {} FROM {} LIMIT 0",
                columns.join(", "),
                quote_qualified(&table.name)
            ))
            .await
            .map_err(db(format!("seeds.toml: table {}", table.display_name())))?;
        let types: Vec<Type> = probe.columns().iter().map(|c| c.type_().clone()).collect();
        plans.push(TablePlan {
            rows,
            columns,
            types,
        });
    }
    Ok(Load {
        world,
        keep,
        plans,
        bulk,
    })
}

/// Generates and writes every table spec's rows, one COPY per spec, in the order the
/// generating thread hands them over (a spec whose `count` columns wait for later tables
/// comes after them). `written(spec)` is called once a spec's COPY is complete; the run
/// stops with the error `stop` returns, checked before each chunk.
pub(super) async fn copy(
    client: &Client,
    spec: &SeedSpec,
    load: Load,
    report: &mut SeedReport,
    progress: &mut dyn Progress,
    written: &mut dyn FnMut(usize),
    stop: &dyn Fn() -> Option<SeedError>,
) -> Result<(), SeedError> {
    let Load {
        world,
        keep,
        plans,
        bulk,
    } = load;
    // Rows are generated on a thread of their own, ahead of the COPY, so that generating
    // (one core) overlaps the server storing the rows (the other), across tables too.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Produced>(32);
    let job = Job {
        tables: spec.tables.clone(),
        rows: plans.iter().map(|p| p.rows).collect(),
        types: plans.iter().map(|p| p.types.clone()).collect(),
        bulk,
        world,
        keep,
    };
    let producer = tokio::task::spawn_blocking(move || copy::produce(job, &tx));
    let mut current: Option<(usize, Instant)> = None;
    let mut sink = None;
    while let Some(message) = rx.recv().await {
        if let Some(e) = stop() {
            // Dropping the receiver stops the generating thread at its next chunk.
            drop(rx);
            let _ = producer.await;
            return Err(e);
        }
        match message {
            Produced::Start(t) => {
                let table = &spec.tables[t];
                progress.table_start(&table.display_name(), plans[t].rows);
                let copy = client
                    .copy_in::<_, BytesMut>(&format!(
                        "COPY {} ({}) FROM STDIN (FORMAT binary)",
                        quote_qualified(&table.name),
                        plans[t].columns.join(", ")
                    ))
                    .await
                    .map_err(db(format!("COPY into {}", table.display_name())))?;
                sink = Some(Box::pin(copy));
                current = Some((t, Instant::now()));
            }
            Produced::Chunk { bytes, rows } => {
                let (t, _) = current.expect("a chunk belongs to a started table");
                let copy = sink.as_mut().expect("COPY started");
                copy.send(bytes)
                    .await
                    .map_err(db(format!("COPY into {}", spec.tables[t].display_name())))?;
                progress.rows(rows);
            }
            Produced::End {
                bytes,
                rows,
                written: count,
                max_row_id,
            } => {
                let (t, t0) = current.take().expect("a started table ends");
                let table = &spec.tables[t];
                let mut copy = sink.take().expect("COPY started");
                copy.send(bytes)
                    .await
                    .map_err(db(format!("COPY into {}", table.display_name())))?;
                copy.as_mut()
                    .finish()
                    .await
                    .map_err(db(format!("COPY into {}", table.display_name())))?;
                progress.rows(rows);
                progress.table_done();
                report.tables.push(TableReport {
                    table: table.display_name(),
                    rows: count,
                    ms: t0.elapsed().as_millis() as u64,
                });
                // Explicit ids leave the table's sequence behind: move it past them (the
                // table was empty, so the largest id is the largest generated).
                if let Some((column, max)) = max_row_id {
                    client
                        .batch_execute(&format!(
                            "SELECT setval(s, {next}, false) FROM pg_get_serial_sequence({lit}, {collit}) s WHERE s IS NOT NULL",
                            next = max + 1,
                            lit = quote_literal(&quote_qualified(&table.name)),
                            collit = quote_literal(table.columns.get_index(column).expect("a column").0),
                        ))
                        .await
                        .map_err(db(format!("moving the id sequence of {}", table.name)))?;
                }
                written(t);
            }
            Produced::Failed(e) => return Err(e.into()),
        }
    }
    match producer.await {
        Ok(()) => Ok(()),
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

impl From<ProduceError> for SeedError {
    fn from(e: ProduceError) -> SeedError {
        match e {
            ProduceError::Gen(e) => SeedError::Gen(e),
            ProduceError::Encode { context, message } => SeedError::Encode { context, message },
        }
    }
}
