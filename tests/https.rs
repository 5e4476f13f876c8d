//! HTTPS REST on a real cluster (3 simulated hosts, ZooKeeper HA, 2 JobManagers, Flink 2.1.0):
//! `security.ssl.rest.*` with a PKCS12 keystore and truststore made from a test CA; flinkha
//! trusts the CA through the inventory's `rest.ca_file`, finds the leader's `https://` URL in
//! the rest_server znode, and names the CA file when it is the wrong one.

#![allow(clippy::print_stderr)] // timings go to the test log

mod common;

use std::path::Path;
use std::time::Instant;

use common::cluster::{ClusterLock, TestCluster, show};
use serde_json::Value;

const ADDRS: [&str; 3] = ["127.0.6.1", "127.0.6.2", "127.0.6.3"];

fn tool(dir: &Path, cmd: &str, args: &[&str]) {
    let out = std::process::Command::new(cmd)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    assert!(out.status.success(), "{cmd} {args:?}: {}", show(&out));
}

/// A CA, a REST key pair for every address signed by it (PKCS12 keystore), the CA in a PKCS12
/// truststore, and a second, unrelated CA.
fn make_tls(dir: &Path) {
    let ca = |name: &str| {
        tool(
            dir,
            "openssl",
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                &format!("{name}.key"),
                "-out",
                &format!("{name}.pem"),
                "-days",
                "2",
                "-subj",
                &format!("/CN={name}"),
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign",
            ],
        )
    };
    ca("rest-ca");
    ca("other-ca");
    tool(
        dir,
        "openssl",
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "rest.key",
            "-out",
            "rest.csr",
            "-subj",
            "/CN=flink-rest",
        ],
    );
    let sans: Vec<String> = ADDRS.iter().map(|a| format!("IP:{a}")).collect();
    std::fs::write(
        dir.join("rest.ext"),
        format!("subjectAltName={}\n", sans.join(",")),
    )
    .unwrap();
    tool(
        dir,
        "openssl",
        &[
            "x509",
            "-req",
            "-in",
            "rest.csr",
            "-CA",
            "rest-ca.pem",
            "-CAkey",
            "rest-ca.key",
            "-CAcreateserial",
            "-out",
            "rest.pem",
            "-days",
            "2",
            "-extfile",
            "rest.ext",
        ],
    );
    tool(
        dir,
        "openssl",
        &[
            "pkcs12",
            "-export",
            "-in",
            "rest.pem",
            "-inkey",
            "rest.key",
            "-name",
            "rest",
            "-out",
            "rest.keystore.p12",
            "-passout",
            "pass:changeit",
        ],
    );
    tool(
        dir,
        "keytool",
        &[
            "-importcert",
            "-noprompt",
            "-alias",
            "ca",
            "-file",
            "rest-ca.pem",
            "-keystore",
            "rest.truststore.p12",
            "-storetype",
            "PKCS12",
            "-storepass",
            "changeit",
        ],
    );
}

fn set_ca(c: &TestCluster, ca: &Path) {
    let inv = std::fs::read_to_string(&c.inventory).unwrap();
    let inv = match inv.find("rest:\n") {
        Some(i) => inv[..i].to_string(),
        None => inv,
    };
    std::fs::write(
        &c.inventory,
        format!("{inv}rest:\n  ca_file: {}\n", ca.display()),
    )
    .unwrap();
}

#[test]
fn https_rest_with_the_inventory_ca_file() {
    let _lock = ClusterLock::acquire();
    let c = TestCluster::new(&ADDRS);
    let tls = c.dir.path().join("tls");
    std::fs::create_dir_all(&tls).unwrap();
    make_tls(&tls);
    let cfg = c.dir.path().join("conf/config.yaml");
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    // Flink's default cipher (TLS_RSA_WITH_AES_128_CBC_SHA) has no forward secrecy, and
    // rustls refuses it: ECDHE suites are needed.
    text.push_str(&format!(
        "security.ssl.rest.enabled: true\n\
         security.ssl.rest.keystore: {t}/rest.keystore.p12\n\
         security.ssl.rest.keystore-type: PKCS12\n\
         security.ssl.rest.keystore-password: changeit\n\
         security.ssl.rest.key-password: changeit\n\
         security.ssl.rest.truststore: {t}/rest.truststore.p12\n\
         security.ssl.rest.truststore-type: PKCS12\n\
         security.ssl.rest.truststore-password: changeit\n\
         security.ssl.algorithms: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n",
        t = tls.display()
    ));
    std::fs::write(&cfg, text).unwrap();
    set_ca(&c, &tls.join("rest-ca.pem"));

    let json_ok = |args: &[&str]| -> Value {
        let mut a = vec!["--output", "json"];
        a.extend(args);
        let out = c.run(&a);
        assert!(out.status.success(), "flinkha {args:?}: {}", show(&out));
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", show(&out)))
    };
    json_ok(&["install"]);
    json_ok(&["sync"]);
    let t = Instant::now();
    c.start_retrying_lost_ports();
    eprintln!("cluster started in {:.1} s", t.elapsed().as_secs_f64());

    let v = json_ok(&["jobs", "list"]);
    let leader = v["leader"].as_str().unwrap();
    assert!(leader.starts_with("https://127.0.6."), "{v}");
    assert_eq!(v["jobs"].as_array().unwrap().len(), 0, "{v}");

    // The wrong CA: a clear error naming the file, at once (no wait for another leader).
    let other = tls.join("other-ca.pem");
    set_ca(&c, &other);
    let t = Instant::now();
    let out = c.run(&["jobs", "list"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(err.contains("TLS handshake failed"), "{err}");
    assert!(
        err.contains(&format!("the CA file {}", other.display())),
        "{err}"
    );
    assert!(t.elapsed().as_secs() < 15, "took {:?}", t.elapsed());

    set_ca(&c, &tls.join("rest-ca.pem"));
    json_ok(&["stop", "--yes"]);
}
