//! The real Caddy (Debian's `caddy` package), started on loopback as the fleet's front, with
//! one HTTP server (`relays`) holding the routes a test gives it. Its admin API listens on a
//! loopback port too, so the platform can keep its relay route there and tests can read the
//! config.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub struct Caddy {
    child: Child,
    /// Where relay traffic enters (plain HTTP and WebSocket).
    pub addr: SocketAddr,
    /// Caddy's admin API.
    pub admin: SocketAddr,
    _dir: tempfile::TempDir,
}

fn free_port() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().expect("local addr")
}

impl Caddy {
    /// Starts `caddy run` with `routes` in server `relays` and waits for its listener.
    /// Panics if Caddy is not installed: the tests that use it are about the real proxy.
    pub async fn start(routes: Vec<Value>) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let (addr, admin) = (free_port(), free_port());
        let config = json!({
            "admin": { "listen": admin.to_string() },
            "logging": { "logs": { "default": { "level": "WARN" } } },
            "apps": { "http": { "servers": { "relays": {
                "listen": [addr.to_string()],
                "automatic_https": { "disable": true },
                "routes": routes,
            }}}}
        });
        let path: PathBuf = dir.path().join("caddy.json");
        std::fs::write(&path, config.to_string()).expect("write caddy config");
        let child = Command::new("caddy")
            .args(["run", "--config"])
            .arg(&path)
            .env("HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start caddy (apt-get install caddy)");
        let caddy = Self {
            child,
            addr,
            admin,
            _dir: dir,
        };
        let started = Instant::now();
        while tokio::net::TcpStream::connect(addr).await.is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "caddy did not start listening"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        caddy
    }

    /// Caddy's running config, read through its admin API.
    pub fn admin_url(&self) -> String {
        format!("http://{}", self.admin)
    }

    pub async fn config(&self) -> Value {
        reqwest::get(format!("http://{}/config/", self.admin))
            .await
            .expect("caddy admin API")
            .json()
            .await
            .expect("caddy config JSON")
    }
}

impl Drop for Caddy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
