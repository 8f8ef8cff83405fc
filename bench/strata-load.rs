//! `strata-load`: an application workload on a VRSS database, for `bench/run`'s "apply
//! under load" and its test — not part of strata's command line. N client connections run
//! what the application runs (a user's feed, likes, comments, follows), each query timed;
//! a monitor connection samples, every 10 ms, how long application queries have been
//! waiting on a lock held or requested by a strata session. It runs until standard input
//! closes (or `--seconds` pass) and writes one JSON line per query and per lock-wait sample
//! to `--out`, then a summary line on stdout.
//!
//!     DATABASE_URL=... strata-load --clients 8 --out load.jsonl [--seconds 60]
//!
//! The database is `DATABASE_URL` (in the environment, so no password is on the command
//! line), or `--url`.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rand::Rng;
use tokio_postgres::types::Type;
use tokio_postgres::Client;

const APPLICATION: &str = "strata-load";

struct Args {
    url: String,
    clients: usize,
    out: String,
    seconds: Option<u64>,
}

fn args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let (mut url, mut clients, mut out, mut seconds) = (None, 8, None, None);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--url" => url = Some(value()?),
            "--clients" => clients = value()?.parse().map_err(|e| format!("--clients: {e}"))?,
            "--out" => out = Some(value()?),
            "--seconds" => seconds = Some(value()?.parse().map_err(|e| format!("--seconds: {e}"))?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Args {
        url: url
            .or_else(|| std::env::var("DATABASE_URL").ok())
            .ok_or("set DATABASE_URL (or --url)")?,
        clients,
        out: out.ok_or("--out is required")?,
        seconds,
    })
}

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

/// One line of the output.
fn line(kind: &str, op: &str, t: f64, ms: f64, error: Option<String>) -> String {
    serde_json::json!({"kind": kind, "op": op, "t": t, "ms": ms, "error": error}).to_string()
}

async fn connect(url: &str) -> Result<Client, String> {
    let mut params =
        strata::conn::resolve(Some(url), &strata::conn::ProcessEnv).map_err(|e| e.to_string())?;
    params.application_name = Some(APPLICATION.into());
    params.connect().await.map_err(|e| e.to_string())
}

/// One application client: random operations until `stop`, each timed.
async fn client_loop(client: Client, users: i64, posts: i64, stop: Arc<AtomicBool>) -> Vec<String> {
    let mut out = Vec::new();
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::from_rng(&mut rand::rng());
    while !stop.load(Ordering::Relaxed) {
        let user: i64 = rng.random_range(1..=users);
        let other: i64 = 1 + (user + rng.random_range(0..users - 1)) % users;
        let post: i64 = rng.random_range(1..=posts);
        let pick = rng.random_range(0..100);
        let t = now_ms();
        let t0 = Instant::now();
        let (op, result) = if pick < 40 {
            let r = client
                .query_typed(
                    "SELECT p.id, p.title, p.likes_count, u.username FROM user_follows f
                     JOIN posts p ON p.user_id = f.following_id JOIN users u ON u.id = p.user_id
                     WHERE f.follower_id = $1 ORDER BY p.created_at DESC LIMIT 20",
                    &[(&user, Type::INT8)],
                )
                .await
                .map(|_| ());
            ("feed", r)
        } else if pick < 65 {
            let r = client
                .execute_typed(
                    "INSERT INTO post_interactions (user_id, post_id, type) VALUES ($1, $2, 'like') ON CONFLICT DO NOTHING",
                    &[(&user, Type::INT8), (&post, Type::INT8)],
                )
                .await
                .map(|_| ());
            ("like", r)
        } else if pick < 85 {
            let r = client
                .execute_typed(
                    "INSERT INTO comments (post_id, user_id, content) VALUES ($1, $2, 'a comment from the load driver')",
                    &[(&post, Type::INT8), (&user, Type::INT8)],
                )
                .await
                .map(|_| ());
            ("comment", r)
        } else {
            let r = client
                .execute_typed(
                    "INSERT INTO user_follows (follower_id, following_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    &[(&user, Type::INT8), (&other, Type::INT8)],
                )
                .await
                .map(|_| ());
            ("follow", r)
        };
        let ms = t0.elapsed().as_secs_f64() * 1000.0;
        out.push(line(
            "query",
            op,
            t,
            ms,
            result.err().map(|e| e.to_string()),
        ));
    }
    out
}

/// Samples every 10 ms the longest wait of an application query on a lock that a strata
/// session holds or is queued for (directly, as `pg_blocking_pids` says).
async fn monitor(client: Client, stop: Arc<AtomicBool>) -> Vec<String> {
    let mut out = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let t = now_ms();
        if let Ok(row) = client
            .query_typed_one(
                "SELECT coalesce(max(extract(epoch FROM clock_timestamp() - a.query_start) * 1000), 0)::float8
                 FROM pg_catalog.pg_stat_activity a
                 WHERE a.application_name = 'strata-load' AND a.wait_event_type = 'Lock'
                   AND EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity s
                               WHERE s.pid = ANY (pg_catalog.pg_blocking_pids(a.pid))
                                 AND s.application_name LIKE 'strata %')",
                &[],
            )
            .await
        {
            let ms: f64 = row.get(0);
            if ms > 0.0 {
                out.push(line("lockwait", "", t, ms, None));
            }
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    out
}

async fn run(args: Args) -> Result<String, String> {
    let setup = connect(&args.url).await?;
    let row = setup
        .query_typed_one(
            "SELECT (SELECT max(id) FROM users), (SELECT max(id) FROM posts)",
            &[],
        )
        .await
        .map_err(|e| e.to_string())?;
    let (users, posts): (Option<i64>, Option<i64>) = (row.get(0), row.get(1));
    let (users, posts) = match (users, posts) {
        (Some(u), Some(p)) if u > 1 && p > 0 => (u, p),
        _ => return Err("the database has no users or posts: seed it first".into()),
    };
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for _ in 0..args.clients {
        let client = connect(&args.url).await?;
        tasks.push(tokio::spawn(client_loop(
            client,
            users,
            posts,
            stop.clone(),
        )));
    }
    let watcher = tokio::spawn(monitor(setup, stop.clone()));
    // Stop when standard input closes, or after --seconds.
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
        let _ = tx.send(());
    });
    match args.seconds {
        Some(s) => {
            tokio::select! {
                _ = rx => {}
                () = tokio::time::sleep(Duration::from_secs(s)) => {}
            }
        }
        None => {
            let _ = rx.await;
        }
    }
    stop.store(true, Ordering::Relaxed);
    let mut file = std::io::BufWriter::new(
        std::fs::File::create(&args.out).map_err(|e| format!("{}: {e}", args.out))?,
    );
    let (mut queries, mut errors) = (0usize, 0usize);
    for t in tasks {
        for l in t.await.map_err(|e| e.to_string())? {
            queries += 1;
            errors += usize::from(!l.contains("\"error\":null"));
            writeln!(file, "{l}").map_err(|e| e.to_string())?;
        }
    }
    for l in watcher.await.map_err(|e| e.to_string())? {
        writeln!(file, "{l}").map_err(|e| e.to_string())?;
    }
    file.flush().map_err(|e| e.to_string())?;
    Ok(serde_json::json!({"queries": queries, "errors": errors}).to_string())
}

fn main() {
    let code = match args() {
        Err(e) => {
            eprintln!("strata-load: {e}");
            2
        }
        Ok(args) => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a tokio runtime");
            match runtime.block_on(run(args)) {
                Ok(summary) => {
                    println!("{summary}");
                    0
                }
                Err(e) => {
                    eprintln!("strata-load: {e}");
                    1
                }
            }
        }
    };
    std::process::exit(code);
}
