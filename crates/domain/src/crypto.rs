//! Field encryption (SM4-GCM) and blind index (HMAC-SM3) with the national algorithms that
//! GB/T 39786 expects for important personal data such as ID numbers.
//!
//! One 32-byte master key per key id, kept in a key file outside the database. Two working keys
//! are derived from it with distinct labels so the encryption key and the index key are never
//! the same bytes. The key id travels with each ciphertext so keys can be rotated: old values
//! name the key that opens them.

use std::fmt;

use aes_gcm::AesGcm;
use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, Mac};
use sm3::{Digest, Sm3};
use sm4::Sm4;

/// SM4-GCM as in RFC 8998: GCM works with any 128-bit block cipher.
type Sm4Gcm = AesGcm<Sm4, U12>;
type HmacSm3 = Hmac<Sm3>;

const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const LABEL_ENC: &[u8] = b"dangwu/sm4-gcm";
const LABEL_MAC: &[u8] = b"dangwu/blind-index";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("主密钥格式不正确：应为64位十六进制字符")]
    BadMasterKey,
    #[error("密文格式不正确")]
    Malformed,
    #[error("密文使用的密钥编号为“{found}”，当前密钥编号为“{expected}”")]
    WrongKey { expected: String, found: String },
    #[error("密文校验失败：数据被篡改或密钥不正确")]
    Tampered,
    #[error("解密结果不是有效的文本")]
    NotText,
}

/// Hex SM3 digest (lower case).
pub fn sm3_hex(bytes: &[u8]) -> String {
    hex::encode(Sm3::digest(bytes))
}

/// HMAC-SM3 of `data` under `key`.
pub(crate) fn hmac_sm3(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = <HmacSm3 as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// The key id of a stored ciphertext, so a store holding several keys can pick the right one.
pub fn key_id_of(ciphertext: &str) -> Option<&str> {
    // Split at the last ':' because base64 never contains one, while a key id might.
    ciphertext.rsplit_once(':').map(|(id, _)| id)
}

/// Working keys derived from one master key.
#[derive(Clone)]
pub struct FieldKeys {
    key_id: String,
    enc: [u8; 16],
    mac: [u8; 32],
}

impl fmt::Debug for FieldKeys {
    /// Never print key bytes: this struct ends up in app state that gets debug-logged.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FieldKeys")
            .field("key_id", &self.key_id)
            .field("enc", &"<redacted>")
            .field("mac", &"<redacted>")
            .finish()
    }
}

impl FieldKeys {
    pub fn from_master(key_id: &str, master: &[u8; 32]) -> Self {
        let enc_full = hmac_sm3(master, LABEL_ENC);
        let mut enc = [0u8; 16];
        enc.copy_from_slice(&enc_full[..16]);
        FieldKeys { key_id: key_id.to_owned(), enc, mac: hmac_sm3(master, LABEL_MAC) }
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// A fresh master key from the thread RNG (a CSPRNG seeded by the OS).
    pub fn generate_master() -> [u8; 32] {
        rand::random()
    }

    /// Hex text for a key file.
    pub fn encode_master(master: &[u8; 32]) -> String {
        hex::encode(master)
    }

    /// Reads a key file's text; surrounding whitespace (a trailing newline) is ignored.
    pub fn decode_master(text: &str) -> Result<[u8; 32], CryptoError> {
        let bytes = hex::decode(text.trim()).map_err(|_| CryptoError::BadMasterKey)?;
        bytes.try_into().map_err(|_| CryptoError::BadMasterKey)
    }

    fn cipher(&self) -> Sm4Gcm {
        Sm4Gcm::new(&self.enc.into())
    }

    /// `"{key_id}:{base64(nonce || ciphertext || tag)}"`, with a random 96-bit nonce, so equal
    /// plaintexts give different ciphertexts (use [`FieldKeys::blind_index`] to look them up).
    pub fn encrypt(&self, plaintext: &str) -> String {
        // Random nonces are safe here: collisions become likely only after ~2^32 values per key.
        let nonce_bytes: [u8; NONCE_LEN] = rand::random();
        let sealed = self
            .cipher()
            .encrypt(&Nonce::<Sm4Gcm>::from(nonce_bytes), plaintext.as_bytes())
            .expect("SM4-GCM cannot fail on a field-sized plaintext");
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&sealed);
        format!("{}:{}", self.key_id, B64.encode(out))
    }

    pub fn decrypt(&self, text: &str) -> Result<String, CryptoError> {
        let (key_id, payload) = text.rsplit_once(':').ok_or(CryptoError::Malformed)?;
        if key_id != self.key_id {
            return Err(CryptoError::WrongKey { expected: self.key_id.clone(), found: key_id.to_owned() });
        }
        let raw = B64.decode(payload).map_err(|_| CryptoError::Malformed)?;
        if raw.len() < NONCE_LEN + TAG_LEN {
            return Err(CryptoError::Malformed);
        }
        let (nonce, sealed) = raw.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| CryptoError::Malformed)?;
        let plain = self.cipher().decrypt(&Nonce::<Sm4Gcm>::from(nonce), sealed).map_err(|_| CryptoError::Tampered)?;
        String::from_utf8(plain).map_err(|_| CryptoError::NotText)
    }

    /// Deterministic keyed hash (hex HMAC-SM3) for equality look-up without decrypting.
    /// Keyed, unlike plain SM3, because ID numbers are so few that an unkeyed hash is
    /// reversed by trying them all. Callers must normalise first (e.g. `IdCardNo::as_str`).
    pub fn blind_index(&self, plaintext: &str) -> String {
        hex::encode(hmac_sm3(&self.mac, plaintext.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(id: &str, fill: u8) -> FieldKeys {
        FieldKeys::from_master(id, &[fill; 32])
    }

    #[test]
    fn sm3_standard_vector() {
        // GB/T 32905 example 1.
        assert_eq!(sm3_hex(b"abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    }

    #[test]
    fn sm4_standard_vector() {
        use sm4::cipher::BlockCipherEncrypt;
        // GB/T 32907 example: key = plaintext.
        let kp: [u8; 16] = hex::decode("0123456789abcdeffedcba9876543210").unwrap().try_into().unwrap();
        let cipher = <Sm4 as KeyInit>::new(&kp.into());
        let mut block = kp.into();
        cipher.encrypt_block(&mut block);
        assert_eq!(hex::encode(block), "681edf34d206965e86b3e94f536e4246");
    }

    #[test]
    fn sm4_gcm_rfc8998_vector() {
        // RFC 8998 appendix A.1: proves AesGcm<Sm4, U12> is the standard SM4-GCM.
        let h = |s: &str| hex::decode(s).unwrap();
        let key: [u8; 16] = h("0123456789ABCDEFFEDCBA9876543210").try_into().unwrap();
        let nonce: [u8; 12] = h("00001234567800000000ABCD").try_into().unwrap();
        let aad = h("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2");
        let msg = h(&[
            "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB",
            "CCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD",
            "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFF",
            "EEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA",
        ]
        .concat());
        let payload = aes_gcm::aead::Payload { msg: &msg, aad: &aad };
        let out = Sm4Gcm::new(&key.into()).encrypt(&Nonce::<Sm4Gcm>::from(nonce), payload).unwrap();
        assert_eq!(
            hex::encode_upper(out),
            [
                "17F399F08C67D5EE19D0DC9969C4BB7D",
                "5FD46FD3756489069157B282BB200735",
                "D82710CA5C22F0CCFA7CBF93D496AC15",
                "A56834CBCF98C397B4024A2691233B8D",
                "83DE3541E4C2B58177E065A9BF7B62EC"
            ]
            .concat()
        );
    }

    #[test]
    fn round_trip_and_format() {
        let k = keys("k2024", 7);
        for text in ["", "11010519491231002X", "张三 党员 ✓"] {
            let c = k.encrypt(text);
            assert!(c.starts_with("k2024:"));
            assert_eq!(key_id_of(&c), Some("k2024"));
            assert_eq!(k.decrypt(&c).unwrap(), text);
        }
        // Key ids containing ':' still work.
        let k = keys("a:b", 7);
        assert_eq!(k.decrypt(&k.encrypt("x")).unwrap(), "x");
    }

    #[test]
    fn fresh_nonce_each_time() {
        let k = keys("k", 1);
        assert_ne!(k.encrypt("same"), k.encrypt("same"));
    }

    #[test]
    fn tampering_is_detected() {
        let k = keys("k", 1);
        let c = k.encrypt("11010519491231002X");
        let (id, payload) = c.split_once(':').unwrap();
        let raw = B64.decode(payload).unwrap();
        for i in 0..raw.len() {
            let mut bad = raw.clone();
            bad[i] ^= 0x01;
            let text = format!("{id}:{}", B64.encode(&bad));
            assert_eq!(k.decrypt(&text), Err(CryptoError::Tampered), "byte {i}");
        }
        // Same key id, different master: the tag does not verify.
        assert_eq!(keys("k", 2).decrypt(&c), Err(CryptoError::Tampered));
    }

    #[test]
    fn wrong_key_id_and_malformed() {
        let c = keys("old", 1).encrypt("x");
        let err = keys("new", 1).decrypt(&c).unwrap_err();
        assert_eq!(err, CryptoError::WrongKey { expected: "new".into(), found: "old".into() });
        assert_eq!(err.to_string(), "密文使用的密钥编号为“old”，当前密钥编号为“new”");
        let k = keys("k", 1);
        assert_eq!(k.decrypt("no colon"), Err(CryptoError::Malformed));
        assert_eq!(k.decrypt("k:!!!"), Err(CryptoError::Malformed));
        assert_eq!(k.decrypt(&format!("k:{}", B64.encode([0u8; 27]))), Err(CryptoError::Malformed));
    }

    #[test]
    fn blind_index_deterministic_and_key_dependent() {
        let a = keys("k", 1);
        let idx = a.blind_index("11010519491231002X");
        assert_eq!(idx.len(), 64);
        assert_eq!(idx, keys("other id", 1).blind_index("11010519491231002X"));
        assert_ne!(idx, keys("k", 2).blind_index("11010519491231002X"));
        assert_ne!(idx, a.blind_index("360426199101010071"));
        // Not the plain hash, and not the encryption key at work.
        assert_ne!(idx, sm3_hex(b"11010519491231002X"));
        assert_ne!(&a.mac[..16], &a.enc[..]);
    }

    #[test]
    fn master_key_file_round_trip() {
        let m = FieldKeys::generate_master();
        assert_ne!(m, FieldKeys::generate_master());
        let text = FieldKeys::encode_master(&m);
        assert_eq!(text.len(), 64);
        assert_eq!(FieldKeys::decode_master(&format!("{text}\n")).unwrap(), m);
        assert_eq!(FieldKeys::decode_master("abcd"), Err(CryptoError::BadMasterKey));
        assert_eq!(FieldKeys::decode_master(&"zz".repeat(32)), Err(CryptoError::BadMasterKey));
    }

    #[test]
    fn debug_redacts_keys() {
        let k = keys("k1", 0xab);
        let s = format!("{k:?}");
        assert!(s.contains("k1") && s.contains("<redacted>"));
        assert!(!s.to_lowercase().contains("ab, ") && !s.contains("171"));
    }
}
