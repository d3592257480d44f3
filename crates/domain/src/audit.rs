//! Tamper-evident audit chain (等保 8.1.4.3 c: protect audit records from modification).
//!
//! Each stored entry carries the previous entry's hash and its own
//! `hash = SM3(prev_hash || canonical_bytes(entry))`, starting from [`GENESIS_HASH`]. Changing,
//! deleting, inserting or reordering any entry breaks the chain at that entry.
//!
//! Limits, by design of an unkeyed chain: someone able to rewrite the table can recompute every
//! hash from the altered entry on, and dropping entries from the *end* leaves a valid shorter
//! chain. Both are caught only by comparing the head ([`ChainVerifier::head`]) and count with a
//! copy kept elsewhere (a printed report, a backup, a checkpoint).

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use sm3::{Digest, Sm3};

/// `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    /// [`digest_json`] of the record before the change ("" if none), so the log proves what
    /// changed without holding the personal data itself.
    pub before_digest: String,
    pub after_digest: String,
    pub detail: String,
}

impl AuditEntry {
    /// Bytes that are hashed. Fixed field order, integers as 8-byte big-endian, strings as a
    /// u64 big-endian byte length then the UTF-8 bytes. Length prefixes make the encoding
    /// unambiguous (actor "ab" + action "c" ≠ "a" + "bc"); not using serde keeps it immune to
    /// field renames and map ordering. Changing this invalidates every stored chain.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let strings = [
            &self.actor,
            &self.action,
            &self.entity,
            &self.entity_id,
            &self.before_digest,
            &self.after_digest,
            &self.detail,
        ];
        let mut out = Vec::with_capacity(16 + strings.iter().map(|s| 8 + s.len()).sum::<usize>());
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&self.at_ms.to_be_bytes());
        for s in strings {
            out.extend_from_slice(&(s.len() as u64).to_be_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        out
    }

    /// Hex SM3 of `prev_hash`'s text bytes followed by [`AuditEntry::canonical_bytes`].
    pub fn chain_hash(&self, prev_hash: &str) -> String {
        let digest = Sm3::new().chain_update(prev_hash.as_bytes()).chain_update(self.canonical_bytes()).finalize();
        hex::encode(digest)
    }
}

/// Hex SM3 of a canonical JSON text (object keys sorted at every level, no whitespace), so the
/// same record gives the same digest whatever order its fields were built in. "" for `Null`
/// (no record: before a create, after a delete).
pub fn digest_json(value: &serde_json::Value) -> String {
    if value.is_null() {
        return String::new();
    }
    let mut text = String::new();
    write_canonical(value, &mut text);
    crate::crypto::sm3_hex(text.as_bytes())
}

/// Sorts keys ourselves rather than relying on serde_json's map being a BTreeMap: another crate
/// in the build enabling serde_json's `preserve_order` feature would silently change digests.
fn write_canonical(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(&Value::String(key.clone()), out);
                out.push(':');
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
        // Scalars: serde_json's own compact text (escapes, number formatting) is canonical enough.
        scalar => {
            let _ = write!(out, "{scalar}");
        }
    }
}

/// An entry as stored, with its link to the previous one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEntry {
    pub entry: AuditEntry,
    pub prev_hash: String,
    pub hash: String,
}

impl StoredEntry {
    /// Links `entry` after the entry whose hash is `prev_hash` ([`GENESIS_HASH`] for the first).
    pub fn seal(entry: AuditEntry, prev_hash: &str) -> Self {
        let hash = entry.chain_hash(prev_hash);
        StoredEntry { entry, prev_hash: prev_hash.to_owned(), hash }
    }
}

/// Where and how the chain is broken; `seq` is the first entry that does not check out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("审计日志第 {seq} 条的前序哈希与上一条不符：其前的记录可能被删除、插入或调换")]
    WrongPrev { seq: i64 },
    #[error("审计日志第 {seq} 条的哈希不符：该条内容可能被篡改")]
    WrongHash { seq: i64 },
    #[error("审计日志第 {expected_seq} 条缺失或顺序错乱（该位置实际为第 {found_seq} 条）")]
    Gap { expected_seq: i64, found_seq: i64 },
    /// The chain head records more (or other) entries than the log holds: entries at the end
    /// were deleted, or the head was edited.
    #[error("审计日志链头记录到第 {head_seq} 条，但日志只连续到第 {last_seq} 条：其后的记录可能被删除")]
    Truncated { head_seq: i64, last_seq: i64 },
    /// The log starts after a purge anchor that no purge entry in the chain vouches for.
    #[error("审计日志从第 {seq} 条之后开始，但链中没有对应的清除记录：清除锚点可能被伪造")]
    Unanchored { seq: i64 },
}

impl ChainBreak {
    /// The sequence number where the chain first breaks.
    pub fn seq(&self) -> i64 {
        match *self {
            ChainBreak::WrongPrev { seq } | ChainBreak::WrongHash { seq } => seq,
            ChainBreak::Gap { expected_seq, .. } => expected_seq,
            ChainBreak::Truncated { last_seq, .. } => last_seq + 1,
            ChainBreak::Unanchored { seq } => seq + 1,
        }
    }
}

/// Verifies entries one at a time, in `seq` order, so a store can check page by page without
/// holding the whole log in memory.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    next_seq: i64,
    head: String,
    count: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self::new()
    }
}

impl ChainVerifier {
    /// Starts at the beginning: the first entry must be seq 1 linked to [`GENESIS_HASH`].
    pub fn new() -> Self {
        ChainVerifier { next_seq: 1, head: GENESIS_HASH.to_owned(), count: 0 }
    }

    /// Continues after an entry already trusted (a checkpoint), verifying only what follows.
    pub fn resume_after(seq: i64, hash: &str) -> Self {
        ChainVerifier { next_seq: seq + 1, head: hash.to_owned(), count: 0 }
    }

    /// Checks the next entry. On error the verifier is unchanged; stop there, since every
    /// entry after a break would fail too.
    pub fn push(&mut self, e: &StoredEntry) -> Result<(), ChainBreak> {
        // Sequence first: for a deleted or moved entry it gives the clearest message.
        if e.entry.seq != self.next_seq {
            return Err(ChainBreak::Gap { expected_seq: self.next_seq, found_seq: e.entry.seq });
        }
        if e.prev_hash != self.head {
            return Err(ChainBreak::WrongPrev { seq: e.entry.seq });
        }
        if e.entry.chain_hash(&e.prev_hash) != e.hash {
            return Err(ChainBreak::WrongHash { seq: e.entry.seq });
        }
        self.head.clone_from(&e.hash);
        self.next_seq += 1;
        self.count += 1;
        Ok(())
    }

    /// Entries verified so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Hash of the last verified entry (or the starting hash): compare it with a copy kept
    /// elsewhere to detect a rewritten or truncated tail.
    pub fn head(&self) -> &str {
        &self.head
    }
}

/// Verifies a whole chain from seq 1; returns the number of entries.
pub fn verify_chain<I: IntoIterator<Item = StoredEntry>>(entries: I) -> Result<u64, ChainBreak> {
    let mut verifier = ChainVerifier::new();
    for e in entries {
        verifier.push(&e)?;
    }
    Ok(verifier.count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn entry(seq: i64, detail: &str) -> AuditEntry {
        AuditEntry {
            seq,
            at_ms: 1_700_000_000_000 + seq,
            actor: "admin".into(),
            action: "member.update".into(),
            entity: "member".into(),
            entity_id: "0190f0c2-0000-7000-8000-000000000001".into(),
            before_digest: String::new(),
            after_digest: digest_json(&json!({"name": "张三"})),
            detail: detail.into(),
        }
    }

    fn chain(entries: Vec<AuditEntry>) -> Vec<StoredEntry> {
        let mut prev = GENESIS_HASH.to_owned();
        entries
            .into_iter()
            .enumerate()
            .map(|(i, mut e)| {
                e.seq = i as i64 + 1;
                let s = StoredEntry::seal(e, &prev);
                prev.clone_from(&s.hash);
                s
            })
            .collect()
    }

    #[test]
    fn genesis_is_64_zeros() {
        assert_eq!(GENESIS_HASH.len(), 64);
        assert!(GENESIS_HASH.bytes().all(|b| b == b'0'));
    }

    #[test]
    fn canonical_bytes_layout() {
        let e = AuditEntry {
            seq: 1,
            at_ms: -2,
            actor: "ab".into(),
            action: String::new(),
            entity: "张".into(),
            entity_id: String::new(),
            before_digest: String::new(),
            after_digest: String::new(),
            detail: String::new(),
        };
        let b = e.canonical_bytes();
        assert_eq!(&b[..8], &1i64.to_be_bytes());
        assert_eq!(&b[8..16], &(-2i64).to_be_bytes());
        assert_eq!(&b[16..24], &2u64.to_be_bytes());
        assert_eq!(&b[24..26], b"ab");
        assert_eq!(&b[26..34], &0u64.to_be_bytes());
        assert_eq!(&b[34..42], &3u64.to_be_bytes());
        assert_eq!(&b[42..45], "张".as_bytes());
        assert_eq!(b.len(), 16 + 7 * 8 + 2 + 3);
    }

    #[test]
    fn length_prefix_prevents_field_shifting() {
        let mut a = entry(1, "");
        a.actor = "ab".into();
        a.action = "c".into();
        let mut b = a.clone();
        b.actor = "a".into();
        b.action = "bc".into();
        assert_ne!(a.canonical_bytes(), b.canonical_bytes());
        assert_ne!(a.chain_hash(GENESIS_HASH), b.chain_hash(GENESIS_HASH));
    }

    #[test]
    fn chain_hash_is_sm3_of_prev_and_canonical_bytes() {
        let e = entry(1, "x");
        let mut input = GENESIS_HASH.as_bytes().to_vec();
        input.extend(e.canonical_bytes());
        assert_eq!(e.chain_hash(GENESIS_HASH), crate::crypto::sm3_hex(&input));
        assert_ne!(e.chain_hash(GENESIS_HASH), e.chain_hash(&"1".repeat(64)));
    }

    #[test]
    fn digest_json_is_order_independent_and_null_is_empty() {
        assert_eq!(digest_json(&serde_json::Value::Null), "");
        let a = json!({"b": 1, "a": {"y": [1, {"q": null, "p": "张"}], "x": true}});
        let b = json!({"a": {"x": true, "y": [1, {"p": "张", "q": null}]}, "b": 1});
        assert_eq!(digest_json(&a), digest_json(&b));
        assert_eq!(digest_json(&a).len(), 64);
        assert_ne!(digest_json(&a), digest_json(&json!({"b": 2, "a": {}})));
        let mut text = String::new();
        write_canonical(&b, &mut text);
        assert_eq!(text, r#"{"a":{"x":true,"y":[1,{"p":"张","q":null}]},"b":1}"#);
        assert_eq!(digest_json(&json!("x")), crate::crypto::sm3_hex(br#""x""#));
    }

    #[test]
    fn verifies_good_chain_and_names_breaks_in_chinese() {
        let stored = chain((0..5).map(|i| entry(0, &format!("d{i}"))).collect());
        assert_eq!(verify_chain(stored.clone()), Ok(5));
        assert_eq!(verify_chain(Vec::new()), Ok(0));

        let mut bad = stored.clone();
        bad[2].entry.detail.push('!');
        let err = verify_chain(bad).unwrap_err();
        assert_eq!(err, ChainBreak::WrongHash { seq: 3 });
        assert_eq!(err.to_string(), "审计日志第 3 条的哈希不符：该条内容可能被篡改");

        let mut bad = stored.clone();
        bad.remove(1);
        let err = verify_chain(bad).unwrap_err();
        assert_eq!(err, ChainBreak::Gap { expected_seq: 2, found_seq: 3 });
        assert!(err.to_string().starts_with("审计日志第 2 条"));

        // First entry not linked to genesis.
        let first = StoredEntry::seal(entry(1, ""), &"f".repeat(64));
        assert_eq!(verify_chain([first]), Err(ChainBreak::WrongPrev { seq: 1 }));
        // Chain starting at 2.
        let second = StoredEntry::seal(entry(2, ""), GENESIS_HASH);
        assert_eq!(verify_chain([second]), Err(ChainBreak::Gap { expected_seq: 1, found_seq: 2 }));
    }

    #[test]
    fn page_by_page_and_resume() {
        let stored = chain((0..6).map(|i| entry(0, &i.to_string())).collect());
        let mut v = ChainVerifier::new();
        for page in stored.chunks(4) {
            for e in page {
                v.push(e).unwrap();
            }
        }
        assert_eq!(v.count(), 6);
        assert_eq!(v.head(), stored[5].hash);
        let mut r = ChainVerifier::resume_after(3, &stored[2].hash);
        for e in &stored[3..] {
            r.push(e).unwrap();
        }
        assert_eq!((r.count(), r.head()), (3, stored[5].hash.as_str()));
        // A failed push leaves the verifier where it was.
        let mut v = ChainVerifier::new();
        assert!(v.push(&stored[1]).is_err());
        assert_eq!((v.count(), v.head()), (0, GENESIS_HASH));
    }

    fn arb_entry() -> impl Strategy<Value = AuditEntry> {
        let s = || "\\PC{0,12}";
        (any::<i64>(), s(), s(), s(), s(), s(), s(), s()).prop_map(
            |(at_ms, actor, action, entity, entity_id, before_digest, after_digest, detail)| AuditEntry {
                seq: 0,
                at_ms,
                actor,
                action,
                entity,
                entity_id,
                before_digest,
                after_digest,
                detail,
            },
        )
    }

    /// Changes field `field` (0..=10: the 9 entry fields, then prev_hash, hash) of `e`.
    fn tamper(e: &mut StoredEntry, field: usize) {
        let x = &mut e.entry;
        match field {
            0 => x.seq += 1000,
            1 => x.at_ms = x.at_ms.wrapping_add(1),
            2 => x.actor.push('x'),
            3 => x.action.push('x'),
            4 => x.entity.push('x'),
            5 => x.entity_id.push('x'),
            6 => x.before_digest.push('x'),
            7 => x.after_digest.push('x'),
            8 => x.detail.push('x'),
            9 => e.prev_hash.replace_range(0..1, if e.prev_hash.starts_with('a') { "b" } else { "a" }),
            _ => e.hash.replace_range(0..1, if e.hash.starts_with('a') { "b" } else { "a" }),
        }
    }

    proptest! {
        #[test]
        fn correct_chains_verify(entries in prop::collection::vec(arb_entry(), 0..20)) {
            let n = entries.len() as u64;
            prop_assert_eq!(verify_chain(chain(entries)), Ok(n));
        }

        #[test]
        fn any_modified_field_is_found_at_its_entry(
            entries in prop::collection::vec(arb_entry(), 1..15),
            pick in any::<prop::sample::Index>(),
            field in 0usize..=10,
        ) {
            let mut stored = chain(entries);
            let i = pick.index(stored.len());
            tamper(&mut stored[i], field);
            let err = verify_chain(stored).unwrap_err();
            prop_assert_eq!(err.seq(), i as i64 + 1, "{:?}", err);
        }

        #[test]
        fn deletion_is_found_unless_it_is_the_tail(
            entries in prop::collection::vec(arb_entry(), 1..15),
            pick in any::<prop::sample::Index>(),
        ) {
            let mut stored = chain(entries);
            let n = stored.len();
            let i = pick.index(n);
            stored.remove(i);
            if i == n - 1 {
                // Truncating the tail leaves a valid chain: see the module comment (anchor the head).
                prop_assert_eq!(verify_chain(stored), Ok(n as u64 - 1));
            } else {
                prop_assert_eq!(
                    verify_chain(stored),
                    Err(ChainBreak::Gap { expected_seq: i as i64 + 1, found_seq: i as i64 + 2 })
                );
            }
        }

        #[test]
        fn swapping_two_entries_is_found_at_the_first(
            entries in prop::collection::vec(arb_entry(), 2..15),
            a in any::<prop::sample::Index>(),
            b in any::<prop::sample::Index>(),
        ) {
            let mut stored = chain(entries);
            let (i, j) = (a.index(stored.len()), b.index(stored.len()));
            prop_assume!(i != j);
            let (i, j) = (i.min(j), i.max(j));
            stored.swap(i, j);
            prop_assert_eq!(
                verify_chain(stored),
                Err(ChainBreak::Gap { expected_seq: i as i64 + 1, found_seq: j as i64 + 1 })
            );
        }

        #[test]
        fn any_reordering_is_found_at_the_first_moved_entry(
            stored in prop::collection::vec(arb_entry(), 2..12).prop_map(chain).prop_shuffle(),
        ) {
            let first_moved = stored.iter().enumerate().position(|(k, e)| e.entry.seq != k as i64 + 1);
            match first_moved {
                None => prop_assert_eq!(verify_chain(stored.clone()), Ok(stored.len() as u64)),
                Some(k) => prop_assert_eq!(verify_chain(stored).unwrap_err().seq(), k as i64 + 1),
            }
        }

        #[test]
        fn rehashed_forgery_is_caught_at_the_next_entry(
            entries in prop::collection::vec(arb_entry(), 2..10),
            pick in any::<prop::sample::Index>(),
        ) {
            // A forger who edits entry i and recomputes its hash (but not the rest) breaks i+1.
            let mut stored = chain(entries);
            let i = pick.index(stored.len() - 1);
            stored[i].entry.detail.push_str("forged");
            stored[i] = StoredEntry::seal(stored[i].entry.clone(), &stored[i].prev_hash);
            prop_assert_eq!(verify_chain(stored), Err(ChainBreak::WrongPrev { seq: i as i64 + 2 }));
        }
    }
}
