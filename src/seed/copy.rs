//! Rows for COPY: generated on a thread of their own, encoded in PostgreSQL's binary COPY
//! format and handed to the connection in chunks, so that generating (one core) overlaps
//! the server storing the rows (the other).
//!
//! In a bulk load (triggers off) a table with `count` columns is written once every row it
//! counts has been generated: its rows are generated in their turn (later tables may refer
//! to them) into a temporary file, and written from it with the counts put in front. The
//! counters are then right from the start, instead of being recomputed by rewriting every
//! row afterwards.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

use tokio_postgres::types::private::BytesMut;
use tokio_postgres::types::{IsNull, ToSql, Type};

use super::gen::{GenError, TableGen, World};
use super::spec::{Gen, TableSpec};
use super::value::Value;

/// The columns COPY writes for a table spec, as positions in the spec: in a bulk load its
/// `count` columns first (a row read back from the temporary file gets them put in front),
/// then the others in order. With triggers on, `count` columns keep their default (the
/// triggers count). Helper columns (`_name`) are never written.
pub struct Layout {
    pub counts: Vec<usize>,
    pub rest: Vec<usize>,
}

impl Layout {
    pub fn of(table: &TableSpec, bulk: bool) -> Layout {
        let mut layout = Layout {
            counts: Vec::new(),
            rest: Vec::new(),
        };
        for (i, (name, gen)) in table.columns.iter().enumerate() {
            if name.starts_with('_') {
                continue;
            }
            match gen {
                Gen::Count { .. } if bulk => layout.counts.push(i),
                Gen::Count { .. } => {}
                _ => layout.rest.push(i),
            }
        }
        layout
    }

    /// Every written column, in COPY order.
    pub fn columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.counts.iter().chain(&self.rest).copied()
    }
}

/// What the generating thread hands over, in order.
pub enum Produced {
    /// Rows of table spec N follow.
    Start(usize),
    /// COPY data holding `rows` rows.
    Chunk {
        bytes: BytesMut,
        rows: u64,
    },
    /// The last rows and the trailer; `written` rows in all; the first written `row_id`
    /// column (its position in the spec) and its largest value.
    End {
        bytes: BytesMut,
        rows: u64,
        written: u64,
        max_row_id: Option<(usize, i64)>,
    },
    Failed(ProduceError),
}

#[derive(Debug, thiserror::Error)]
pub enum ProduceError {
    #[error(transparent)]
    Gen(#[from] GenError),
    #[error("{context}: {message}")]
    Encode { context: String, message: String },
}

/// Everything the generating thread needs (it owns it).
pub struct Job {
    pub tables: Vec<TableSpec>,
    /// Rows of each spec.
    pub rows: Vec<u64>,
    /// Types of each spec's written columns, in [`Layout`] order.
    pub types: Vec<Vec<Type>>,
    /// Triggers off: `count` columns are computed.
    pub bulk: bool,
    pub world: World,
    pub keep: HashSet<(String, String)>,
}

/// A `count` column: per row of its table (by row number), how many rows of `counted` hold
/// that row's id in `via` (and the `filter` values).
struct Counter {
    /// `table.column` of the count, for messages.
    name: String,
    counted: String,
    via: String,
    filter: Vec<(String, Value)>,
    counts: Vec<u32>,
}

impl Counter {
    fn get(&self, row: u64) -> i64 {
        self.counts.get(row as usize).copied().unwrap_or(0).into()
    }
}

/// A counter reading the rows of one spec: positions of its `via` and filter columns.
struct Counting {
    counter: usize,
    via: usize,
    filter: Vec<(usize, Value)>,
}

/// Rows of a spec written to a temporary file until what they count is generated.
struct Spilled {
    file: TempFile,
    offset: u64,
    written: u64,
    max_row_id: Option<(usize, i64)>,
}

/// Generates every table spec in order into `tx`; stops early when the receiving side is
/// gone (it failed).
pub fn produce(mut job: Job, tx: &tokio::sync::mpsc::Sender<Produced>) {
    if let Err(e) = run(&mut job, tx) {
        let _ = tx.blocking_send(Produced::Failed(e));
    }
}

/// The receiving side is gone: stop quietly (its error is the one reported).
struct Gone;

enum Stop {
    Gone(Gone),
    Failed(ProduceError),
}

impl From<ProduceError> for Stop {
    fn from(e: ProduceError) -> Stop {
        Stop::Failed(e)
    }
}

impl From<GenError> for Stop {
    fn from(e: GenError) -> Stop {
        Stop::Failed(e.into())
    }
}

impl From<Gone> for Stop {
    fn from(g: Gone) -> Stop {
        Stop::Gone(g)
    }
}

fn run(job: &mut Job, tx: &tokio::sync::mpsc::Sender<Produced>) -> Result<(), ProduceError> {
    match generate_all(job, tx) {
        Ok(()) | Err(Stop::Gone(_)) => Ok(()),
        Err(Stop::Failed(e)) => Err(e),
    }
}

fn send(tx: &tokio::sync::mpsc::Sender<Produced>, m: Produced) -> Result<(), Gone> {
    tx.blocking_send(m).map_err(|_| Gone)
}

/// Sends the rows encoded so far once they fill a chunk, counting `rows` back to zero.
fn send_full_chunk(
    tx: &tokio::sync::mpsc::Sender<Produced>,
    copy: &mut BinaryCopy,
    rows: &mut u64,
) -> Result<(), Gone> {
    if let Some(bytes) = copy.full_chunk() {
        send(tx, Produced::Chunk { bytes, rows: *rows })?;
        *rows = 0;
    }
    Ok(())
}

fn column_error(table: &TableSpec, column: &str, message: String) -> ProduceError {
    ProduceError::Gen(GenError::Column {
        table: table.display_name(),
        column: column.to_string(),
        message,
    })
}

fn generate_all(job: &mut Job, tx: &tokio::sync::mpsc::Sender<Produced>) -> Result<(), Stop> {
    let tables = &job.tables;
    let layouts: Vec<Layout> = tables.iter().map(|t| Layout::of(t, job.bulk)).collect();
    let last_spec = |name: &str| tables.iter().rposition(|t| t.name == name);
    // Counters, by spec and count column; and when each spec can be written.
    let mut counters: Vec<Counter> = Vec::new();
    let mut counters_of: Vec<Vec<usize>> = vec![Vec::new(); tables.len()];
    let mut write_after: Vec<usize> = (0..tables.len()).collect();
    for (t, table) in tables.iter().enumerate() {
        for &c in &layouts[t].counts {
            let (name, gen) = table.columns.get_index(c).expect("a column");
            let Gen::Count {
                table: counted,
                column: via,
                filter,
            } = gen
            else {
                unreachable!("a count column");
            };
            let last = last_spec(counted).ok_or_else(|| {
                column_error(
                    table,
                    name,
                    format!("counts rows of '{counted}', which is not generated"),
                )
            })?;
            write_after[t] = write_after[t].max(last);
            counters_of[t].push(counters.len());
            counters.push(Counter {
                name: format!("{}.{name}", table.name),
                counted: counted.clone(),
                via: via.clone(),
                filter: filter
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::from_toml(v)))
                    .collect(),
                counts: Vec::new(),
            });
        }
        // A count is only known once the row is written: nothing can read it, and it is a
        // column's generator of its own.
        for (name, gen) in &table.columns {
            if !matches!(gen, Gen::Count { .. }) && contains_count(gen) {
                return Err(column_error(
                    table,
                    name,
                    "a count must be the column's generator, not inside another".into(),
                )
                .into());
            }
            for read in gen.reads() {
                if matches!(table.columns.get(read), Some(Gen::Count { .. })) {
                    return Err(column_error(
                        table,
                        name,
                        format!("reads '{read}', a count, which is only known at the end"),
                    )
                    .into());
                }
            }
        }
    }
    let mut spilled: Vec<Option<Spilled>> = (0..tables.len()).map(|_| None).collect();
    for (t, table) in tables.iter().enumerate() {
        let offset = job.world.counts.get(&table.name).copied().unwrap_or(0);
        let mut gen = TableGen::new(table, job.rows[t], offset, &job.world, &job.keep)?;
        // The counters this spec's rows feed.
        let mut counting = Vec::new();
        for (k, counter) in counters.iter().enumerate() {
            if counter.counted != table.name {
                continue;
            }
            let position = |column: &str| {
                table.columns.get_index_of(column).ok_or_else(|| {
                    ProduceError::Gen(GenError::Table {
                        table: table.display_name(),
                        message: format!(
                            "{} counts its rows by column '{column}', which it does not generate",
                            counter.name
                        ),
                    })
                })
            };
            counting.push(Counting {
                counter: k,
                via: position(&counter.via)?,
                filter: counter
                    .filter
                    .iter()
                    .map(|(c, v)| Ok((position(c)?, v.clone())))
                    .collect::<Result<_, ProduceError>>()?,
            });
        }
        let layout = &layouts[t];
        let row_id = layout
            .rest
            .iter()
            .copied()
            .find(|&c| matches!(table.columns[c], Gen::RowId));
        let spill = write_after[t] > t
            || counters_of[t]
                .iter()
                .any(|&k| counters[k].counted == table.name);
        let mut out = if spill {
            Out::Spill(SpillWriter::new(t)?)
        } else {
            send(tx, Produced::Start(t))?;
            Out::Copy(BinaryCopy::new(layout.counts.len() + layout.rest.len()))
        };
        let mut max_row_id: Option<(usize, i64)> = None;
        let mut written = 0u64;
        let mut in_chunk = 0u64;
        let mut values = Vec::new();
        for i in 0..job.rows[t] {
            if !gen.row(i, &mut job.world, &mut values)? {
                break;
            }
            for c in &counting {
                if c.filter.iter().all(|(p, v)| same(&values[*p], v)) {
                    if let Value::Int(id) = values[c.via] {
                        if id >= 1 {
                            let counts = &mut counters[c.counter].counts;
                            let at = (id - 1) as usize;
                            if counts.len() <= at {
                                counts.resize(at + 1, 0);
                            }
                            counts[at] += 1;
                        }
                    }
                }
            }
            if let Some((c, Value::Int(id))) = row_id.map(|c| (c, &values[c])) {
                max_row_id = Some((c, max_row_id.map_or(*id, |(_, m)| m.max(*id))));
            }
            let context = || format!("COPY into {} (row {})", table.display_name(), i + 1);
            match &mut out {
                Out::Copy(copy) => {
                    copy.begin_row();
                    for (&k, ty) in counters_of[t].iter().zip(&job.types[t]) {
                        copy.field(&Value::Int(counters[k].get(offset + i)), ty)
                            .map_err(|e| encode_error(context(), e))?;
                    }
                    for (&c, ty) in layout.rest.iter().zip(&job.types[t][layout.counts.len()..]) {
                        copy.field(&values[c], ty)
                            .map_err(|e| encode_error(context(), e))?;
                    }
                }
                Out::Spill(spill) => {
                    spill.begin_row(layout.rest.len());
                    for (&c, ty) in layout.rest.iter().zip(&job.types[t][layout.counts.len()..]) {
                        spill
                            .field(&values[c], ty)
                            .map_err(|e| encode_error(context(), e))?;
                    }
                    spill.flush_if_full().map_err(|e| io_error(table, e))?;
                }
            }
            written += 1;
            in_chunk += 1;
            if let Out::Copy(copy) = &mut out {
                send_full_chunk(tx, copy, &mut in_chunk)?;
            }
        }
        *job.world.counts.entry(table.name.clone()).or_insert(0) += written;
        match out {
            Out::Copy(copy) => send(
                tx,
                Produced::End {
                    bytes: copy.finish(),
                    rows: in_chunk,
                    written,
                    max_row_id,
                },
            )?,
            Out::Spill(spill) => {
                spilled[t] = Some(Spilled {
                    file: spill.finish().map_err(|e| io_error(table, e))?,
                    offset,
                    written,
                    max_row_id,
                });
            }
        }
        // The specs whose counts are now complete.
        for u in 0..=t {
            if write_after[u] != t {
                continue;
            }
            if let Some(rows) = spilled[u].take() {
                write_spilled(u, rows, job, &layouts[u], &counters_of[u], &counters, tx)?;
            }
        }
    }
    Ok(())
}

/// Sends spec `u`'s rows from its temporary file, its counts put in front of each row.
fn write_spilled(
    u: usize,
    rows: Spilled,
    job: &Job,
    layout: &Layout,
    counters_of: &[usize],
    counters: &[Counter],
    tx: &tokio::sync::mpsc::Sender<Produced>,
) -> Result<(), Stop> {
    let table = &job.tables[u];
    send(tx, Produced::Start(u))?;
    let mut copy = BinaryCopy::new(layout.counts.len() + layout.rest.len());
    let mut reader = rows.file.reader().map_err(|e| io_error(table, e))?;
    let mut in_chunk = 0u64;
    let mut field = Vec::new();
    for k in 0..rows.written {
        let n = read_i16(&mut reader).map_err(|e| io_error(table, e))?;
        copy.begin_row();
        for (&c, ty) in counters_of.iter().zip(&job.types[u]) {
            copy.field(&Value::Int(counters[c].get(rows.offset + k)), ty)
                .map_err(|e| {
                    encode_error(
                        format!("COPY into {} (row {})", table.display_name(), k + 1),
                        e,
                    )
                })?;
        }
        for _ in 0..n {
            let len = read_i32(&mut reader).map_err(|e| io_error(table, e))?;
            if len < 0 {
                copy.raw_field(None);
            } else {
                field.resize(len as usize, 0);
                reader
                    .read_exact(&mut field)
                    .map_err(|e| io_error(table, e))?;
                copy.raw_field(Some(&field));
            }
        }
        in_chunk += 1;
        send_full_chunk(tx, &mut copy, &mut in_chunk)?;
    }
    send(
        tx,
        Produced::End {
            bytes: copy.finish(),
            rows: in_chunk,
            written: rows.written,
            max_row_id: rows.max_row_id,
        },
    )?;
    Ok(())
}

fn contains_count(gen: &Gen) -> bool {
    match gen {
        Gen::Count { .. } => true,
        Gen::Maybe { value, .. } => contains_count(value),
        Gen::Segments { parts } => parts.iter().any(|p| contains_count(&p.value)),
        Gen::Switch { cases, .. } => cases.values().any(contains_count),
        _ => false,
    }
}

/// Whether a generated value is the one a `count` filter asks for.
fn same(value: &Value, wanted: &Value) -> bool {
    match (value, wanted) {
        (Value::Text(a), Value::Text(b)) => a == b,
        (Value::Int(a), Value::Int(b)) => a == b,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Null, _) => false,
        (a, b) => a.text() == b.text(),
    }
}

fn encode_error(context: String, e: Box<dyn std::error::Error + Sync + Send>) -> ProduceError {
    ProduceError::Encode {
        context,
        message: e.to_string(),
    }
}

fn io_error(table: &TableSpec, e: std::io::Error) -> ProduceError {
    ProduceError::Encode {
        context: format!(
            "keeping the rows of {} in a temporary file until their counts are known",
            table.display_name()
        ),
        message: e.to_string(),
    }
}

fn read_i16(r: &mut impl Read) -> std::io::Result<i16> {
    let mut b = [0; 2];
    r.read_exact(&mut b)?;
    Ok(i16::from_be_bytes(b))
}

fn read_i32(r: &mut impl Read) -> std::io::Result<i32> {
    let mut b = [0; 4];
    r.read_exact(&mut b)?;
    Ok(i32::from_be_bytes(b))
}

enum Out {
    Copy(BinaryCopy),
    Spill(SpillWriter),
}

/// Appends a field (length, then the value in binary) to `buf`.
fn encode_field(
    buf: &mut BytesMut,
    value: &Value,
    ty: &Type,
) -> Result<(), Box<dyn std::error::Error + Sync + Send>> {
    let at = buf.len();
    buf.extend_from_slice(&[0; 4]);
    let len = match value.to_sql_checked(ty, buf)? {
        IsNull::Yes => -1,
        IsNull::No => i32::try_from(buf.len() - at - 4).map_err(|_| "value larger than 2 GiB")?,
    };
    buf[at..at + 4].copy_from_slice(&len.to_be_bytes());
    Ok(())
}

/// Rows in PostgreSQL's binary COPY format, handed over in chunks of about
/// [`BinaryCopy::CHUNK`] bytes: few, large messages to the connection (one wake-up of its
/// task per chunk instead of one per 4 KiB), while the next chunk is being generated.
pub struct BinaryCopy {
    buf: BytesMut,
    columns: i16,
}

impl BinaryCopy {
    pub const CHUNK: usize = 256 * 1024;

    pub fn new(columns: usize) -> BinaryCopy {
        let mut buf = BytesMut::with_capacity(Self::CHUNK + 64 * 1024);
        // Signature, flags (no OIDs), header extension length.
        buf.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
        buf.extend_from_slice(&0i32.to_be_bytes());
        buf.extend_from_slice(&0i32.to_be_bytes());
        BinaryCopy {
            buf,
            columns: i16::try_from(columns).expect("at most 1600 columns"),
        }
    }

    /// Starts a row; its fields follow, as many as the COPY has columns.
    pub fn begin_row(&mut self) {
        self.buf.extend_from_slice(&self.columns.to_be_bytes());
    }

    /// A value with the type of its column.
    pub fn field(
        &mut self,
        value: &Value,
        ty: &Type,
    ) -> Result<(), Box<dyn std::error::Error + Sync + Send>> {
        encode_field(&mut self.buf, value, ty)
    }

    /// An already encoded value (None: NULL).
    fn raw_field(&mut self, bytes: Option<&[u8]>) {
        match bytes {
            None => self.buf.extend_from_slice(&(-1i32).to_be_bytes()),
            Some(b) => {
                self.buf.extend_from_slice(&(b.len() as i32).to_be_bytes());
                self.buf.extend_from_slice(b);
            }
        }
    }

    /// The rows so far, once there are a chunk's worth.
    pub fn full_chunk(&mut self) -> Option<BytesMut> {
        if self.buf.len() < Self::CHUNK {
            return None;
        }
        let chunk = self.buf.split();
        // Reuses the allocation of an earlier chunk once the connection has sent it.
        self.buf.reserve(Self::CHUNK + 64 * 1024);
        Some(chunk)
    }

    /// The remaining rows and the trailer.
    pub fn finish(mut self) -> BytesMut {
        self.buf.extend_from_slice(&(-1i16).to_be_bytes());
        self.buf
    }
}

/// Rows (field count, then fields, as in COPY) written to a temporary file.
struct SpillWriter {
    file: TempFile,
    writer: BufWriter<File>,
    buf: BytesMut,
}

impl SpillWriter {
    fn new(spec: usize) -> Result<SpillWriter, ProduceError> {
        let file = TempFile::create(spec).map_err(|e| ProduceError::Encode {
            context: "creating a temporary file for rows whose counts come later".into(),
            message: e.to_string(),
        })?;
        let handle = file.file.try_clone().map_err(|e| ProduceError::Encode {
            context: "creating a temporary file for rows whose counts come later".into(),
            message: e.to_string(),
        })?;
        Ok(SpillWriter {
            file,
            writer: BufWriter::with_capacity(BinaryCopy::CHUNK, handle),
            buf: BytesMut::with_capacity(BinaryCopy::CHUNK + 64 * 1024),
        })
    }

    fn begin_row(&mut self, fields: usize) {
        let n = i16::try_from(fields).expect("at most 1600 columns");
        self.buf.extend_from_slice(&n.to_be_bytes());
    }

    fn field(
        &mut self,
        value: &Value,
        ty: &Type,
    ) -> Result<(), Box<dyn std::error::Error + Sync + Send>> {
        encode_field(&mut self.buf, value, ty)
    }

    fn flush_if_full(&mut self) -> std::io::Result<()> {
        if self.buf.len() >= BinaryCopy::CHUNK {
            self.writer.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<TempFile> {
        self.writer.write_all(&self.buf)?;
        self.writer.flush()?;
        Ok(self.file)
    }
}

/// A file in the temporary directory, removed when dropped.
struct TempFile {
    path: PathBuf,
    file: File,
}

impl TempFile {
    fn create(spec: usize) -> std::io::Result<TempFile> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!(
            "strata-seed-{}-{spec}-{nanos}.rows",
            std::process::id()
        ));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok(TempFile { path, file })
    }

    /// Reads the file from its start.
    fn reader(&self) -> std::io::Result<BufReader<&File>> {
        let mut file = &self.file;
        file.seek(SeekFrom::Start(0))?;
        Ok(BufReader::with_capacity(BinaryCopy::CHUNK, file))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
