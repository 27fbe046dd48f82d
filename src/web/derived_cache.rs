//! A figure derived from many rows (the home page's supplier-gap counts), kept per instance and
//! recomputed when a cheap fingerprint of its inputs moves — or after a short time at most, so a
//! change that the fingerprint cannot see (two transactions committing out of order) shows soon.

use std::collections::HashMap;
use std::hash::Hash;
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

/// Like [`DerivedCache`], one value per key (a figure per user): each kept with the fingerprint
/// it was computed for, for at most `max_age`. Past `capacity` keys the oldest half is dropped,
/// so a large directory of users cannot grow it without bound.
pub struct KeyedCache<K, T> {
    max_age: Duration,
    capacity: usize,
    slots: Mutex<HashMap<K, (String, Instant, T)>>,
}

impl<K: Eq + Hash + Clone, T: Clone> KeyedCache<K, T> {
    pub fn new(max_age: Duration, capacity: usize) -> Self {
        Self {
            max_age,
            capacity: capacity.max(2),
            slots: Mutex::new(HashMap::new()),
        }
    }

    pub fn get(&self, key: &K, fingerprint: &str) -> Option<T> {
        let slots = self.slots.lock().ok()?;
        let (kept, at, value) = slots.get(key)?;
        (kept == fingerprint && at.elapsed() < self.max_age).then(|| value.clone())
    }

    pub fn put(&self, key: K, fingerprint: String, value: T) {
        let Ok(mut slots) = self.slots.lock() else {
            return;
        };
        if slots.len() >= self.capacity && !slots.contains_key(&key) {
            let mut ages: Vec<Instant> = slots.values().map(|(_, at, _)| *at).collect();
            ages.sort_unstable();
            let cut = ages[ages.len() / 2];
            slots.retain(|_, (_, at, _)| *at > cut);
        }
        slots.insert(key, (fingerprint, Instant::now(), value));
    }

    /// The value kept for this key and fingerprint, or one computed now (and kept).
    pub async fn get_or_compute<E, F>(
        &self,
        key: K,
        fingerprint: String,
        compute: F,
    ) -> Result<T, E>
    where
        F: Future<Output = Result<T, E>>,
    {
        if let Some(value) = self.get(&key, &fingerprint) {
            return Ok(value);
        }
        let value = compute.await?;
        self.put(key, fingerprint, value.clone());
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_keeps_its_own_value_and_the_cache_stays_bounded() {
        let cache = KeyedCache::new(Duration::from_secs(60), 4);
        for key in 0..10 {
            cache.put(key, "f".into(), key * 10);
        }
        assert_eq!(cache.get(&9, "f"), Some(90));
        assert_eq!(
            cache.get(&9, "g"),
            None,
            "another fingerprint is recomputed"
        );
        assert!(cache.slots.lock().unwrap().len() <= 4);
    }

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
