//! The in-memory lookups of an import (customer ids, emails, event names):
//! a hash map whose short keys live inline in the table, hashed with FNV-1a.
//!
//! A time-ordered export looks customers up in random order; with `String`
//! keys each lookup chased a pointer to a cold heap string (a third of the
//! import's time on 5M rows). Keys of up to 31 bytes — nearly every id — are
//! stored in the table itself; longer ones fall back to the heap.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// FNV-1a, 64 bits: fast on short keys; the keys come from the user's own
/// files, not from an adversary choosing collisions.
#[derive(Default)]
pub(super) struct Fnv(u64);

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[derive(Clone, PartialEq, Eq)]
pub(super) enum Key {
    Inline { len: u8, bytes: [u8; 31] },
    Heap(Box<str>),
}

impl Key {
    pub(super) fn as_str(&self) -> &str {
        match self {
            // Built from a `&str` (see `From`): always valid UTF-8.
            Key::Inline { len, bytes } => std::str::from_utf8(&bytes[..*len as usize]).unwrap_or(""),
            Key::Heap(s) => s,
        }
    }
}

impl From<&str> for Key {
    fn from(s: &str) -> Key {
        if s.len() <= 31 {
            let mut bytes = [0u8; 31];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Key::Inline { len: s.len() as u8, bytes }
        } else {
            Key::Heap(s.into())
        }
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl Borrow<str> for Key {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

pub(super) type KeyMap<V> = HashMap<Key, V, BuildHasherDefault<Fnv>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_keys_are_found_by_str() {
        let mut m: KeyMap<i64> = KeyMap::default();
        let long = "x".repeat(40);
        m.insert(Key::from("c0000042"), 42);
        m.insert(Key::from(long.as_str()), 7);
        m.insert(Key::from(""), 0);
        m.insert(Key::from("ünïcødé"), 9);
        assert_eq!(m.get("c0000042"), Some(&42));
        assert_eq!(m.get(long.as_str()), Some(&7));
        assert_eq!(m.get(""), Some(&0));
        assert_eq!(m.get("ünïcødé"), Some(&9));
        assert_eq!(m.get("c0000043"), None);
    }
}
