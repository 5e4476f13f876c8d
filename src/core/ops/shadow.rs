//! The shadow copy: a second deployment of the target version beside the running one, on the
//! same hosts, with every value that must differ derived by flinkha (Flink's upgrade guide,
//! docs/ops/upgrading.md, names this way of upgrading: set up a new cluster, move each job
//! to it from a savepoint, only then shut the old one down).
//!
//! What the shadow gets of its own: the layout under `deployments/<name>/` (its `current`,
//! conf, log, pid and tmp dirs, its `FLINK_IDENT_STRING`), `high-availability.cluster-id`
//! (`<cluster-id>-<name>`), `high-availability.storageDir` (`<storageDir>/<name>`), and a
//! free port for `rest.port` and for every port key the old deployment pins
//! (`high-availability.jobmanager.port`, `blob.server.port`, `taskmanager.rpc.port`,
//! `taskmanager.data.port`, `metrics.internal.query-service.port`; `0` or a range stays as
//! it is: Flink picks a free one). It shares the ZooKeeper quorum.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::upgrade::{self, Preflight, ROLLBACK, UPGRADE, UpgradeOptions, UpgradeParams, job_key};
use crate::core::catalogue::Catalogue;
use crate::core::error::{Error, Result};
use crate::core::hosts::{Sessions, for_each_host, run};
use crate::core::journal::{Entry, JournalData};
use crate::core::model::{Cluster, Deployment, Host, Role};
use crate::core::plan::{Action, JobRef, Plan, Step};
use crate::core::reporter::Reporter;
use crate::flinkconf::{Finding, Severity, Version};

/// Port keys a deployment must not share with another one on the same host when the old one
/// pins them, by the role whose daemon binds them.
pub const PINNED_PORT_KEYS: [(&str, Role); 5] = [
    ("high-availability.jobmanager.port", Role::JobManager),
    ("blob.server.port", Role::JobManager),
    ("taskmanager.rpc.port", Role::TaskManager),
    ("taskmanager.data.port", Role::TaskManager),
    ("metrics.internal.query-service.port", Role::TaskManager),
];

/// The name of the shadow deployment for `version`: `v<version>`.
pub fn name_for(version: &Version) -> String {
    format!("v{version}")
}

/// What one host said about itself.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HostFacts {
    /// `/proc/sys/kernel/random/boot_id`: hosts with the same one are one machine (their
    /// memory and ports are shared).
    pub boot_id: String,
    /// `MemAvailable` of `/proc/meminfo`, bytes.
    pub mem_available: u64,
    /// Local ports of every TCP socket on the host, in any state: listening, or the local
    /// end of a connection (`/proc/net/tcp`, `/proc/net/tcp6`). Binding one fails.
    pub listening: BTreeSet<u16>,
    /// The kernel's ephemeral port range (`/proc/sys/net/ipv4/ip_local_port_range`), from
    /// which outgoing connections take their local port at any moment: a port in it that is
    /// free now may be taken by the time a daemon binds it, so derived ports avoid it.
    pub ephemeral: Option<(u16, u16)>,
}

/// Script printing `boot <id>`, `mem <MemAvailable kB>` and the `/proc/net/tcp{,6}` lines.
pub const FACTS_SCRIPT: &str = "printf 'boot %s\\n' \"$(cat /proc/sys/kernel/random/boot_id)\"\n\
awk '/^MemAvailable:/ { print \"mem \" $2 }' /proc/meminfo\n\
cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$2 ~ /:/ { print \"listen \" $2 }'\n\
printf 'ephemeral %s\\n' \"$(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)\"\n";

/// Parse [`FACTS_SCRIPT`]'s output.
pub fn parse_facts(out: &str) -> HostFacts {
    let mut f = HostFacts {
        boot_id: String::new(),
        mem_available: 0,
        listening: BTreeSet::new(),
        ephemeral: None,
    };
    for line in out.lines() {
        if let Some(b) = line.strip_prefix("boot ") {
            f.boot_id = b.trim().to_string();
        } else if let Some(m) = line.strip_prefix("mem ") {
            f.mem_available = m.trim().parse::<u64>().unwrap_or(0) * 1024;
        } else if let Some(r) = line.strip_prefix("ephemeral ") {
            let mut it = r.split_whitespace().filter_map(|p| p.parse::<u16>().ok());
            if let (Some(lo), Some(hi)) = (it.next(), it.next()) {
                f.ephemeral = Some((lo, hi));
            }
        } else if let Some(l) = line.strip_prefix("listen ") {
            // local_address is `HEXADDR:HEXPORT`.
            if let Some((_, port)) = l.trim().rsplit_once(':')
                && let Ok(p) = u16::from_str_radix(port, 16)
            {
                f.listening.insert(p);
            }
        }
    }
    f
}

/// Read every host's facts.
///
/// # Errors
/// A host that can't be reached or read.
pub fn read_facts(cluster: &Cluster, sessions: &Sessions) -> Result<BTreeMap<String, HostFacts>> {
    let hosts: Vec<&Host> = cluster.hosts.iter().collect();
    let mut out = BTreeMap::new();
    for o in for_each_host(&hosts, cluster.parallelism, |h| {
        let text = run(
            h,
            sessions.get(h)?.as_ref(),
            "reading memory and listening ports",
            FACTS_SCRIPT,
        )?;
        Ok(parse_facts(&text))
    }) {
        out.insert(o.host, o.result?);
    }
    Ok(out)
}

/// A Flink memory size (`768m`, `1g`, `1024 mb`, `2gb`, bytes): bytes (Flink's `MemorySize`
/// units are 1024-based: docs/deployment/config.md, "MemorySize").
pub fn parse_memory_size(text: &str) -> Option<u64> {
    let t = text.trim().to_ascii_lowercase();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num.parse().ok()?;
    let mult: u64 = match unit.trim() {
        "" | "b" | "bytes" => 1,
        "k" | "kb" | "kibibytes" => 1 << 10,
        "m" | "mb" | "mebibytes" => 1 << 20,
        "g" | "gb" | "gibibytes" => 1 << 30,
        "t" | "tb" | "tebibytes" => 1 << 40,
        _ => return None,
    };
    n.checked_mul(mult)
}

/// The value of Flink `key` on `host`: its per-host keys (inventory, deployment) win over the
/// conf dir.
pub fn effective(cluster: &Cluster, host: &Host, key: &str) -> Option<String> {
    host.flink_overrides
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .or_else(|| cluster.conf.config.get_str(key).map(str::to_string))
}

/// A port the old deployment pins on `host` for `key` (`None`: unset, `0` or a range).
fn pinned(cluster: &Cluster, host: &Host, key: &str) -> Option<u16> {
    effective(cluster, host, key)
        .and_then(|v| v.trim().parse::<u16>().ok())
        .filter(|p| *p != 0)
}

/// The shadow deployment derived from `old` (the active deployment's cluster).
#[derive(Debug, Clone, Serialize)]
pub struct Derived {
    /// The new deployment, keys included.
    pub layout: Deployment,
    /// Findings: errors block the shadow.
    pub findings: Vec<Finding>,
    /// Per machine: the hosts on it, what the shadow's daemons need and what it has, bytes.
    pub memory: Vec<MachineMemory>,
}

/// Memory of one machine (hosts sharing a boot id).
#[derive(Debug, Clone, Serialize)]
pub struct MachineMemory {
    /// Inventory hosts on it.
    pub hosts: Vec<String>,
    /// Σ of the shadow's JobManager and TaskManager process sizes there, bytes.
    pub needed: u64,
    /// `MemAvailable`, bytes.
    pub available: u64,
    /// How `needed` adds up.
    pub detail: String,
}

fn mib(b: u64) -> u64 {
    b >> 20
}

/// Derive the shadow of `old` for `to` from the hosts' facts: its name, cluster-id, HA
/// storage and ports (free on each host and on every host sharing its machine, never one the
/// old deployment names, taken from `range` when given), and check memory.
pub fn derive(
    old: &Cluster,
    to: &Version,
    facts: &BTreeMap<String, HostFacts>,
    range: Option<(u16, u16)>,
) -> Derived {
    let name = name_for(to);
    let mut layout = Deployment::named(&name);
    let mut findings = Vec::new();
    let finding = |message: String, hint: &str| Finding {
        severity: Severity::Error,
        file: old.inventory_path.clone(),
        line: None,
        message,
        hint: (!hint.is_empty()).then(|| hint.to_string()),
        id: None,
        host: None,
    };
    let base_id = old.ha.base_cluster_id.trim_end_matches('/');
    let cluster_id = format!("{base_id}-{name}");
    let storage = old
        .conf
        .config
        .get_str("high-availability.storageDir")
        .map(|s| format!("{}/{name}", s.trim_end_matches('/')));
    // Ports in use per machine: what listens there plus every port the old deployment names.
    let machine = |h: &str| facts.get(h).map(|f| f.boot_id.clone()).unwrap_or_default();
    let mut used: BTreeMap<String, BTreeSet<u16>> = BTreeMap::new();
    for h in &old.hosts {
        let set = used.entry(machine(&h.name)).or_default();
        if let Some(f) = facts.get(&h.name) {
            set.extend(f.listening.iter().copied());
        }
        for (key, _) in PINNED_PORT_KEYS {
            set.extend(pinned(old, h, key));
        }
        set.extend(
            old.jobmanagers
                .iter()
                .filter(|j| j.host == h.name)
                .map(|j| j.rest_port),
        );
        if let Some(z) = old.zk_peer_on(&h.name) {
            set.extend([z.client_port, z.peer_port, z.leader_port]);
        }
    }
    for h in &old.hosts {
        let roles = old.roles_on(&h.name);
        let mut wanted: Vec<(&str, u16)> = Vec::new();
        if let Some(jm) = old.jobmanagers.iter().find(|j| j.host == h.name) {
            wanted.push(("rest.port", jm.rest_port));
        }
        for (key, role) in PINNED_PORT_KEYS {
            if roles.contains(&role)
                && let Some(p) = pinned(old, h, key)
            {
                wanted.push((key, p));
            }
        }
        let mut keys = BTreeMap::new();
        keys.insert(
            "high-availability.cluster-id".to_string(),
            cluster_id.clone(),
        );
        if let Some(s) = &storage {
            keys.insert("high-availability.storageDir".to_string(), s.clone());
        }
        let ephemeral = facts.get(&h.name).and_then(|f| f.ephemeral);
        let set = used.entry(machine(&h.name)).or_default();
        for (key, old_port) in wanted {
            let (lo, hi) = range.unwrap_or((old_port.saturating_add(1), u16::MAX));
            // Without --shadow-ports: above the old port, then from 1024, never in the
            // ephemeral range (a connection may take such a port before the daemon binds it).
            let candidates: Box<dyn Iterator<Item = u16>> =
                if range.is_some() {
                    Box::new(lo..=hi)
                } else {
                    Box::new((lo..=hi).chain(1024..old_port).filter(move |p| {
                        !ephemeral.is_some_and(|(elo, ehi)| (elo..=ehi).contains(p))
                    }))
                };
            let mut candidates = candidates;
            match candidates.find(|p| !set.contains(p)) {
                Some(p) => {
                    set.insert(p);
                    keys.insert(key.to_string(), p.to_string());
                }
                None => findings.push(finding(
                    format!(
                        "{}: no free port for the shadow's {key} in {lo}-{hi} ({} port(s), all listening or taken by the old deployment)",
                        h.name,
                        u32::from(hi) - u32::from(lo) + 1
                    ),
                    "free some, or give a wider range with --shadow-ports LO-HI",
                )),
            }
        }
        layout.keys.insert(h.name.clone(), keys);
    }
    // Memory per machine: the shadow's process sizes against what is available there now
    // (the old deployment's daemons already run, so they are in what is used).
    let mut machines: BTreeMap<String, MachineMemory> = BTreeMap::new();
    for h in &old.hosts {
        let m = machines
            .entry(machine(&h.name))
            .or_insert_with(|| MachineMemory {
                hosts: Vec::new(),
                needed: 0,
                available: facts.get(&h.name).map(|f| f.mem_available).unwrap_or(0),
                detail: String::new(),
            });
        m.hosts.push(h.name.clone());
        for (role, key) in [
            (Role::JobManager, "jobmanager.memory.process.size"),
            (Role::TaskManager, "taskmanager.memory.process.size"),
        ] {
            if !old.roles_on(&h.name).contains(&role) {
                continue;
            }
            match effective(old, h, key).and_then(|v| parse_memory_size(&v)) {
                Some(b) => {
                    m.needed += b;
                    if !m.detail.is_empty() {
                        m.detail.push_str(" + ");
                    }
                    m.detail
                        .push_str(&format!("{role} on {} {} MiB", h.name, mib(b)));
                }
                None => findings.push(Finding {
                    severity: Severity::Warning,
                    file: old.conf.config.path.clone(),
                    line: None,
                    message: format!(
                        "{key} is not set (or not a size) for {}: the shadow's {role} there is not counted in the memory check",
                        h.name
                    ),
                    hint: Some(format!("set {key} in the Flink config")),
                    id: None,
                    host: None,
                }),
            }
        }
    }
    for m in machines.values() {
        if m.needed > m.available {
            findings.push(finding(
                format!(
                    "not enough memory for the shadow on {}{}: its daemons need {} MiB ({}), MemAvailable is {} MiB",
                    m.hosts.join(", "),
                    if m.hosts.len() > 1 { " (one machine)" } else { "" },
                    mib(m.needed),
                    m.detail,
                    mib(m.available)
                ),
                "free memory there, lower the process sizes, or upgrade in place (`flinkha upgrade` without --shadow)",
            ));
        }
    }
    Derived {
        layout,
        findings,
        memory: machines.into_values().collect(),
    }
}

/// Parse `LO-HI` (`--shadow-ports`).
///
/// # Errors
/// [`Error::Usage`] naming what is wrong.
pub fn parse_range(text: &str) -> Result<(u16, u16)> {
    let bad = || Error::Usage {
        message: format!("--shadow-ports `{text}`: write a port range LO-HI, e.g. 30000-30100"),
    };
    let (lo, hi) = text.split_once('-').ok_or_else(bad)?;
    let lo: u16 = lo.trim().parse().map_err(|_| bad())?;
    let hi: u16 = hi.trim().parse().map_err(|_| bad())?;
    if lo == 0 || hi < lo {
        return Err(bad());
    }
    Ok((lo, hi))
}

/// Journal operation name of `--finalize`.
pub const FINALIZE: &str = "finalize";

/// What the shadow preflight found: the in-place checks of the jobs, the quorum and the
/// target version, plus the derived deployment and its memory and port checks.
#[derive(Debug, Clone, Serialize)]
pub struct ShadowPreflight {
    /// The checks shared with an in-place upgrade ([`upgrade::checks`]: no `conf_diffs`, the
    /// shadow's conf dir is new and its keys are in `derived`).
    pub base: Preflight,
    /// The deployment, its keys, memory per machine.
    pub derived: Derived,
    /// The old deployment's cluster-id.
    pub from_cluster_id: String,
}

impl ShadowPreflight {
    /// Every blocking finding.
    pub fn errors(&self) -> Vec<&Finding> {
        self.base
            .findings
            .iter()
            .chain(&self.derived.findings)
            .filter(|f| f.is_error())
            .collect()
    }

    /// Every finding.
    pub fn findings(&self) -> Vec<&Finding> {
        self.base
            .findings
            .iter()
            .chain(&self.derived.findings)
            .collect()
    }
}

/// Check everything a shadow upgrade of `target` (the active deployment, on the inventory's
/// version) needs before anything runs.
///
/// # Errors
/// As [`upgrade::preflight`], and hosts whose memory and ports can't be read.
pub async fn preflight(
    target: &Cluster,
    sessions: &Sessions,
    reporter: &dyn Reporter,
    catalogue: &Catalogue,
    opts: &UpgradeOptions,
    range: Option<(u16, u16)>,
) -> Result<ShadowPreflight> {
    let base = upgrade::checks(target, sessions, reporter, catalogue, opts).await?;
    let old = upgrade::cluster_for(&target.inventory_path, &base.from, &target.deployment)?;
    let facts = tokio::task::block_in_place(|| read_facts(&old, sessions))?;
    let mut derived = derive(&old, &base.to, &facts, range);
    if derived.layout.name == old.deployment.name {
        derived.findings.push(Finding {
            severity: Severity::Error,
            file: target.inventory_path.clone(),
            line: None,
            message: format!("the active deployment is already {}", old.deployment.name),
            hint: None,
            id: None,
            host: None,
        });
    }
    let shadow = upgrade::cluster_for(&target.inventory_path, &base.to, &derived.layout)?;
    // A fresh cluster-id must be empty: jobs left in its HA store would be recovered (run a
    // second time) as soon as its JobManagers start.
    if shadow.ha.enabled {
        match super::steps::ha_jobs(&shadow).await {
            Ok(left) if !left.is_empty() => derived.findings.push(Finding {
                severity: Severity::Error,
                file: target.inventory_path.clone(),
                line: None,
                message: format!(
                    "the shadow's HA store {} already holds job(s) {}: its JobManagers would recover them",
                    shadow.ha.path(),
                    left.join(", ")
                ),
                hint: Some("find out where they come from (`flinkha leader show`); remove them only if they must not run".into()),
                id: None,
                host: None,
            }),
            Ok(_) => {}
            Err(e) => derived.findings.push(Finding {
                severity: Severity::Warning,
                file: target.inventory_path.clone(),
                line: None,
                message: format!(
                    "could not read the shadow's HA store: {}",
                    crate::core::error_chain(&e)
                ),
                hint: None,
                id: None,
                host: None,
            }),
        }
    }
    Ok(ShadowPreflight {
        base,
        derived,
        from_cluster_id: old.ha.cluster_id.clone(),
    })
}

/// The shadow upgrade plan: install → lay out the shadow → start it (health-gated) → per job,
/// one at a time: stop with a savepoint on the old deployment, run from it on the shadow
/// (NO_CLAIM), verify → the shadow becomes the active deployment.
pub fn plan(target: &Cluster, pre: &ShadowPreflight, opts: &UpgradeOptions) -> Plan {
    let (from, to) = (pre.base.from, pre.base.to);
    let d = &pre.derived.layout;
    let to_id = d
        .keys
        .values()
        .find_map(|k| k.get("high-availability.cluster-id"))
        .cloned()
        .unwrap_or_default();
    let mut steps = vec![
        Step {
            id: format!("install/{to}"),
            title: format!(
                "install flink-{to} beside flink-{from} on every host (verified; nothing moved)"
            ),
            downtime: false,
            action: Action::install(to),
        },
        Step {
            id: format!("prepare/{}", d.name),
            title: format!(
                "lay out deployment {} on every host: deployments/{}/current -> flink-{to}, its own conf (cluster-id {to_id}, ports below)",
                d.name, d.name
            ),
            downtime: false,
            action: Action::Prepare { version: to },
        },
        Step {
            id: format!("start-daemons/{to}"),
            title: format!(
                "start the shadow's JobManagers and TaskManagers on Flink {to} beside the old ones (health-gated: leader, every TaskManager registered)"
            ),
            downtime: false,
            action: Action::start_daemons(to, vec![Role::JobManager, Role::TaskManager]),
        },
        Step {
            id: format!("upload-jars/{to}"),
            title: "upload the jar of each job to the shadow's leader (before any job stops)"
                .into(),
            downtime: false,
            action: Action::UploadJars {
                version: to,
                jobs: pre.base.jobs.iter().map(|p| p.job.clone()).collect(),
            },
        },
    ];
    for p in &pre.base.jobs {
        let stop = upgrade::stop_job_step(p, from, &format!(" on Flink {from}"));
        let stop_id = stop.id.clone();
        steps.push(stop);
        steps.extend(upgrade::run_and_verify(
            &p.job,
            &stop_id,
            to,
            opts.checkpoints,
            "its savepoint on the shadow",
        ));
    }
    steps.push(Step {
        id: format!("activate/{to}"),
        title: format!(
            "make deployment {} (Flink {to}, cluster-id {to_id}) the active one; the old one keeps running, empty, until --finalize",
            d.name
        ),
        downtime: false,
        action: Action::Activate { version: to },
    });
    let mut summary = vec![format!(
        "Shadow upgrade of cluster {}: Flink {from} (deployment {}, cluster-id {}) → {to} (deployment {}, cluster-id {to_id}), {} job(s) moved one at a time",
        target.name,
        target.deployment.name,
        pre.from_cluster_id,
        d.name,
        pre.base.jobs.len()
    )];
    for p in &pre.base.jobs {
        summary.push(format!(
            "  job {} ({}): resubmitted from {}",
            p.job.name, p.job.job_id, p.spec_source
        ));
    }
    summary.push(format!(
        "Deployment {} on the same hosts, same ZooKeeper quorum:",
        d.name
    ));
    for (host, keys) in &d.keys {
        let ks: Vec<String> = keys
            .iter()
            .filter(|(k, _)| !k.starts_with("high-availability.cluster-id"))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        summary.push(format!("  {host}: {}", ks.join(", ")));
    }
    for m in &pre.derived.memory {
        summary.push(format!(
            "  memory on {}: the shadow needs {} MiB, {} MiB available",
            m.hosts.join(", "),
            mib(m.needed),
            mib(m.available)
        ));
    }
    summary.push("Each job is down only from its stop-with-savepoint until it runs on the shadow; a job whose move fails goes back to the old deployment from the same savepoint.".into());
    Plan {
        operation: UPGRADE.into(),
        summary,
        steps,
    }
}

/// The steps that bring a job whose move failed back to the old deployment: cancel what runs
/// of it on the shadow, run it on `from` from the same savepoint, verify.
pub fn move_back_steps(
    job: &JobRef,
    on_shadow: &str,
    from: Version,
    to: Version,
    checkpoints: u32,
) -> Vec<Step> {
    let key = job_key(job);
    let mut steps = vec![Step {
        id: format!("cancel-job/{key}"),
        title: format!(
            "cancel {} ({on_shadow}) on the shadow (Flink {to})",
            job.name
        ),
        downtime: true,
        action: Action::CancelJob {
            job: JobRef {
                job_id: on_shadow.to_string(),
                ..job.clone()
            },
            version: to,
        },
    }];
    steps.extend(upgrade::run_and_verify_as(
        "-back",
        job,
        &format!("stop-job/{key}"),
        from,
        checkpoints,
        "the same savepoint, back on the old deployment",
    ));
    steps
}

/// Amend `data`'s plan after the failed move of a job in a shadow upgrade: its run and
/// verification on the shadow are skipped, the steps moving it back follow, and then either
/// every remaining step is skipped (`go_on` false) or only the activation of the shadow (a
/// job stays on the old deployment). Returns the job's name.
pub fn amend_move_back(
    data: &mut JournalData,
    failed: &str,
    go_on: bool,
    checkpoints: u32,
) -> Result<String> {
    let params: UpgradeParams =
        serde_json::from_value(data.params.clone()).map_err(|e| Error::Journal {
            message: format!("the journal has no versions ({e})"),
        })?;
    let Some(step) = data.plan.step(failed).cloned() else {
        return Err(Error::Journal {
            message: format!("the journal has no step {failed}"),
        });
    };
    let (job, on_shadow) = match &step.action {
        Action::RunJob {
            job, new_job_id, ..
        }
        | Action::VerifyJob {
            job, new_job_id, ..
        } => (job.clone(), new_job_id.clone()),
        _ => {
            return Err(Error::Journal {
                message: format!("step {failed} moves no job"),
            });
        }
    };
    let key = job_key(&job);
    let now = crate::core::catalogue::now_ms();
    for id in [format!("run-job/{key}"), format!("verify-job/{key}")] {
        if data.outcome(&id).is_none() {
            data.entries.push(Entry::Skipped {
                step: id,
                at_ms: now,
                reason: format!(
                    "the move of {} to the shadow failed: it goes back to the old deployment",
                    job.name
                ),
            });
        }
    }
    let back = move_back_steps(&job, &on_shadow, params.from, params.to, checkpoints);
    let after = data
        .plan
        .steps
        .iter()
        .position(|s| s.id == format!("verify-job/{key}"))
        .unwrap_or(data.plan.steps.len() - 1);
    let n = back.len();
    for (i, s) in back.into_iter().enumerate() {
        data.plan.steps.insert(after + 1 + i, s);
    }
    let rest: Vec<String> = data.plan.steps[after + 1 + n..]
        .iter()
        .filter(|s| !go_on || matches!(s.action, Action::Activate { .. }))
        .map(|s| s.id.clone())
        .collect();
    for id in rest {
        if data.outcome(&id).is_none() && !data.skipped(&id) {
            data.entries.push(Entry::Skipped {
                step: id,
                at_ms: now,
                reason: if go_on {
                    format!("job {} stays on the old deployment: the shadow is not made the only active one", job.name)
                } else {
                    format!("the upgrade stopped after the failed move of {} (--on-failure stop)", job.name)
                },
            });
        }
    }
    Ok(job.name)
}

/// `--finalize`: stop the previous deployment's daemons (it must run no job), check its HA
/// store holds nothing a later start would recover, record it as stopped. Its install and
/// conf stay, for `flinkha upgrade --rollback`.
pub fn finalize_plan(target: &Cluster, up: &UpgradeParams, old_jobs: Vec<String>) -> Plan {
    let from = up.from;
    Plan {
        operation: FINALIZE.into(),
        summary: vec![format!(
            "Finalize the shadow upgrade of cluster {}: stop deployment {} (Flink {from}); deployment {} (Flink {}) stays the active one. `flinkha upgrade --rollback` can still bring the jobs back to {from} from their pre-upgrade savepoints.",
            target.name,
            up.from_layout.name,
            up.shadow
                .as_ref()
                .map(|d| d.name.as_str())
                .unwrap_or_default(),
            up.to
        )],
        steps: vec![
            Step {
                id: format!("stop-daemons/{from}"),
                title: format!(
                    "stop the old TaskManagers and JobManagers (Flink {from}); the quorum keeps serving"
                ),
                downtime: false,
                action: Action::StopDaemons {
                    version: from,
                    roles: vec![Role::TaskManager, Role::JobManager],
                    hosts: vec![],
                    best_effort: false,
                },
            },
            Step {
                id: "clear-ha-jobs".into(),
                title: "check that the old HA store holds no job a later start would recover"
                    .into(),
                downtime: false,
                action: Action::ClearHaJobs {
                    stopped: old_jobs,
                    version: None,
                },
            },
            Step {
                id: format!("retire/{from}"),
                title: format!(
                    "record deployment {} as stopped (kept installed for a rollback)",
                    up.from_layout.name
                ),
                downtime: false,
                action: Action::Retire { version: from },
            },
        ],
    }
}

/// The rollback of a shadow upgrade recorded in `up`: the old deployment started again if it
/// was finalized, every job on the shadow stopped with a savepoint (kept, not restored) and
/// run on the old one from its pre-upgrade savepoint, one at a time, then the shadow stopped
/// and the old deployment made active again.
pub fn rollback_plan(
    target: &Cluster,
    up: &JournalData,
    params: &UpgradeParams,
    opts: &UpgradeOptions,
) -> Plan {
    let (from, to) = (params.from, params.to);
    let mut steps = vec![Step {
        id: format!("start-daemons/{from}"),
        title: format!(
            "start the old JobManagers and TaskManagers (Flink {from}) unless they run (health-gated)"
        ),
        downtime: false,
        action: Action::start_daemons(from, vec![Role::JobManager, Role::TaskManager]),
    }];
    let mut moved = 0;
    for s in &up.plan.steps {
        let Action::StopJob { job, .. } = &s.action else {
            continue;
        };
        let Some(o) = up.outcome(&s.id) else {
            continue;
        };
        let key = job_key(job);
        // Already back on the old deployment after a failed move.
        if up.outcome(&format!("verify-job-back/{key}")).is_some() {
            continue;
        }
        moved += 1;
        let on_shadow = up.plan.steps.iter().find_map(|r| match &r.action {
            Action::RunJob {
                job: rj,
                new_job_id,
                version,
                ..
            } if rj.job_id == job.job_id && *version == to && up.intent_ms(&r.id).is_some() => {
                Some(new_job_id.clone())
            }
            _ => None,
        });
        if let Some(new_id) = on_shadow {
            steps.push(upgrade::rollback_stop_step(
                target,
                job,
                &new_id,
                from,
                to,
                " on the shadow",
            ));
        }
        let path = o.get("path").and_then(|p| p.as_str()).unwrap_or_default();
        let sp = format!("savepoint/{key}");
        steps.push(Step {
            id: sp.clone(),
            title: format!("use the pre-upgrade savepoint of {}: {path}", job.name),
            downtime: true,
            action: Action::UseSavepoint {
                path: path.to_string(),
            },
        });
        steps.extend(upgrade::run_and_verify(
            job,
            &sp,
            from,
            opts.checkpoints,
            "its pre-upgrade savepoint on the old deployment",
        ));
    }
    steps.push(Step {
        id: format!("stop-daemons/{to}"),
        title: format!("stop the shadow's TaskManagers and JobManagers (Flink {to})"),
        downtime: false,
        action: Action::StopDaemons {
            version: to,
            roles: vec![Role::TaskManager, Role::JobManager],
            hosts: vec![],
            best_effort: false,
        },
    });
    // Flink removes a stopped job's execution plan asynchronously: none may stay in the
    // shadow's HA store, or its next start would recover the job.
    let mut stopped: Vec<String> = up
        .plan
        .steps
        .iter()
        .filter_map(|s| match &s.action {
            Action::RunJob {
                new_job_id,
                version,
                ..
            } if *version == to => Some(new_job_id.clone()),
            _ => None,
        })
        .collect();
    stopped.sort();
    steps.push(Step {
        id: format!("clear-ha-jobs/{to}"),
        title: "check that the shadow's HA store holds no job a later start would recover".into(),
        downtime: false,
        action: Action::ClearHaJobs {
            stopped,
            version: Some(to),
        },
    });
    steps.push(Step {
        id: format!("activate/{from}"),
        title: format!(
            "make deployment {} (Flink {from}) the active one again",
            params.from_layout.name
        ),
        downtime: false,
        action: Action::Activate { version: from },
    });
    Plan {
        operation: ROLLBACK.into(),
        summary: vec![
            format!(
                "Rollback of the shadow upgrade {from} → {to} of cluster {} ({}): {moved} job(s) back to deployment {} from their pre-upgrade savepoints, one at a time; then the shadow is stopped",
                target.name,
                up.state.label(),
                params.from_layout.name
            ),
            "Output the jobs produced since their pre-upgrade savepoint will be produced again (the state goes back to that savepoint).".into(),
        ],
        steps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_facts_and_sizes() {
        let f = parse_facts(
            "boot 1234-ab\nmem 2048\nlisten 0100007F:1F90\nlisten 00000000000000000000000000000000:17E0\nlisten junk\n",
        );
        assert_eq!(f.boot_id, "1234-ab");
        assert_eq!(f.mem_available, 2048 * 1024);
        assert_eq!(f.listening, BTreeSet::from([8080, 6112]));
        assert_eq!(parse_memory_size("768m"), Some(768 << 20));
        assert_eq!(parse_memory_size("1 gb"), Some(1 << 30));
        assert_eq!(parse_memory_size("1024"), Some(1024));
        assert_eq!(parse_memory_size("lots"), None);
        assert_eq!(parse_range("30000-30010").unwrap(), (30000, 30010));
        assert!(parse_range("5-1").is_err());
        assert!(parse_range("x").is_err());
    }

    #[test]
    fn the_facts_script_reads_this_machine() {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(FACTS_SCRIPT)
            .output()
            .unwrap();
        let f = parse_facts(&String::from_utf8_lossy(&out.stdout));
        assert!(!f.boot_id.is_empty());
        assert!(f.mem_available > 0);
        // A port this test listens on is seen.
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        // The local end of a connection counts too: binding that port would fail.
        let client = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let local = client.local_addr().unwrap().port();
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(FACTS_SCRIPT)
            .output()
            .unwrap();
        let f = parse_facts(&String::from_utf8_lossy(&out.stdout));
        assert!(
            f.listening.contains(&port) && f.listening.contains(&local),
            "{port} or {local} not in {:?}",
            f.listening
        );
        let range = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range").unwrap();
        let mut it = range.split_whitespace().map(|p| p.parse::<u16>().unwrap());
        assert_eq!(f.ephemeral, Some((it.next().unwrap(), it.next().unwrap())));
    }

    /// Derived ports stay out of the kernel's ephemeral range (a connection can take such a
    /// port between the preflight and the daemon's bind: seen in tests/shadow.rs, whose old
    /// ports came from that range), unless --shadow-ports names the range.
    #[test]
    fn derived_ports_avoid_the_ephemeral_range() {
        let c = example();
        let mut f = facts(&c, &[], 64 << 30);
        for h in f.values_mut() {
            h.ephemeral = Some((1024, 40000));
        }
        let d = derive(&c, &Version::new(2, 2, 0), &f, None);
        assert!(d.findings.is_empty(), "{:?}", d.findings);
        for (host, keys) in &d.layout.keys {
            for (k, v) in keys {
                if let Ok(p) = v.parse::<u16>() {
                    assert!(p > 40000, "{host}: {k}={p} is in the ephemeral range");
                }
            }
        }
        let d = derive(&c, &Version::new(2, 2, 0), &f, Some((30000, 30100)));
        assert!(d.findings.is_empty(), "{:?}", d.findings);
        let any = d
            .layout
            .keys
            .values()
            .flat_map(|k| k.values())
            .any(|v| v.parse::<u16>().is_ok_and(|p| (30000..=30100).contains(&p)));
        assert!(any, "--shadow-ports is used as given");
    }

    fn example() -> Cluster {
        let example =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("conf.example/flinkha.yaml");
        Cluster::load(&example).unwrap()
    }

    fn facts(c: &Cluster, listening: &[u16], mem: u64) -> BTreeMap<String, HostFacts> {
        c.hosts
            .iter()
            .map(|h| {
                (
                    h.name.clone(),
                    HostFacts {
                        boot_id: "one".into(),
                        mem_available: mem,
                        listening: listening.iter().copied().collect(),
                        ephemeral: None,
                    },
                )
            })
            .collect()
    }

    #[test]
    fn derives_own_ports_cluster_id_and_storage() {
        let c = example();
        let d = derive(
            &c,
            &Version::new(2, 3, 0),
            &facts(&c, &[8082, 6125], 64 << 30),
            None,
        );
        assert!(d.findings.iter().all(|f| !f.is_error()), "{:?}", d.findings);
        assert_eq!(d.layout.name, "v2.3.0");
        let k1 = &d.layout.keys["flink-1"];
        assert_eq!(k1["high-availability.cluster-id"], "/flinkha-demo-v2.3.0");
        assert_eq!(
            k1["high-availability.storageDir"],
            "file:///var/tmp/flinkha-demo/ha/v2.3.0"
        );
        // masters: flink-1:8081, flink-2:8081 on one machine; 8082 listens: 8083, 8084.
        let mut rest: Vec<&str> = ["flink-1", "flink-2"]
            .iter()
            .map(|h| d.layout.keys[*h]["rest.port"].as_str())
            .collect();
        rest.sort();
        assert_eq!(rest, ["8083", "8084"]);
        // HA RPC ports 6123 (flink-1) and 6124 (flink-2) are the old one's; 6125 listens.
        let mut ha: Vec<&str> = ["flink-1", "flink-2"]
            .iter()
            .map(|h| d.layout.keys[*h]["high-availability.jobmanager.port"].as_str())
            .collect();
        ha.sort();
        assert_eq!(ha, ["6126", "6127"]);
        // A TaskManager-only host gets no JobManager port.
        assert!(!d.layout.keys["flink-3"].contains_key("rest.port"));
        // The shadow cluster value renders them.
        let s = c.clone().with_deployment(d.layout.clone());
        assert_eq!(s.ha.cluster_id, "/flinkha-demo-v2.3.0");
        assert_eq!(s.ha.base_cluster_id, c.ha.base_cluster_id);
        let h1 = s.host("flink-1").unwrap();
        let keys = crate::core::render::per_host_keys(&s, h1);
        assert!(keys.contains(&("rest.port".into(), k1["rest.port"].clone())));
        assert_eq!(
            s.paths(h1).conf(),
            "/var/tmp/flinkha-demo/hosts/flink-1/deployments/v2.3.0/conf"
        );
        // ZooKeeper stays on the primary layout.
        assert_eq!(
            s.pid_file(h1, Role::ZooKeeper),
            c.pid_file(h1, Role::ZooKeeper)
        );
        assert_ne!(
            s.pid_file(h1, Role::JobManager),
            c.pid_file(h1, Role::JobManager)
        );
    }

    #[test]
    fn refuses_without_ports_or_memory_with_numbers() {
        let c = example();
        let taken: Vec<u16> = (30000..=30003).collect();
        let d = derive(
            &c,
            &Version::new(2, 3, 0),
            &facts(&c, &taken, 1 << 30),
            Some((30000, 30003)),
        );
        let text: Vec<String> = d.findings.iter().map(|f| f.to_string()).collect();
        assert!(
            text.iter()
                .any(|t| t.contains("no free port") && t.contains("30000-30003")),
            "{text:?}"
        );
        // 2 × 768 MiB + 3 × 1024 MiB = 4608 MiB > 1024 MiB.
        assert!(
            text.iter().any(|t| t.contains("need 4608 MiB")
                && t.contains("MemAvailable is 1024 MiB")
                && t.contains("one machine")),
            "{text:?}"
        );
    }
}
