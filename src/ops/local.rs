//! `local`: the local database's lifecycle — start (creating it, and its database, when
//! needed; opening a TCP port when asked), stop, status, URL, destroy — as result values.

use crate::local::{Cluster, ClusterStatus, LocalError};

use super::{Confirm, Question};

/// The result of a `strata local` action.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
pub enum LocalResult {
    Started {
        started: bool,
        root: String,
        url: String,
        tcp_url: Option<String>,
        /// The cluster used `trust` and was converted now.
        converted_from_trust: bool,
        pgpass_file: Option<String>,
    },
    Stopped {
        stopped: bool,
    },
    Status {
        status: ClusterStatus,
        url: String,
    },
    Url {
        url: String,
    },
    Destroyed {
        deleted: bool,
        root: String,
    },
}

/// Why a `local` action failed.
#[derive(Debug, thiserror::Error)]
pub enum LocalActionError {
    #[error(transparent)]
    Local(#[from] LocalError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
    #[error(transparent)]
    Refused(#[from] super::Refused),
    /// The user answered no.
    #[error("cancelled; nothing was deleted")]
    Cancelled,
}

/// Creates (if needed) and starts the cluster, with database `db`; with `tcp_port`, also
/// listening on 127.0.0.1 at that port (remembered once the server runs with it).
pub async fn start(
    mut cluster: Cluster,
    db: &str,
    tcp_port: Option<u16>,
) -> Result<LocalResult, LocalActionError> {
    if let Some(port) = tcp_port {
        cluster.listen_on_tcp(port)?;
    }
    let was_trust = cluster.is_initialized() && cluster.status().password_file.is_none();
    let started = cluster.start()?;
    cluster.ensure_database(db).await?;
    // Remembered only once the server runs with it.
    cluster.remember_tcp_port()?;
    let status = cluster.status();
    Ok(LocalResult::Started {
        started,
        root: status.root,
        url: cluster.params(db).redacted(),
        tcp_url: cluster
            .options
            .tcp_port
            .map(|port| format!("postgres://postgres@127.0.0.1:{port}/{db}")),
        converted_from_trust: was_trust && status.converted_from_trust.is_some(),
        pgpass_file: status.pgpass_file,
    })
}

/// The URL of database `db` (with the superuser's password only when asked).
pub fn url(cluster: &Cluster, db: &str, with_password: bool) -> Result<LocalResult, LocalError> {
    let mut params = cluster.params(db);
    let url = if with_password {
        params.password = Some(cluster.password()?);
        params.to_url()
    } else {
        params.redacted()
    };
    Ok(LocalResult::Url { url })
}

/// Stops the cluster and deletes its files, once `confirm` agreed.
pub fn destroy(
    cluster: &Cluster,
    confirm: &mut dyn Confirm,
) -> Result<LocalResult, LocalActionError> {
    if !confirm.confirm(&Question::DestroyLocal(&cluster.root))? {
        return Err(LocalActionError::Cancelled);
    }
    Ok(LocalResult::Destroyed {
        deleted: cluster.destroy()?,
        root: cluster.root.display().to_string(),
    })
}
