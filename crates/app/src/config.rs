//! Deployment configuration: the data directory, `dangwu.toml`, the organisation catalogue
//! override, the field-encryption key file, and opening the store from all of them.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use dangwu_domain::crypto::FieldKeys;
use dangwu_domain::org_catalogue::OrgCatalogue;
use dangwu_store::{Db, Store};
use dangwu_web::WebConfig;
use serde::Deserialize;

use crate::cli::GlobalOpts;

/// Key id written with every ciphertext made with the key file's master key.
pub const KEY_ID: &str = "k1";
pub const CONFIG_FILE: &str = "dangwu.toml";

/// `DIR/dangwu.toml`. Every table is optional.
#[derive(Debug, Default, Deserialize)]
pub struct FileConfig {
    #[serde(default)]
    pub web: WebConfig,
}

/// Reads `DIR/dangwu.toml` if it exists; defaults otherwise.
pub fn load_file_config(data: &Path) -> anyhow::Result<FileConfig> {
    let path = data.join(CONFIG_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text).with_context(|| format!("配置文件 {} 格式错误", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FileConfig::default()),
        Err(e) => Err(e).with_context(|| format!("无法读取配置文件 {}", path.display())),
    }
}

/// The deployment's `DIR/rulebook/org-kinds.toml` if present, else the shipped catalogue.
pub fn load_catalogue(data: &Path) -> anyhow::Result<OrgCatalogue> {
    let path = data.join("rulebook").join("org-kinds.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => OrgCatalogue::from_toml(&text).with_context(|| format!("组织类别目录 {} 有误", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(OrgCatalogue::shipped()),
        Err(e) => Err(e).with_context(|| format!("无法读取组织类别目录 {}", path.display())),
    }
}

/// Loads the master key from `path`, creating a new one (mode 0600) if the file is missing.
pub fn load_or_create_key(path: &Path) -> anyhow::Result<FieldKeys> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let master = FieldKeys::decode_master(&text).with_context(|| format!("密钥文件 {} 无效", path.display()))?;
            Ok(FieldKeys::from_master(KEY_ID, &master))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let master = FieldKeys::generate_master();
            write_new_key(path, &FieldKeys::encode_master(&master))?;
            eprintln!("已生成主密钥文件：{}", path.display());
            eprintln!("身份证号等个人信息用此密钥加密：请与数据一同备份，丢失后这些数据无法解密。");
            Ok(FieldKeys::from_master(KEY_ID, &master))
        }
        Err(e) => Err(e).with_context(|| format!("无法读取密钥文件 {}", path.display())),
    }
}

fn write_new_key(path: &Path, hex: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).with_context(|| format!("无法创建密钥文件 {}", path.display()))?;
    writeln!(f, "{hex}").and_then(|_| f.sync_all()).with_context(|| format!("无法写入密钥文件 {}", path.display()))?;
    Ok(())
}

/// Which database the options select.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Sqlite(PathBuf),
    Postgres(String),
}

pub fn target(opts: &GlobalOpts) -> Target {
    match opts.database_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => Target::Postgres(url.to_owned()),
        None => Target::Sqlite(opts.data.clone()),
    }
}

/// Connects, applies migrations, loads the key and the catalogue.
pub async fn open_store(opts: &GlobalOpts) -> anyhow::Result<Store> {
    let catalogue = load_catalogue(&opts.data)?;
    let db = match target(opts) {
        Target::Sqlite(dir) => Db::open_sqlite(&dir).await.with_context(|| format!("无法打开数据目录 {}", dir.display()))?,
        Target::Postgres(url) => {
            if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                bail!("数据库连接串应以 postgres:// 或 postgresql:// 开头");
            }
            Db::open_pg(&url).await.context("无法连接 PostgreSQL 数据库")?
        }
    };
    db.migrate().await.context("数据库迁移失败")?;
    let keys = load_or_create_key(&opts.key_path())?;
    Ok(Store::new(db, keys, catalogue))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_is_created_private_and_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("dangwu.key");
        let k1 = load_or_create_key(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let k2 = load_or_create_key(&path).unwrap();
        assert_eq!(k1.key_id(), "k1");
        assert_eq!(k2.decrypt(&k1.encrypt("x")).unwrap(), "x");
        std::fs::write(&path, "zz").unwrap();
        assert!(format!("{:#}", load_or_create_key(&path).unwrap_err()).contains("密钥文件"));
    }

    #[test]
    fn web_table_and_catalogue_override() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load_file_config(dir.path()).unwrap().web.session_idle_minutes, 30);
        std::fs::write(dir.path().join(CONFIG_FILE), "[web]\nsession_idle_minutes = 10\n").unwrap();
        let c = load_file_config(dir.path()).unwrap();
        assert_eq!((c.web.session_idle_minutes, c.web.lockout_max_failures), (10, 5));
        std::fs::write(dir.path().join(CONFIG_FILE), "[web\n").unwrap();
        assert!(format!("{:#}", load_file_config(dir.path()).unwrap_err()).contains("格式错误"));
        assert!(load_catalogue(dir.path()).unwrap().kind("branch").is_some());
        std::fs::create_dir_all(dir.path().join("rulebook")).unwrap();
        std::fs::write(dir.path().join("rulebook/org-kinds.toml"), "[[kind]]\nid='x'\nlabel='X'\nparents=['']\nroles=[]\n[roles]\n").unwrap();
        let cat = load_catalogue(dir.path()).unwrap();
        assert!(cat.kind("x").is_some() && cat.kind("branch").is_none());
    }
}
