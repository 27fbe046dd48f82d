//! A real headless Chromium driven through chromedriver. Each browser test gets its own
//! chromedriver process; a failing test leaves a screenshot under `target/browser-screenshots/`.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

pub struct Browser {
    pub client: Client,
    driver: Child,
    pub base: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

impl Browser {
    pub async fn start(base: &str) -> Browser {
        let command = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_string());
        let port = free_port();
        let driver = Command::new(&command)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| {
                panic!("cannot start `{command}` ({error}): install chromium and chromium-driver (scripts/test does)")
            });
        let mut capabilities = serde_json::Map::new();
        let mut chrome = serde_json::json!({
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900"
            ]
        });
        if std::path::Path::new("/usr/bin/chromium").exists() {
            chrome["binary"] = "/usr/bin/chromium".into();
        }
        capabilities.insert("goog:chromeOptions".into(), chrome);
        let mut last_error = String::new();
        for _ in 0..50 {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => {
                    return Browser {
                        client,
                        driver,
                        base: base.to_string(),
                    };
                }
                Err(error) => {
                    last_error = error.to_string();
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
        panic!("chromedriver did not start a browser: {last_error}");
    }

    pub async fn goto(&self, path: &str) -> anyhow::Result<()> {
        self.client.goto(&format!("{}{path}", self.base)).await?;
        Ok(())
    }

    pub async fn fill(&self, css: &str, text: &str) -> anyhow::Result<()> {
        let field = self.wait_for(css).await?;
        field.clear().await?;
        field.send_keys(text).await?;
        Ok(())
    }

    pub async fn click(&self, css: &str) -> anyhow::Result<()> {
        self.wait_for(css).await?.click().await?;
        Ok(())
    }

    pub async fn wait_for(&self, css: &str) -> anyhow::Result<fantoccini::elements::Element> {
        Ok(self
            .client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await?)
    }

    /// Waits until the page's text contains `needle`.
    pub async fn wait_for_text(&self, needle: &str) -> anyhow::Result<()> {
        for _ in 0..50 {
            // The page may be replaced while we read it; then we simply read again.
            if let Ok(body) = self.client.find(Locator::Css("body")).await
                && body.text().await.is_ok_and(|text| text.contains(needle))
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        anyhow::bail!("the page never showed {needle:?}")
    }

    pub async fn path(&self) -> anyhow::Result<String> {
        Ok(self.client.current_url().await?.path().to_string())
    }

    /// Saves a screenshot under `target/browser-screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-screenshots");
        if let Ok(png) = self.client.screenshot().await {
            std::fs::create_dir_all(&dir).ok();
            let file = dir.join(format!("{name}.png"));
            if std::fs::write(&file, png).is_ok() {
                eprintln!("screenshot saved to {}", file.display());
            }
        }
    }

    /// Ends a scenario: on failure saves a screenshot and fails the test; closes the browser.
    pub async fn finish(self, name: &str, outcome: anyhow::Result<()>) {
        if outcome.is_err() {
            self.screenshot(name).await;
        }
        let Browser {
            client, mut driver, ..
        } = self;
        client.close().await.ok();
        driver.kill().ok();
        driver.wait().ok();
        if let Err(error) = outcome {
            panic!("browser test {name} failed: {error:#}");
        }
    }
}
