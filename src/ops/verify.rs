//! `verify`: for CI, on a scratch database, every migration is applied, rolled back and
//! applied again; the catalog after each round trip must equal the catalog before, or the
//! first migration whose down script does not undo its up is reported with what it left.

use std::time::Instant;

use serde::Serialize;

use super::apply::apply;
use super::diff::introspect_options;
use super::rollback::rollback;
use super::shadow::{create, Candidate};
use super::{
    ApplyOptions, EngineError, NoProgress, Progress, RollbackTarget, Session, Timeouts, Unattended,
};
use crate::diff::{compare, CompareOptions, Difference};
use crate::introspect::introspect;
use crate::project::Project;

/// The first migration that failed a round trip.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyFailure {
    pub migration: String,
    /// `down` (rolling back did not restore the catalog before the up) or `reapply`
    /// (applying again after the down did not give the same catalog).
    pub step: String,
    pub differences: Vec<Difference>,
}

/// The result of `verify`.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub verified: Vec<String>,
    pub failure: Option<VerifyFailure>,
    /// Where the scratch database was made, and its name (dropped at the end).
    pub scratch: String,
    pub scratch_database: String,
    pub total_ms: u64,
}

/// Round-trips every migration on a scratch database.
pub async fn verify(
    project: &Project,
    candidates: &[Candidate],
    timeouts: &Timeouts,
    progress: &mut dyn Progress,
) -> Result<VerifyReport, EngineError> {
    let started = Instant::now();
    let scratch = create(candidates).await?;
    let label = scratch.label.clone();
    let scratch_database = scratch.name.clone();
    let result = round_trips(project, &scratch.params(), timeouts, progress).await;
    let dropped = scratch.drop_now().await;
    let (verified, failure) = result?;
    dropped?;
    Ok(VerifyReport {
        verified,
        failure,
        scratch: label,
        scratch_database,
        total_ms: started.elapsed().as_millis() as u64,
    })
}

async fn round_trips(
    project: &Project,
    params: &crate::conn::ConnParams,
    timeouts: &Timeouts,
    progress: &mut dyn Progress,
) -> Result<(Vec<String>, Option<VerifyFailure>), EngineError> {
    let client = params
        .connect()
        .await
        .map_err(EngineError::connect("connecting to the scratch database"))?;
    client
        .batch_execute("SET synchronous_commit = off")
        .await
        .map_err(EngineError::db("preparing the scratch database"))?;
    let session = Session::new(client, project, params.clone());
    let io = introspect_options(project, false, true);
    let options = CompareOptions::default();
    let mut verified = Vec::new();
    progress.start(project.migrations.len(), "verifying");
    let mut before = introspect(&session.client, &io).await?.model;
    for m in &project.migrations.migrations {
        progress.begin(m);
        let t0 = Instant::now();
        let to = ApplyOptions {
            to: Some(m.version),
            ..ApplyOptions::default()
        };
        apply(&session, &to, timeouts, &mut NoProgress).await?;
        let after_up = introspect(&session.client, &io).await?.model;
        rollback(
            &session,
            RollbackTarget::Steps(1),
            false,
            timeouts,
            &mut Unattended,
        )
        .await?;
        let after_down = introspect(&session.client, &io).await?.model;
        let left = compare(&before, &after_down, &options);
        if !left.is_empty() {
            progress.finish();
            return Ok((
                verified,
                Some(VerifyFailure {
                    migration: m.label(),
                    step: "down".into(),
                    differences: left,
                }),
            ));
        }
        apply(&session, &to, timeouts, &mut NoProgress).await?;
        let again = introspect(&session.client, &io).await?.model;
        let differs = compare(&after_up, &again, &options);
        if !differs.is_empty() {
            progress.finish();
            return Ok((
                verified,
                Some(VerifyFailure {
                    migration: m.label(),
                    step: "reapply".into(),
                    differences: differs,
                }),
            ));
        }
        progress.done(m, t0.elapsed().as_millis() as u64);
        verified.push(m.label());
        before = again;
    }
    progress.finish();
    Ok((verified, None))
}
