//! A TCP proxy in front of the shared PostgreSQL that a test can take "down" and bring back,
//! to simulate an outage without stopping the server other tests use.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

pub struct DatabaseProxy {
    pub port: u16,
    up: Arc<AtomicBool>,
    pipes: Arc<Mutex<Vec<AbortHandle>>>,
    accepting: AbortHandle,
}

impl DatabaseProxy {
    /// Starts forwarding a free local port to `target` (host:port), up.
    pub async fn start(target: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let port = listener.local_addr().expect("address").port();
        let up = Arc::new(AtomicBool::new(true));
        let pipes: Arc<Mutex<Vec<AbortHandle>>> = Arc::default();
        let (task_up, task_pipes) = (up.clone(), pipes.clone());
        let accepting = tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    continue;
                };
                // Down: the connection is closed at once, as by a server that is restarting.
                if !task_up.load(Ordering::Acquire) {
                    drop(client);
                    continue;
                }
                let target = target.clone();
                let pipe = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(&target).await {
                        tokio::io::copy_bidirectional(&mut client, &mut server)
                            .await
                            .ok();
                    }
                });
                task_pipes.lock().expect("pipes").push(pipe.abort_handle());
            }
        })
        .abort_handle();
        Self {
            port,
            up,
            pipes,
            accepting,
        }
    }

    /// Cuts every open connection and refuses new ones until [`Self::up`].
    pub fn down(&self) {
        self.up.store(false, Ordering::Release);
        for pipe in self.pipes.lock().expect("pipes").drain(..) {
            pipe.abort();
        }
    }

    pub fn up(&self) {
        self.up.store(true, Ordering::Release);
    }
}

impl Drop for DatabaseProxy {
    fn drop(&mut self) {
        self.accepting.abort();
        self.down();
    }
}
