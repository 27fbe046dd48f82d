//! A figure derived from many rows (the home page's supplier-gap counts), kept per instance and
//! recomputed when a cheap fingerprint of its inputs moves — or after a short time at most, so a
//! change that the fingerprint cannot see (two transactions committing out of order) shows soon.

use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct DerivedCache<T> {
    max_age: Duration,
    slot: Mutex<Option<(String, Instant, T)>>,
}

impl<T: Clone> DerivedCache<T> {
    pub fn new(max_age: Duration) -> Self {
        Self {
            max_age,
            slot: Mutex::new(None),
        }
    }

    /// The value computed for this fingerprint, unless it is older than the cache's age.
    pub fn get(&self, fingerprint: &str) -> Option<T> {
        let slot = self.slot.lock().ok()?;
        let (kept, at, value) = slot.as_ref()?;
        (kept == fingerprint && at.elapsed() < self.max_age).then(|| value.clone())
    }

    /// The value kept for this fingerprint, or one computed now (and kept) when there is none.
    pub async fn get_or_compute<E, F>(&self, fingerprint: String, compute: F) -> Result<T, E>
    where
        F: Future<Output = Result<T, E>>,
    {
        if let Some(value) = self.get(&fingerprint) {
            return Ok(value);
        }
        let value = compute.await?;
        self.put(fingerprint, value.clone());
        Ok(value)
    }

    pub fn put(&self, fingerprint: String, value: T) {
        if let Ok(mut slot) = self.slot.lock() {
            *slot = Some((fingerprint, Instant::now(), value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_kept_for_its_fingerprint_only() {
        let cache = DerivedCache::new(Duration::from_secs(60));
        assert_eq!(cache.get("a"), None::<u8>);
        cache.put("a".into(), 1);
        assert_eq!(cache.get("a"), Some(1));
        assert_eq!(cache.get("b"), None);
    }

    #[test]
    fn a_value_older_than_the_age_is_recomputed() {
        let cache = DerivedCache::new(Duration::ZERO);
        cache.put("a".into(), 1);
        assert_eq!(cache.get("a"), None);
    }
}
