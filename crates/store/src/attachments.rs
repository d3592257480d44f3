//! Attachments (photos, scanned sign-in sheets): content stored once by its SM3 digest,
//! type-checked from its bytes (not its name) and size-limited.

use dangwu_domain::DomainError;
use dangwu_domain::auth::Principal;
use dangwu_domain::crypto::sm3_hex;

use crate::activities;
use crate::audit::{self, Actor};
use crate::db::now_ms;
use crate::orgs::check_write;
use crate::{Store, StoreError, args};

/// Evidence an attachment can be (the kind catalogue's `evidence` groups name these).
pub const EVIDENCE: &[(&str, &str)] = &[("photo", "现场照片"), ("sign_in_sheet", "签到表"), ("scan", "会议记录扫描件"), ("other", "其他材料")];

/// The content type judged from the first bytes; only images and PDF are accepted.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// The name to keep for an uploaded file. A name carrying a path or control characters is
/// refused rather than cleaned: browsers send a bare name, so anything else is a crafted request.
pub fn safe_name(filename: &str) -> Result<String, DomainError> {
    let name = filename.trim();
    if name.contains(['/', '\\']) || name.chars().any(char::is_control) || name == ".." || name.starts_with("..") {
        return Err(DomainError::field("file", "文件名不能包含路径或控制字符，请只上传文件本身"));
    }
    let name: String = name.chars().take(120).collect();
    Ok(if name.is_empty() { "附件".to_owned() } else { name })
}

#[allow(clippy::too_many_arguments)]
pub async fn add(
    store: &Store,
    p: &Principal,
    actor: &Actor,
    activity_id: &str,
    filename: &str,
    evidence: &str,
    bytes: Vec<u8>,
    max_bytes: usize,
) -> Result<String, StoreError> {
    let detail = activities::get(store, p, activity_id).await?;
    check_write(p, &detail.org)?;
    if !EVIDENCE.iter().any(|(k, _)| *k == evidence) {
        return Err(DomainError::field("evidence", format!("材料类别“{evidence}”无效")).into());
    }
    if bytes.is_empty() {
        return Err(DomainError::field("file", "请选择要上传的文件").into());
    }
    if bytes.len() > max_bytes {
        return Err(DomainError::field("file", format!("文件过大：{} KB，上限 {} KB", bytes.len() / 1024, max_bytes / 1024)).into());
    }
    let Some(ct) = sniff(&bytes) else {
        return Err(DomainError::field("file", "只接受 JPG、PNG、WebP 图片或 PDF 文件").into());
    };
    let name = safe_name(filename)?;
    let digest = sm3_hex(&bytes);
    let size = bytes.len() as i64;
    let now = now_ms();
    let mut tx = store.db.begin().await?;
    let have: i64 = tx.scalar("SELECT COUNT(*) FROM blobs WHERE digest = $1", args![digest.clone()]).await?;
    if have == 0 {
        tx.exec("INSERT INTO blobs (digest, content, size, created_at) VALUES ($1, $2, $3, $4)", args![digest.clone(), bytes, size, now]).await?;
    }
    let id = dangwu_domain::ids::new_row_id();
    tx.exec(
        "INSERT INTO attachments (id, activity_id, digest, filename, content_type, size, evidence, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        args![id.clone(), activity_id, digest.clone(), name.clone(), ct, size, evidence, actor.0.clone(), now],
    )
    .await?;
    audit::append(&mut tx, actor, "activity.attachment.add", "activity", activity_id, String::new(), digest, &name).await?;
    tx.commit().await?;
    Ok(id)
}

/// (filename, content type, bytes) of an attachment the principal may see.
pub async fn content(store: &Store, p: &Principal, attachment_id: &str) -> Result<(String, String, Vec<u8>), StoreError> {
    let row: Option<(String, String, String, String)> = store
        .db
        .read()
        .opt("SELECT activity_id, digest, filename, content_type FROM attachments WHERE id = $1", args![attachment_id])
        .await?;
    let (activity_id, digest, filename, ct) = row.ok_or(StoreError::NotFound("附件"))?;
    activities::get(store, p, &activity_id).await?;
    let (bytes,): (Vec<u8>,) =
        store.db.read().opt("SELECT content FROM blobs WHERE digest = $1", args![digest]).await?.ok_or(StoreError::NotFound("附件内容"))?;
    Ok((filename, ct, bytes))
}

#[cfg(test)]
mod tests {
    #[test]
    fn sniffs_by_content_not_name() {
        assert_eq!(super::sniff(b"\xFF\xD8\xFF\xE0rest"), Some("image/jpeg"));
        assert_eq!(super::sniff(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(super::sniff(b"MZ\x90\x00"), None);
        assert_eq!(super::sniff(b"<html>"), None);
    }

    #[test]
    fn names_with_paths_are_refused() {
        assert!(super::safe_name("../../etc/passwd").is_err());
        assert!(super::safe_name("C:\\fakepath\\a.jpg").is_err());
        assert!(super::safe_name("a\nb.jpg").is_err());
        assert_eq!(super::safe_name(" 会议照片.jpg ").unwrap(), "会议照片.jpg");
        assert_eq!(super::safe_name("").unwrap(), "附件");
    }
}
