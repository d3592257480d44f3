//! Deployment configuration: the data directory, `dangwu.toml`, the organisation catalogue and
//! rulebook overrides, the field-encryption key file, and opening the store from all of them.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use dangwu_domain::crypto::FieldKeys;
use dangwu_domain::community::CommunityBook;
use dangwu_domain::dues::DuesRules;
use dangwu_domain::org_catalogue::OrgCatalogue;
use dangwu_domain::rulebook::{Rulebook, RulebookError, Source};
use dangwu_domain::supervision::SupervisionBook;
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
    #[serde(default)]
    pub records: RecordsConfig,
    #[serde(default)]
    pub audit: AuditConfig,
}

/// `[audit]` in dangwu.toml.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuditConfig {
    /// Days audit entries are kept at least before `audit purge` may remove them. 网络安全法
    /// 第二十一条 asks for no less than six months, so less than 183 is refused at start.
    pub retention_days: i64,
}

impl Default for AuditConfig {
    fn default() -> Self {
        Self { retention_days: 183 }
    }
}

/// `[records]` in dangwu.toml: how records may be entered.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecordsConfig {
    /// Days ahead an activity may be dated (0: only today and earlier).
    pub activity_future_days: u64,
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

/// The shipped rulebook with the deployment's `DIR/rulebook/rules.toml` and
/// `DIR/rulebook/activity-kinds.toml` layered over it (each optional). A broken override is an
/// error naming the file, the line and the key: no command runs with a broken rulebook.
pub fn load_rulebook(data: &Path, catalogue: &OrgCatalogue) -> anyhow::Result<Rulebook> {
    let dir = data.join("rulebook");
    let rules = read_optional(&dir.join("rules.toml"))?;
    let kinds = read_optional(&dir.join("activity-kinds.toml"))?;
fn source(o: &Option<(String, String)>) -> Option<Source<'_>> {
        o.as_ref().map(|(file, text)| Source { file: file.as_str(), text: text.as_str() })
    }
    Rulebook::load(source(&rules), source(&kinds), catalogue).map_err(|e| {
        let e = locate(e, &[("rules.toml", &rules), ("activity-kinds.toml", &kinds)]);
        anyhow::Error::new(e).context("规则库有误，请修正后重试（dangwu 不会以有误的规则运行）")
    })
}

fn read_optional(path: &Path) -> anyhow::Result<Option<(String, String)>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some((path.display().to_string(), text))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("无法读取规则文件 {}", path.display())),
    }
}

/// Cross-checks (an unknown activity kind, org kind …) name the shipped file and the key
/// `id.field` but no line; when the entry comes from an override, point at the override's line.
fn locate(mut e: RulebookError, overrides: &[(&str, &Option<(String, String)>)]) -> RulebookError {
    if e.line.is_some() {
        return e;
    }
    let Some((file, text)) = overrides.iter().find(|(name, _)| *name == e.file).and_then(|(_, o)| o.as_ref()) else { return e };
    let Some((id, field)) = e.key.as_deref().and_then(|k| k.split_once('.')) else { return e };
    let Some(at) = text.find(&format!("\"{id}\"")) else { return e };
    // The entry runs from its id to the next array header.
    let entry_end = text[at..].find("[[").map_or(text.len(), |i| at + i);
    let field_at = text[at..entry_end]
        .lines()
        .scan(at, |pos, line| {
            let start = *pos;
            *pos += line.len() + 1;
            Some((start, line))
        })
        .find(|(_, line)| line.trim_start().strip_prefix(field).is_some_and(|rest| rest.trim_start().starts_with('=')))
        .map_or(at, |(start, _)| start);
    e.file = file.clone();
    e.line = Some(text[..field_at].matches('\n').count() + 1);
    e
}

/// The shipped dues rules with the deployment's `DIR/rulebook/dues.toml` layered over them
/// (optional). A broken override is an error naming the file, the line and the key.
pub fn load_dues(data: &Path) -> anyhow::Result<DuesRules> {
    let path = data.join("rulebook").join("dues.toml");
    let over = read_optional(&path)?;
    let src = over.as_ref().map(|(file, text)| Source { file: file.as_str(), text: text.as_str() });
    DuesRules::load(src).map_err(|e| anyhow::Error::new(e).context("党费规则有误，请修正后重试（dangwu 不会以有误的规则运行）"))
}

/// The shipped community catalogue with `DIR/rulebook/community.toml` layered over it (optional),
/// checked against the rulebook in force (team rules name team kinds, training counts known kinds).
pub fn load_community(data: &Path, rulebook: &Rulebook) -> anyhow::Result<CommunityBook> {
    let path = data.join("rulebook").join("community.toml");
    let over = read_optional(&path)?;
    let src = over.as_ref().map(|(file, text)| Source { file: file.as_str(), text: text.as_str() });
    let book = CommunityBook::load(src).and_then(|b| b.check_rules(rulebook).map(|_| b));
    book.map_err(|e| anyhow::Error::new(e).context("服务队、岗位、培训等目录有误，请修正后重试（dangwu 不会以有误的规则运行）"))
}

/// The shipped supervision catalogue with the deployment's `DIR/rulebook/supervision.toml`
/// layered over it (optional), its checklists checked against the activity kinds in force.
/// A broken override is an error naming the file, the line and the key.
pub fn load_supervision(data: &Path, rulebook: &Rulebook) -> anyhow::Result<SupervisionBook> {
    let over = read_optional(&data.join("rulebook").join("supervision.toml"))?;
    let src = over.as_ref().map(|(file, text)| Source { file: file.as_str(), text: text.as_str() });
    let file = over.as_ref().map_or("supervision.toml", |(f, _)| f.as_str());
    let book = SupervisionBook::load(src).and_then(|b| b.check_kinds(rulebook, file).map(|_| b));
    book.map_err(|e| anyhow::Error::new(e).context("台账目录（supervision.toml）有误，请修正后重试（dangwu 不会以有误的规则运行）"))
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

/// Loads the catalogue and the rulebook (refusing a broken one before anything else happens),
/// connects, applies migrations and loads the key.
pub async fn open_store(opts: &GlobalOpts) -> anyhow::Result<Store> {
    let catalogue = load_catalogue(&opts.data)?;
    let rulebook = load_rulebook(&opts.data, &catalogue)?;
    let dues = load_dues(&opts.data)?;
    let community = load_community(&opts.data, &rulebook)?;
    let supervision = load_supervision(&opts.data, &rulebook)?;
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
    let records = load_file_config(&opts.data)?.records;
    let templates = load_templates(&opts.data, &rulebook, &supervision)?;
    Ok(Store::new(db, keys, catalogue)
        .with_rulebook(rulebook)
        .with_dues(dues)
        .with_community(community)
        .with_supervision(supervision)
        .with_activity_future_days(records.activity_future_days)
        .with_templates(templates))
}

/// The shipped report templates with the deployment's `DIR/rulebook/templates/NAME.tpl` put in
/// their place (or added). A broken one stops every command with a message naming the template,
/// the line and the fact: a report is never written from a silently substituted template.
pub fn load_templates(data: &Path, rulebook: &Rulebook, supervision: &SupervisionBook) -> anyhow::Result<dangwu_domain::report::Templates> {
    let dir = data.join("rulebook").join("templates");
    let mut over = Vec::new();
    if dir.is_dir() {
        let mut paths: Vec<_> = std::fs::read_dir(&dir)?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "tpl")).collect();
        paths.sort();
        for p in paths {
            let name = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
            let text = std::fs::read_to_string(&p).with_context(|| format!("无法读取报告模板 {}", p.display()))?;
            over.push((name, text));
        }
    }
    dangwu_store::reports::load_templates(rulebook, supervision, &over).map_err(|e| anyhow::anyhow!("{e}（{}）", dir.display()))
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
        assert_eq!(c.records.activity_future_days, 0);
        std::fs::write(dir.path().join(CONFIG_FILE), "[records]\nactivity_future_days = 3\n").unwrap();
        assert_eq!(load_file_config(dir.path()).unwrap().records.activity_future_days, 3);
        std::fs::write(dir.path().join(CONFIG_FILE), "[web\n").unwrap();
        assert!(format!("{:#}", load_file_config(dir.path()).unwrap_err()).contains("格式错误"));
        assert!(load_catalogue(dir.path()).unwrap().kind("branch").is_some());
        std::fs::create_dir_all(dir.path().join("rulebook")).unwrap();
        std::fs::write(dir.path().join("rulebook/org-kinds.toml"), "[[kind]]\nid='x'\nlabel='X'\nparents=['']\nroles=[]\n[roles]\n").unwrap();
        let cat = load_catalogue(dir.path()).unwrap();
        assert!(cat.kind("x").is_some() && cat.kind("branch").is_none());
    }

    #[test]
    fn dues_override_is_layered_and_a_broken_one_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load_dues(dir.path()).unwrap().back_payment_max_months, 6);
        let rb = dir.path().join("rulebook");
        std::fs::create_dir_all(&rb).unwrap();
        std::fs::write(rb.join("dues.toml"), "advance_payment_max_months = 3\nremit_ratio = \"0.5\"\n").unwrap();
        let d = load_dues(dir.path()).unwrap();
        assert_eq!((d.advance_payment_max_months, d.remit_ratio.0, d.back_payment_max_months), (3, 50_000, 6));
        std::fs::write(rb.join("dues.toml"), "# 本地\nback_payment_max_months = \"六\"\n").unwrap();
        let m = format!("{:#}", load_dues(dir.path()).unwrap_err());
        assert!(m.contains("dues.toml") && m.contains("不会以有误的规则运行"), "{m}");
    }

    #[test]
    fn supervision_override_is_layered_and_a_broken_one_refused() {
        let dir = tempfile::tempdir().unwrap();
        let rules = load_rulebook(dir.path(), &OrgCatalogue::shipped()).unwrap();
        let load_supervision = |d: &Path| load_supervision(d, &rules);
        assert_eq!(load_supervision(dir.path()).unwrap().report_deadline().months, 2);
        let rb = dir.path().join("rulebook");
        std::fs::create_dir_all(&rb).unwrap();
        std::fs::write(rb.join("supervision.toml"), "[[deadline]]\nid = \"rectification_report\"\nmonths = 1\n").unwrap();
        assert_eq!(load_supervision(dir.path()).unwrap().report_deadline().months, 1);
        std::fs::write(rb.join("supervision.toml"), "[[deadline]]\nid = \"rectification_report\"\nmonths = \"一\"\n").unwrap();
        let m = format!("{:#}", load_supervision(dir.path()).unwrap_err());
        assert!(m.contains("supervision.toml") && m.contains("第3行") && m.contains("rectification_report.months"), "{m}");
        // A checklist item naming an activity kind the rulebook lacks is refused, naming the item.
        std::fs::write(rb.join("supervision.toml"), "[[checklist]]\nid = \"branch_party_work\"\nitems = [{ id = \"x\", label = \"食堂\", kinds = [\"canteen\"] }]\n").unwrap();
        let m = format!("{:#}", load_supervision(dir.path()).unwrap_err());
        assert!(m.contains("supervision.toml") && m.contains("checklist.branch_party_work.items.x.kinds") && m.contains("canteen"), "{m}");
    }

    #[test]
    fn rulebook_overrides_are_layered_and_broken_ones_refused() {
        let dir = tempfile::tempdir().unwrap();
        let cat = OrgCatalogue::shipped();
        let shipped = load_rulebook(dir.path(), &cat).unwrap();
        assert_eq!(shipped.rule("central_group_study_monthly").unwrap().minimum, 1);
        let rb = dir.path().join("rulebook");
        std::fs::create_dir_all(&rb).unwrap();
        std::fs::write(rb.join("rules.toml"), "[[rule]]\nid = \"central_group_study_monthly\"\nminimum = 2\n").unwrap();
        std::fs::write(rb.join("activity-kinds.toml"), "[[kind]]\nid = \"red_education_visit\"\nenabled = false\n").unwrap();
        let book = load_rulebook(dir.path(), &cat).unwrap();
        assert_eq!(book.rule("central_group_study_monthly").unwrap().minimum, 2);
        assert!(book.kind("red_education_visit").is_none() && book.kind("talk").is_some());

        let rules = rb.join("rules.toml");
        let msg = |book: anyhow::Result<Rulebook>| format!("{:#}", book.unwrap_err());
        std::fs::write(&rules, "# 本地规定\n[[rule]]\nid = \"talk_yearly\"\nminimum = \"三\"\n").unwrap();
        let m = msg(load_rulebook(dir.path(), &cat));
        assert!(m.contains(&rules.display().to_string()) && m.contains("第4行") && m.contains("talk_yearly.minimum"), "{m}");
        assert!(m.contains("不会以有误的规则运行"), "{m}");
        std::fs::write(&rules, "[[rule]\nid = 1\n").unwrap();
        let m = msg(load_rulebook(dir.path(), &cat));
        assert!(m.contains(&rules.display().to_string()) && m.contains("第1行") && m.contains("TOML"), "{m}");
        // A cross-check (unknown activity kind) points at the override's line and key too.
        std::fs::write(&rules, "[[rule]]\nid = \"talk_yearly\"\n\ncounts = [\"chat\"]\n").unwrap();
        let m = msg(load_rulebook(dir.path(), &cat));
        assert!(m.contains(&rules.display().to_string()) && m.contains("第4行") && m.contains("talk_yearly.counts") && m.contains("“chat”"), "{m}");
    }
}
