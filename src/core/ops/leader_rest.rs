//! Talking to the leading JobManager's REST endpoint, following leadership changes.
//!
//! The leader's REST URL comes from the `rest_server` leader znode (so a random or changed
//! `rest.port`, or a failover, does not matter); when ZooKeeper can't be read (or HA is off)
//! the first JobManager of `masters` whose `/overview` answers is used (a standby forwards
//! job calls to the leader). A call that fails because leadership moved (connection refused,
//! HTTP 503 during a leader election: [`RestError::leadership_moved`]) is retried once
//! against the new leader, after waiting for the znode to name one that answers.

use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::health::{PROBE_TIMEOUT, rest_answers, rest_probe};
use super::leader::read_leader;
use crate::core::error::{Error, Result};
use crate::core::model::Cluster;
use crate::core::reporter::Reporter;
use crate::rest::{RestClient, RestError};

/// Timeout of one job REST call (a jar run takes ~0.4-1.5 s on a small cluster).
pub const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// Whether [`LeaderRest::resolve`]'s error lists a TLS problem ([`RestError::Untrusted`] or
/// [`RestError::TlsFile`], whose messages it quotes): waiting for another leader won't help.
fn tls_problem(e: &Error) -> bool {
    let m = e.to_string();
    m.contains("TLS handshake failed") || m.contains("(inventory `rest.")
}

/// A leader-following REST client for job calls.
pub struct LeaderRest<'c> {
    cluster: &'c Cluster,
    reporter: &'c dyn Reporter,
    timeout: Duration,
    current: Mutex<Option<RestClient>>,
}

impl<'c> LeaderRest<'c> {
    /// For `cluster`, with progress (waiting for a new leader) on `reporter`.
    pub fn new(cluster: &'c Cluster, reporter: &'c dyn Reporter) -> LeaderRest<'c> {
        LeaderRest {
            cluster,
            reporter,
            timeout: CALL_TIMEOUT,
            current: Mutex::new(None),
        }
    }

    /// The same with each REST call bounded by `timeout` instead of [`CALL_TIMEOUT`].
    #[must_use]
    pub fn with_call_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The cluster.
    pub fn cluster(&self) -> &'c Cluster {
        self.cluster
    }

    /// The reporter.
    pub fn reporter(&self) -> &'c dyn Reporter {
        self.reporter
    }

    /// The REST URL of the leader, resolving it on first use.
    ///
    /// # Errors
    /// [`Error::Refused`] when no JobManager answers.
    pub async fn url(&self) -> Result<String> {
        Ok(self.client().await?.base().to_string())
    }

    async fn client(&self) -> Result<RestClient> {
        if let Some(c) = self.current.lock().expect("leader lock").clone() {
            return Ok(c);
        }
        let url = match self.resolve(None).await {
            Ok(u) => u,
            // TLS problems do not go away by waiting for another leader.
            Err(e) if tls_problem(&e) => return Err(e),
            Err(e) => {
                // A leader znode that names a JobManager which does not answer: a failover is
                // probably under way (the znode outlives a killed leader by the ZooKeeper
                // session timeout). Wait for the next leader instead of giving up.
                let named = self.cluster.ha.enabled
                    && matches!(read_leader(self.cluster).await, Ok(Some(_)));
                if !named {
                    return Err(e);
                }
                tracing::trace!(error = %e, "the leader the rest_server znode names does not answer: waiting for a new leader");
                return self
                    .await_new_leader("the leader the rest_server znode names")
                    .await
                    .map_err(|w| Error::Refused {
                        message: format!("{e}; then waited for a new leader: {w}"),
                    });
            }
        };
        let c = self.cluster.rest_client(&url, self.timeout)?;
        *self.current.lock().expect("leader lock") = Some(c.clone());
        Ok(c)
    }

    /// Why `url` did not answer, for the list of endpoints tried: TLS problems in full (they
    /// won't go away by waiting), anything else as "no answer".
    fn why(e: &RestError) -> String {
        match e {
            RestError::Untrusted { .. } | RestError::TlsFile { .. } => crate::core::error_chain(e),
            _ => "no answer".into(),
        }
    }

    /// Resolve the leader's REST URL: the `rest_server` znode when it names an endpoint that
    /// answers (other than `not`), else the first answering JobManager of `masters`.
    async fn resolve(&self, not: Option<&str>) -> Result<String> {
        let mut tried = Vec::new();
        if self.cluster.ha.enabled {
            match read_leader(self.cluster).await {
                // A znode naming anything but an inventory JobManager is refused, not
                // worked around: it is another cluster under our cluster-id, or tampering.
                Ok(Some(l)) if l.trusted_url().is_none() => {
                    return Err(Error::Refused {
                        message: super::leader::untrusted_message(self.cluster, &l.rest_url),
                    });
                }
                Ok(Some(l)) if Some(l.rest_url.as_str()) != not => {
                    match rest_probe(self.cluster, &l.rest_url).await {
                        Ok(()) => return Ok(l.rest_url),
                        Err(e) => tried.push(format!(
                            "{} (rest_server znode; {})",
                            l.rest_url,
                            Self::why(&e)
                        )),
                    }
                }
                Ok(Some(l)) => {
                    tried.push(format!("{} (rest_server znode; just failed)", l.rest_url))
                }
                Ok(None) => tried.push("no rest_server leader znode".to_string()),
                Err(e) => tried.push(format!("ZooKeeper: {}", crate::core::error_chain(&e))),
            }
        }
        for jm in &self.cluster.jobmanagers {
            let url = jm.rest_url();
            if Some(url.as_str()) == not {
                continue;
            }
            match rest_probe(self.cluster, &url).await {
                Ok(()) => return Ok(url),
                Err(e) => tried.push(format!("{url} (masters; {})", Self::why(&e))),
            }
        }
        Err(Error::Refused {
            message: format!(
                "no JobManager REST endpoint answers ({}); is the cluster started? `flinkha status` shows it",
                tried.join("; ")
            ),
        })
    }

    /// Wait (up to the ZooKeeper session timeout plus 20 s) for a leader other than `failed`
    /// or, after a 503, for `failed` itself to answer again.
    async fn await_new_leader(&self, failed: &str) -> Result<RestClient> {
        let budget = self
            .cluster
            .ha
            .session_timeout
            .saturating_add(Duration::from_secs(20));
        let started = Instant::now();
        let deadline = crate::time::after(started, budget);
        let mut last = String::new();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            tracing::trace!(
                failed = %failed,
                attempt,
                waited_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                "looking for the leading JobManager"
            );
            self.reporter
                .waiting("a JobManager to lead", &format!("{failed} failed; {last}"));
            if self.cluster.ha.enabled {
                let leader = read_leader(self.cluster).await;
                if let Ok(Some(l)) = &leader
                    && l.trusted_url().is_none()
                {
                    return Err(Error::Refused {
                        message: super::leader::untrusted_message(self.cluster, &l.rest_url),
                    });
                }
                if let Ok(Some(l)) = leader
                    && rest_answers(self.cluster, &l.rest_url).await
                    && let Ok(probe) = self.cluster.rest_client(&l.rest_url, PROBE_TIMEOUT)
                    && probe.jobs().await.is_ok()
                    && let Ok(c) = self.cluster.rest_client(&l.rest_url, self.timeout)
                {
                    *self.current.lock().expect("leader lock") = Some(c.clone());
                    return Ok(c);
                }
                last = "no answering leader yet".into();
            } else if let Ok(url) = self.resolve(None).await
                && let Ok(c) = self.cluster.rest_client(&url, self.timeout)
            {
                *self.current.lock().expect("leader lock") = Some(c.clone());
                return Ok(c);
            }
            if Instant::now() >= deadline {
                return Err(Error::Timeout {
                    what: "a new leading JobManager".into(),
                    secs: budget.as_secs(),
                    detail: format!("{failed} stopped answering and no other JobManager leads"),
                });
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    /// Run `f` against the leader; when it fails because leadership moved (including a
    /// timeout), wait for the new leader and run it once more there. `f` must be safe to
    /// repeat (flinkha makes its triggers idempotent with client-chosen ids); for one that is
    /// not, use [`LeaderRest::call_not_idempotent`].
    ///
    /// # Errors
    /// The call's [`RestError`] (as [`Error::Rest`]), or no leader found.
    pub async fn call<T, F, Fut>(&self, f: F) -> Result<T>
    where
        F: Fn(RestClient) -> Fut,
        Fut: Future<Output = std::result::Result<T, RestError>>,
    {
        self.call_retrying_if(f, RestError::leadership_moved).await
    }

    /// [`LeaderRest::call`] for a request that must not be repeated once it may have been
    /// acted on (`POST /savepoint-disposal`): sent again at the new leader only when the
    /// first attempt certainly did nothing ([`RestError::certainly_not_acted_on`]); a timeout
    /// or reset is returned as it is.
    ///
    /// # Errors
    /// As [`LeaderRest::call`].
    pub async fn call_not_idempotent<T, F, Fut>(&self, f: F) -> Result<T>
    where
        F: Fn(RestClient) -> Fut,
        Fut: Future<Output = std::result::Result<T, RestError>>,
    {
        self.call_retrying_if(f, RestError::certainly_not_acted_on)
            .await
    }

    async fn call_retrying_if<T, F, Fut>(&self, f: F, retry: fn(&RestError) -> bool) -> Result<T>
    where
        F: Fn(RestClient) -> Fut,
        Fut: Future<Output = std::result::Result<T, RestError>>,
    {
        let c = self.client().await?;
        match f(c.clone()).await {
            Ok(v) => Ok(v),
            Err(e) if retry(&e) => {
                tracing::trace!(leader = %c.base(), error = %crate::core::error_chain(&e), "leadership moved during the call: retrying once at the new leader");
                *self.current.lock().expect("leader lock") = None;
                let next = self
                    .await_new_leader(c.base())
                    .await
                    .map_err(|w| Error::Refused {
                        message: format!("{} ; and then: {w}", crate::core::error_chain(&e)),
                    })?;
                self.reporter.waiting(
                    "retrying at the leader",
                    &format!("{} (was {})", next.base(), c.base()),
                );
                tracing::trace!(leader = %next.base(), was = %c.base(), "retry");
                Ok(f(next).await?)
            }
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::core::reporter::NullReporter;
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const OVERVIEW: &str = r#"{"taskmanagers":1,"slots-total":1,"slots-available":1,"jobs-running":0,"flink-version":"2.1.0"}"#;

    pub(crate) async fn jm(addr: &str, jobs: &str) -> MockServer {
        let l = std::net::TcpListener::bind((addr, 0)).unwrap();
        let s = MockServer::builder().listener(l).start().await;
        Mock::given(path("/overview"))
            .respond_with(ResponseTemplate::new(200).set_body_string(OVERVIEW))
            .mount(&s)
            .await;
        Mock::given(path("/jobs/overview"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_string(format!(r#"{{"jobs":[{{"jid":"{jobs}","name":"n","state":"RUNNING","start-time":1,"duration":1}}]}}"#)),
            )
            .mount(&s)
            .await;
        s
    }

    /// A non-HA cluster whose `masters` are the two mock JobManagers.
    pub(crate) fn cluster(dir: &std::path::Path, a: &MockServer, b: &MockServer) -> Cluster {
        let conf = dir.join("conf");
        std::fs::create_dir_all(&conf).unwrap();
        std::fs::write(conf.join("config.yaml"), "parallelism:\n  default: 1\n").unwrap();
        std::fs::write(
            conf.join("masters"),
            format!("h1:{}\nh2:{}\n", a.address().port(), b.address().port()),
        )
        .unwrap();
        std::fs::write(conf.join("workers"), "h1\n").unwrap();
        let inv = dir.join("flinkha.yaml");
        std::fs::write(
            &inv,
            format!(
                "cluster: t\nconf_dir: conf\nflink:\n  version: 2.1.0\nhosts:\n  h1:\n    address: {}\n  h2:\n    address: {}\n",
                a.address().ip(),
                b.address().ip()
            ),
        )
        .unwrap();
        Cluster::load(&inv).unwrap()
    }

    #[tokio::test]
    async fn a_call_that_loses_its_leader_is_retried_once_at_the_next() {
        let a = jm("127.0.0.1", "aaaa").await;
        let b = jm("127.0.0.2", "bbbb").await;
        let dir = tempfile::tempdir().unwrap();
        let c = cluster(dir.path(), &a, &b);
        let api = LeaderRest::new(&c, &NullReporter);
        assert_eq!(api.url().await.unwrap(), format!("http://{}", a.address()));
        let jobs = api.call(|r| async move { r.jobs().await }).await.unwrap();
        assert_eq!(jobs[0].jid, "aaaa");
        // The leader dies: the call fails with a refused connection and goes to the other.
        drop(a);
        let jobs = api.call(|r| async move { r.jobs().await }).await.unwrap();
        assert_eq!(jobs[0].jid, "bbbb");
        assert_eq!(api.url().await.unwrap(), format!("http://{}", b.address()));
    }

    /// At `-vv` the retry after a leader change is traced, naming the old and the new leader.
    #[tokio::test]
    async fn the_retry_is_traced_at_vv() {
        #[derive(Clone, Default)]
        struct Captured(std::sync::Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Captured {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let a = jm("127.0.0.1", "aaaa").await;
        let b = jm("127.0.0.2", "bbbb").await;
        let dir = tempfile::tempdir().unwrap();
        let c = cluster(dir.path(), &a, &b);
        let (url_a, url_b) = (
            format!("http://{}", a.address()),
            format!("http://{}", b.address()),
        );
        let api = LeaderRest::new(&c, &NullReporter);
        api.url().await.unwrap();
        drop(a);
        let out = Captured::default();
        let w = out.clone();
        let subscriber = tracing_subscriber::fmt()
            .compact()
            .with_ansi(false)
            .with_writer(move || w.clone())
            .with_env_filter(tracing_subscriber::EnvFilter::new("flinkha=trace"))
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        let jobs = api.call(|r| async move { r.jobs().await }).await.unwrap();
        drop(guard);
        assert_eq!(jobs[0].jid, "bbbb");
        let text = String::from_utf8_lossy(&out.0.lock().unwrap()).into_owned();
        let moved = text
            .lines()
            .find(|l| l.contains("leadership moved during the call"))
            .unwrap_or_else(|| panic!("{text}"));
        assert!(moved.contains(&format!("leader={url_a}")), "{moved}");
        let retry = text
            .lines()
            .find(|l| l.contains(" retry "))
            .unwrap_or_else(|| panic!("{text}"));
        assert!(
            retry.contains(&format!("leader={url_b}")) && retry.contains(&format!("was={url_a}")),
            "{retry}"
        );
        assert!(
            text.contains("looking for the leading JobManager"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn other_errors_are_not_retried() {
        let a = jm("127.0.0.1", "aaaa").await;
        let b = jm("127.0.0.2", "bbbb").await;
        Mock::given(path("/jobs/x"))
            .respond_with(
                ResponseTemplate::new(404).set_body_string(r#"{"errors":["Job x not found"]}"#),
            )
            .expect(1)
            .mount(&a)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let c = cluster(dir.path(), &a, &b);
        let api = LeaderRest::new(&c, &NullReporter);
        let e = api
            .call(|r| async move { r.job("x").await })
            .await
            .unwrap_err();
        assert!(e.to_string().contains("Job x not found"), "{e}");
    }

    #[tokio::test]
    async fn no_answering_jobmanager_is_a_clear_error() {
        let a = jm("127.0.0.1", "aaaa").await;
        let b = jm("127.0.0.2", "bbbb").await;
        let dir = tempfile::tempdir().unwrap();
        let c = cluster(dir.path(), &a, &b);
        drop(a);
        drop(b);
        let api = LeaderRest::new(&c, &NullReporter);
        let e = api.url().await.unwrap_err().to_string();
        assert!(e.contains("no JobManager REST endpoint answers"), "{e}");
        assert!(e.contains("flinkha status"), "{e}");
    }

    /// `security.ssl.rest.enabled: true` makes the masters fallback use https, and the
    /// inventory's `rest.ca_file` (relative to it) is what the certificate is checked against.
    #[tokio::test]
    async fn https_rest_uses_the_inventory_ca_file() {
        use crate::rest::tests::tls_server;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        tls_server::ca(d, "cluster-ca");
        tls_server::ca(d, "other-ca");
        let (cert, key) = tls_server::leaf(d, "cluster-ca", "jm");
        let url = tls_server::start(&cert, &key, None).await;
        let port = url.rsplit(':').next().unwrap();
        let conf = d.join("conf");
        std::fs::create_dir_all(&conf).unwrap();
        std::fs::write(
            conf.join("config.yaml"),
            "security:\n  ssl:\n    rest:\n      enabled: true\n",
        )
        .unwrap();
        std::fs::write(conf.join("masters"), format!("h1:{port}\n")).unwrap();
        std::fs::write(conf.join("workers"), "h1\n").unwrap();
        let inv = d.join("flinkha.yaml");
        let write = |ca: &str| {
            std::fs::write(
                &inv,
                format!("cluster: t\nconf_dir: conf\nflink:\n  version: 2.1.0\nhosts:\n  h1:\n    address: 127.0.0.1\nrest:\n  ca_file: {ca}\n"),
            )
            .unwrap()
        };
        write("cluster-ca.pem");
        let c = Cluster::load(&inv).unwrap();
        assert_eq!(c.jobmanagers[0].rest_url(), url);
        assert_eq!(c.rest_tls.ca_file, Some(d.join("cluster-ca.pem")));
        let api = LeaderRest::new(&c, &NullReporter);
        assert_eq!(api.url().await.unwrap(), url);

        write("other-ca.pem");
        let c = Cluster::load(&inv).unwrap();
        let api = LeaderRest::new(&c, &NullReporter);
        let e = api.url().await.unwrap_err().to_string();
        assert!(e.contains("no JobManager REST endpoint answers"), "{e}");
        assert!(
            e.contains(&format!("the CA file {}", d.join("other-ca.pem").display())),
            "{e}"
        );
        assert!(e.contains("UnknownIssuer"), "{e}");
    }
}
