//! A database strata connects to, resolved once: its connection parameters and, when it is
//! the local database, the cluster to start first.

use anyhow::Context as _;
use tokio_postgres::Client;

use crate::cli::Purpose;
use crate::conn::ConnParams;
use crate::local::Cluster;
use crate::ops::Progress;

/// A database to connect to.
#[derive(Debug, Clone)]
pub struct Target {
    /// How to connect (the local cluster's socket for the local database).
    pub params: ConnParams,
    /// The local database's cluster, started before connecting, when this is it.
    pub local: Option<Cluster>,
}

impl Target {
    /// A configured database (a URL, a connection string or the `PG*` variables).
    pub fn configured(params: ConnParams) -> Target {
        Target {
            params,
            local: None,
        }
    }

    /// Database `dbname` of the local cluster.
    pub fn local(cluster: &Cluster, dbname: &str) -> Target {
        Target {
            params: cluster.params(dbname),
            local: Some(cluster.clone()),
        }
    }

    /// The target without its password, for reports.
    pub fn label(&self) -> String {
        self.params.redacted()
    }

    /// The parameters for `purpose` (its `application_name` unless the target sets one).
    pub fn params_for(&self, purpose: Purpose) -> ConnParams {
        let mut params = self.params.clone();
        if params.application_name.is_none() {
            params.application_name = Some(purpose.application_name());
        }
        params
    }

    /// For the local database: starts its server and creates its database when needed,
    /// saying so. Nothing for a configured database.
    pub async fn prepare(&self, progress: &mut dyn Progress) -> anyhow::Result<()> {
        let Some(cluster) = &self.local else {
            return Ok(());
        };
        if cluster.start().context("starting the local database")? {
            progress.note(&format!(
                "no database configured (--database-url, DATABASE_URL or PG* variables); started the local database in {}",
                cluster.root.display()
            ));
        }
        let db = &self.params.dbname;
        if cluster.ensure_database(db).await? {
            progress.note(&format!("created database '{db}' on the local server"));
        }
        Ok(())
    }

    /// Prepares the target and connects for `purpose`.
    pub async fn connect(
        &self,
        purpose: Purpose,
        progress: &mut dyn Progress,
    ) -> anyhow::Result<(Client, ConnParams)> {
        self.prepare(progress).await?;
        let params = self.params_for(purpose);
        let client = params.connect().await?;
        Ok((client, params))
    }
}
