//! Counts the SQL statements the application runs, from the event sqlx emits after each one
//! (target `sqlx::query`). Installed for the current thread only: a `#[tokio::test]` runs the
//! test, the served app and its database calls on that one thread, so parallel tests do not mix.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tracing::subscriber::DefaultGuard;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};

#[derive(Clone, Default)]
pub struct StatementCounter {
    count: Arc<AtomicUsize>,
}

struct Counting(Arc<AtomicUsize>);

impl<S: tracing::Subscriber> Layer<S> for Counting {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
}

impl StatementCounter {
    /// Starts counting on this thread until the guard is dropped.
    pub fn install(&self) -> DefaultGuard {
        let subscriber = tracing_subscriber::registry().with(Counting(self.count.clone()));
        tracing::subscriber::set_default(subscriber)
    }

    pub fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
}
