//! Per-invocation context: settings, printer, and the cluster loaded on first use.

use std::io::IsTerminal;
use std::sync::OnceLock;

use anyhow::Context as _;

use super::GlobalArgs;
use crate::core::hosts::Sessions;
use crate::core::inventory;
use crate::core::model::Cluster;
use crate::output::progress::ProgressReporter;
use crate::output::{Format, Printer};

/// What every handler gets.
pub struct Context {
    /// Global options.
    pub global: GlobalArgs,
    /// Output.
    pub printer: Printer,
    /// Open transports, one per host.
    pub sessions: Sessions,
    cluster: OnceLock<Cluster>,
}

impl Context {
    /// From the global options.
    pub fn new(global: GlobalArgs) -> Context {
        let printer = Printer {
            format: global.output,
            quiet: global.quiet,
            progress: !global.no_progress
                && !global.quiet
                && global.output == Format::Table
                && std::io::stderr().is_terminal(),
        };
        Context {
            global,
            printer,
            sessions: Sessions::new(),
            cluster: OnceLock::new(),
        }
    }

    /// The cluster (inventory + conf dir), loaded once, on its active deployment (a shadow
    /// copy after `flinkha upgrade --shadow`: its cluster-id, its REST ports, its daemons),
    /// as the local deployment record says.
    ///
    /// # Errors
    /// Inventory not found or malformed, conf dir unreadable.
    pub fn cluster(&self) -> anyhow::Result<&Cluster> {
        if let Some(c) = self.cluster.get() {
            return Ok(c);
        }
        let path = inventory::locate(self.global.config.as_deref())?;
        let mut c = Cluster::load(&path)
            .with_context(|| format!("loading the cluster from {}", path.display()))?;
        if let Some(active) = crate::core::ops::deployment::load_local(&c)?
            && !active.layout.is_primary()
        {
            c = c.with_deployment(active.layout);
        }
        Ok(self.cluster.get_or_init(|| c))
    }

    /// The cluster, refusing to go on when resolution found errors (hosts missing from the
    /// inventory...): run `flinkha config check` for the full list.
    ///
    /// # Errors
    /// As [`Context::cluster`], or the resolution errors.
    pub fn valid_cluster(&self) -> anyhow::Result<&Cluster> {
        let c = self.cluster()?;
        let errors: Vec<_> = c.errors().into_iter().cloned().collect();
        if !errors.is_empty() {
            return Err(crate::core::Error::Invalid { findings: errors }.into());
        }
        Ok(c)
    }

    /// A progress reporter for this invocation.
    pub fn reporter(&self) -> ProgressReporter {
        ProgressReporter::new(self.printer)
    }
}

impl Context {
    /// Run `journal`'s plan through the one runner with the step executor, progress on
    /// `reporter`. Every mutating command goes through here.
    ///
    /// # Errors
    /// The failing step's error, [`crate::core::Error::Interrupted`], journal I/O.
    pub async fn run_plan(
        &self,
        c: &Cluster,
        journal: &mut crate::core::journal::Journal<'_>,
        opts: crate::core::ops::upgrade::UpgradeOptions,
        reporter: &ProgressReporter,
        resume_command: &str,
    ) -> crate::core::Result<()> {
        let engine = crate::core::ops::steps::Engine::new(
            &c.inventory_path,
            &self.sessions,
            reporter,
            crate::core::catalogue::Catalogue::for_cluster(c),
            opts,
            c.deployment.clone(),
        );
        crate::core::journal::run_plan(journal, &engine, reporter, resume_command).await
    }
}
