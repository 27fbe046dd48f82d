//! Counts the SQL statements the application runs, from the event sqlx emits after each one
//! (target `sqlx::query`). A `#[tokio::test]` runs the test, the served app and its database
//! calls on one thread, so the count is kept per thread and parallel tests do not mix.
//!
//! The counting subscriber is global (installed once) rather than a per-thread default: tracing
//! caches whether anyone listens to an event, and a per-thread subscriber can miss that update
//! while other tests run.

use std::cell::Cell;
use std::sync::Once;

use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};

thread_local! {
    static STATEMENTS: Cell<Option<usize>> = const { Cell::new(None) };
}

struct Counting;

impl<S: tracing::Subscriber> Layer<S> for Counting {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            STATEMENTS.with(|count| count.set(count.get().map(|n| n + 1)));
        }
    }
}

/// Counts this thread's statements from [`StatementCounter::start`] until it is dropped.
pub struct StatementCounter(());

impl StatementCounter {
    pub fn start() -> Self {
        static INSTALL: Once = Once::new();
        INSTALL.call_once(|| {
            tracing::subscriber::set_global_default(tracing_subscriber::registry().with(Counting))
                .expect("no other global subscriber in the test binary");
        });
        STATEMENTS.with(|count| count.set(Some(0)));
        Self(())
    }

    pub fn count(&self) -> usize {
        STATEMENTS.with(|count| count.get().unwrap_or(0))
    }
}

impl Drop for StatementCounter {
    fn drop(&mut self) {
        STATEMENTS.with(|count| count.set(None));
    }
}
