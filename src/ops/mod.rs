//! The engine behind the commands. Each operation takes a connected [`Session`] (or the
//! servers where it may make a scratch database), does its work and returns a value
//! describing what happened; it prints nothing: progress and notices go to the
//! [`Progress`] sink and questions to the [`Confirm`] the caller gives it.

pub mod adopt;
pub mod apply;
pub mod baseline;
pub mod consistent;
pub mod diff;
pub mod error;
pub mod fleet;
pub mod generate;
pub mod lint;
pub mod local;
pub mod lockwait;
pub mod plan;
pub mod repair;
pub mod rollback;
pub mod session;
pub mod shadow;
pub mod snapshot;
pub mod squash;
pub mod status;
pub mod ui;
pub mod verify;

pub use error::{EngineError, MigrationFailure, Mismatch, PartialState, Refused};
pub use plan::{ApplyOptions, PlannedRollback, RollbackTarget};
pub use session::{Session, Timeouts};
pub use ui::{Confirm, Console, NoProgress, Progress, Question, Unattended};
