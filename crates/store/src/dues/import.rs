//! The year's base sheet (党费计算基数表: 姓名, 身份证号, 人员类别, pay items…, 扣除, 个税):
//! every row is checked first — member found by ID number in the caller's scope, name matching,
//! amounts numeric and not negative, the rules applicable, the year not locked — and only a
//! sheet without errors is written, in one transaction, as each member's draft for the year.

use dangwu_domain::auth::Principal;
use dangwu_domain::dues::PayItem;
use dangwu_domain::idcard::IdCardNo;
use dangwu_domain::member::DuesCategory;
use dangwu_domain::money::Fen;
use dangwu_domain::DomainError;
use serde::Serialize;
use std::collections::HashMap;

use super::compute::{VerificationInput, compute};
use super::verification::write_version;
use super::marks;
use crate::audit::{self, Actor};
use crate::import::{ImportError, RowError};
use crate::{Store, members, orgs};

/// One data row as typed (Excel row number as the user sees it); amounts are text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaseRow {
    pub row: usize,
    pub name: String,
    pub id_card_no: String,
    /// 人员类别: 机关 / 机关工人 / 事业单位 / 企业 / 年薪制 / 离退休 (or empty for flat-rate members).
    pub person_type: String,
    /// (item name, amount text); empty cells are left out.
    pub items: Vec<(String, String)>,
    pub deductions: String,
    pub tax: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BaseImportOutcome {
    pub rows: usize,
    pub dry_run: bool,
    /// Total of the monthly amounts of the rows.
    pub monthly_total: Fen,
}

fn amount(errs: &mut Vec<RowError>, row: usize, field: &str, label: &str, text: &str) -> Fen {
    match text.trim() {
        "" => Fen::ZERO,
        t => Fen::parse_non_negative(t, field).unwrap_or_else(|e| {
            let msg = match e {
                DomainError::Invalid(v) => v.into_iter().map(|f| f.message).collect::<Vec<_>>().join("；"),
                other => other.to_string(),
            };
            errs.push(RowError { row, field: field.into(), message: format!("{label}：{msg}") });
            Fen::ZERO
        }),
    }
}

/// Validates every row, then (unless `dry_run`) writes all of them or none.
pub async fn import_bases(
    store: &Store,
    p: &Principal,
    actor: &Actor,
    year: i32,
    rows: Vec<BaseRow>,
    dry_run: bool,
) -> Result<BaseImportOutcome, ImportError> {
    let mut errors = Vec::new();
    let mut parsed = Vec::with_capacity(rows.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for r in &rows {
        let mut e = Vec::new();
        let items: Vec<PayItem> = r
            .items
            .iter()
            .filter(|(_, t)| !t.trim().is_empty())
            .map(|(n, t)| PayItem { name: n.clone(), amount: amount(&mut e, r.row, "items", n, t), included: false })
            .collect();
        let deductions = amount(&mut e, r.row, "deductions", "扣除", &r.deductions);
        let tax = amount(&mut e, r.row, "tax", "个税", &r.tax);
        let index = match IdCardNo::parse(&r.id_card_no) {
            Ok(id) => Some(store.keys.blind_index(id.as_str())),
            Err(err) => {
                e.push(RowError { row: r.row, field: "id_card_no".into(), message: err.to_string() });
                None
            }
        };
        if let Some(i) = &index
            && let Some(first) = seen.insert(i.clone(), r.row)
        {
            e.push(RowError { row: r.row, field: "id_card_no".into(), message: format!("身份证号与第{first}行重复") });
        }
        let input = VerificationInput { person_type: r.person_type.clone(), items, deductions, tax, effective_month: 1, ..Default::default() };
        errors.extend(e);
        parsed.push((r, index, input));
    }
    // The members, by ID number, in one query per 500 rows.
    let indexes: Vec<String> = parsed.iter().filter_map(|(_, i, _)| i.clone()).collect();
    let mut found: HashMap<String, members::Member> = HashMap::new();
    for chunk in indexes.chunks(500) {
        let sql = format!("SELECT * FROM members WHERE id_card_index IN ({})", marks(1, chunk.len()));
        let ms: Vec<members::Member> = store.db.read().all(&sql, chunk.iter().map(Into::into).collect()).await?;
        found.extend(ms.into_iter().map(|m| (m.id_card_index.clone(), m)));
    }
    let locked: Vec<(String,)> = store
        .db
        .read()
        .all("SELECT DISTINCT member_id FROM dues_verifications WHERE year = $1 AND status = 'confirmed'", crate::args![year as i64])
        .await?;
    let locked: std::collections::HashSet<String> = locked.into_iter().map(|(m,)| m).collect();
    let all_orgs: HashMap<String, orgs::Org> = orgs::list(store, p, true).await?.into_iter().map(|o| (o.id.clone(), o)).collect();
    let mut ok = Vec::new();
    for (r, index, input) in parsed {
        let Some(index) = index else { continue };
        let push = |errors: &mut Vec<RowError>, field: &str, message: String| errors.push(RowError { row: r.row, field: field.into(), message });
        let Some(m) = found.get(&index).filter(|m| all_orgs.get(&m.org_id).is_some_and(|o| p.can_read_member(m.member_id(), &o.org_path()))) else {
            push(&mut errors, "id_card_no", "未找到该身份证号的党员（或不在本人管理范围内）".into());
            continue;
        };
        if !r.name.trim().is_empty() && r.name.trim() != m.name {
            push(&mut errors, "name", format!("姓名“{}”与该身份证号登记的姓名不一致", r.name.trim()));
        }
        if !all_orgs.get(&m.org_id).is_some_and(|o| p.can_write_member(&o.org_path())) {
            push(&mut errors, "id_card_no", format!("{}不在本人管理范围内，不能核定", m.name));
        }
        if locked.contains(&m.id) {
            push(&mut errors, "year", format!("{}的{year}年党费核定已确认锁定，不能再导入；年中调整请逐人新增版本", m.name));
        }
        let category = match DuesCategory::parse(&m.dues_category) {
            Ok(c) => c,
            Err(e) => {
                push(&mut errors, "dues_category", e.to_string());
                continue;
            }
        };
        match compute(&store.dues, category, &input) {
            Ok(c) => ok.push((m.clone(), input, c)),
            Err(DomainError::Invalid(v)) => v.into_iter().for_each(|f| push(&mut errors, &f.field, f.message)),
            Err(e) => push(&mut errors, e.first_field().unwrap_or("input"), e.to_string()),
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Err(ImportError::Rows(errors));
    }
    let monthly_total = ok.iter().map(|(_, _, c)| c.amount).sum();
    let outcome = BaseImportOutcome { rows: ok.len(), dry_run, monthly_total };
    if dry_run || ok.is_empty() {
        return Ok(outcome);
    }
    let mut tx = store.db.begin().await?;
    let mut ids = Vec::with_capacity(ok.len());
    for (m, input, c) in &ok {
        let (_, v) = write_version(&mut tx, actor, m, year, input, c).await?;
        ids.push(v.id);
    }
    let digest = dangwu_domain::audit::digest_json(&serde_json::json!(ids));
    let detail = format!("导入{year}年党费计算基数{}人", ids.len());
    audit::append(&mut tx, actor, "dues.verification.import", "dues_verification", "*", String::new(), digest, &detail).await?;
    tx.commit().await?;
    Ok(outcome)
}
