//! Reloading the daemon's config: a reload request (SIGHUP) validates the new file and builds
//! everything that can fail before anything is swapped, so a bad config keeps the old one
//! running; then only the jobs whose targets changed are remade. A change of the time zone's UTC
//! offset (daylight saving time) remakes every job, as tokio-cron-scheduler fixes the offset.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Utc;
use sd_notify::NotifyState;

use crate::config::{Config, Target};
use crate::schedule::utc_offset;

use super::shared::Generation;
use super::{Daemon, DaemonError, MetricsServer, Planned, by_schedule, sched_err};

/// The systemd notification sent before a reload: RELOADING=1 with the MONOTONIC_USEC= that
/// systemd 253 and later require with it.
pub(super) fn notify_reloading() {
    let mut states = vec![NotifyState::Reloading];
    if let Ok(now) = NotifyState::monotonic_usec_now() {
        states.push(now);
    }
    let _ = sd_notify::notify(&states);
}

/// What a reload has to swap in, all of it built before anything changes.
pub(super) struct Prepared {
    pub(super) config: Config,
    pub(super) generation: Option<Arc<Generation>>,
    /// `Some(new)` when the endpoint changes: the new server (or none).
    pub(super) metrics: Option<Option<MetricsServer>>,
}

impl Daemon {
    /// Remakes every cron job when the time zone's UTC offset changed (daylight saving time).
    pub(super) async fn follow_utc_offset(&mut self) {
        let tz = self.timezone();
        if utc_offset(&tz, Utc::now()) == self.utc_offset {
            return;
        }
        tracing::info!(
            timezone = tz.name(),
            "UTC offset changed (daylight saving time): rescheduling"
        );
        let config = self.config.clone();
        if let Err(e) = self
            .apply(Prepared {
                config,
                generation: None,
                metrics: None,
            })
            .await
        {
            tracing::error!(error = %e, "cannot reschedule after a UTC offset change; restart the service");
        }
    }

    /// SIGHUP: validate the new config; keep the old one running if it is bad.
    pub(super) async fn reload(&mut self, path: &Path, database: Option<&PathBuf>) {
        notify_reloading();
        match self.prepare(path, database).await {
            Ok(prepared) => {
                if let Err(e) = self.apply(prepared).await {
                    tracing::error!(error = %e, "reload failed part-way; restart the service");
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "reload refused: the new config is invalid; the old one keeps running")
            }
        }
        let _ = sd_notify::notify(&[NotifyState::Ready, NotifyState::Status(&self.status_line())]);
    }

    /// Loads the new config and builds whatever it needs that can fail.
    pub(super) async fn prepare(
        &self,
        path: &Path,
        database: Option<&PathBuf>,
    ) -> Result<Prepared, DaemonError> {
        let (mut config, source) = Config::load_with_source(path)?;
        if let Some(db) = database {
            config.database = db.clone();
        }
        // Always a new generation: its workers are handed the whole config, targets included,
        // and the lexicon file is re-read.
        let generation = Some(Arc::new(
            Generation::new(
                &config,
                source,
                self.shared.worker.clone(),
                self.shared.store.clone(),
            )
            .await?,
        ));
        let old_addr = self.metrics_server.as_ref().map(|s| s.addr);
        let new_addr = config.metrics.map(|m| m.listen);
        let metrics = if new_addr == old_addr {
            None
        } else {
            Some(match new_addr {
                Some(addr) => Some(self.start_metrics(addr).await?),
                None => None,
            })
        };
        Ok(Prepared {
            config,
            generation,
            metrics,
        })
    }

    pub(super) async fn apply(&mut self, prepared: Prepared) -> Result<(), DaemonError> {
        let Prepared {
            config: new,
            generation,
            metrics,
        } = prepared;
        if new.database != self.config.database {
            tracing::warn!("a changed database path takes effect at the next restart");
        }
        if let Some(server) = metrics {
            if server.is_none() {
                tracing::info!("metrics endpoint stopped");
            }
            self.metrics_server = server;
        }
        if let Some(g) = generation {
            let old = std::mem::replace(
                &mut *self
                    .shared
                    .generation
                    .lock()
                    .unwrap_or_else(|p| p.into_inner()),
                g,
            );
            // Its worker finishes what it has and exits; new checks go to the new one.
            old.workers.retire().await;
        }
        let tz_changed = new.schedule.timezone != self.config.schedule.timezone
            || utc_offset(&new.schedule.timezone, Utc::now()) != self.utc_offset;
        let summaries_changed = tz_changed || new.alerts != self.config.alerts;
        self.config = new.clone();
        if tz_changed {
            self.utc_offset = utc_offset(&new.schedule.timezone, Utc::now());
        }
        let kept: HashSet<&str> = new.targets.iter().map(|t| t.name.as_str()).collect();
        {
            let mut running = self
                .shared
                .running
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            // A clone of a lock is held only by a check running now.
            running
                .retain(|name, lock| kept.contains(name.as_str()) || Arc::strong_count(lock) > 1);
            for name in &kept {
                running.entry((*name).to_string()).or_default();
            }
        }
        self.shared.slots().retain(|name| kept.contains(name));
        self.shared
            .metrics
            .set_targets(new.targets.iter().map(|t| t.name.as_str()));

        if summaries_changed {
            for id in std::mem::take(&mut self.summary_jobs) {
                self.sched.remove(&id).await.map_err(sched_err)?;
            }
            self.add_summary_jobs().await?;
        }
        // Targets as the current jobs know them, to tell which ones this reload changes.
        let old: HashMap<String, Arc<Target>> = self
            .jobs
            .values()
            .flat_map(|(_, planned)| planned.iter().map(|(t, _)| (t.name.clone(), t.clone())))
            .collect();
        let groups = by_schedule(&new.targets);
        let same = |planned: &Planned, targets: &[&Arc<Target>]| {
            planned.len() == targets.len()
                && planned.iter().zip(targets).all(|((a, _), b)| **a == ***b)
        };
        let stale: Vec<String> = self
            .jobs
            .iter()
            .filter(|(schedule, (_, planned))| {
                tz_changed
                    || !groups
                        .get(schedule.as_str())
                        .is_some_and(|targets| same(planned, targets))
            })
            .map(|(schedule, _)| schedule.clone())
            .collect();
        for schedule in &stale {
            if let Some((id, _)) = self.jobs.remove(schedule) {
                self.sched.remove(&id).await.map_err(sched_err)?;
            }
        }
        let mut remade: Vec<&str> = Vec::new();
        for (schedule, targets) in groups {
            if !self.jobs.contains_key(schedule) {
                self.add_group(schedule, targets).await?;
                remade.push(schedule);
            }
        }
        let removed = old
            .keys()
            .filter(|name| !kept.contains(name.as_str()))
            .count();
        let mut scheduled = 0;
        for t in &new.targets {
            if tz_changed || old.get(&t.name).is_none_or(|o| **o != **t) {
                scheduled += 1;
            }
            // A remade job may have been away at its tick: every target of it whose slot passed
            // unchecked is caught up (the others are left alone).
            if remade.contains(&t.schedule.as_str())
                && let Err(e) = self.catch_up(t)
            {
                tracing::error!(target = %t.name, error = %e, "cannot decide whether to catch up");
            }
        }
        tracing::info!(
            targets = new.targets.len(),
            rescheduled = scheduled,
            removed,
            "config reloaded"
        );
        Ok(())
    }
}
