//! Bodies and views of the `/api/v1/ledgers…` endpoints (整改台账).

use chrono::NaiveDate;
use dangwu_domain::supervision::Reconciliation;
use dangwu_store::Store;
use dangwu_store::supervision::{DispatchRound, EvidenceRow, Item, ItemDetail, LedgerDetail, LedgerRow, Report};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::PathId;

/// A ledger or item id (UUID text, as the store keeps it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowId(pub String);

impl PathId for RowId {
    const LABEL: &'static str = "台账";
    fn parse_id(s: &str) -> Result<Self, dangwu_domain::DomainError> {
        dangwu_domain::OrgId::parse(s).map(|u| RowId(u.to_string()))
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = LedgerInput)]
pub struct LedgerBody {
    /// 台账所属党组织
    pub org_id: String,
    pub title: String,
    #[serde(default)]
    pub source: String,
    /// 巡察反馈日期，如 2021-12-20
    pub feedback_on: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = LedgerItemInput)]
pub struct ItemBody {
    /// 序号（正整数，台账内不重复）
    pub no: i64,
    pub title: String,
    /// 整改类别：immediate（立行立改）、by_deadline（限期整改）、ongoing（长期坚持）或中文名称
    pub category: String,
    #[serde(default)]
    pub measures: String,
    #[serde(default)]
    pub leader: String,
    pub department: String,
    /// 责任人姓名；与责任党组织党员姓名唯一一致时关联该党员（该党员不能为本问题销号）
    #[serde(default)]
    pub owner_name: String,
    /// 完成时限（长期坚持可不填），不得早于反馈日期
    #[serde(default)]
    pub due_on: Option<String>,
    #[serde(default)]
    pub acceptance: String,
    /// 责任党组织（默认台账所属党组织）
    #[serde(default)]
    pub org_id: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = LedgerProgressInput)]
pub struct ProgressBody {
    /// 日期，如 2022-01-14
    pub on_date: String,
    pub text: String,
    /// 新状态：in_progress、awaiting_verification（提交核验，须已有佐证材料）；不填则不变
    #[serde(default)]
    pub status: Option<String>,
}

/// The multipart form of `POST /api/v1/ledger-items/{id}/evidence`, for the OpenAPI document
/// only: the handler reads the parts with the item page's upload reader.
#[derive(Debug, ToSchema)]
#[schema(as = LedgerEvidenceInput)]
pub struct EvidenceUpload {
    /// 佐证材料文件：JPG、PNG、WebP 图片或 PDF，不超过上传上限
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// 材料名称（默认取文件名）；与已有材料同名即为其新版本，旧版本保留
    pub title: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = LedgerDispatchInput)]
pub struct DispatchBody {
    /// 调度日期（晚于上一轮，不晚于今天）
    pub as_of: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = LedgerListLine)]
pub struct ListLineBody {
    pub no: i64,
    #[serde(default)]
    pub title: String,
    /// 巡察组记录的状态（可不填）
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = LedgerReconciliationInput)]
pub struct ReconcileBody {
    /// 巡察组的反馈问题清单
    pub lines: Vec<ListLineBody>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = LedgerSummary)]
pub struct LedgerSummaryDto {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    pub title: String,
    pub source: String,
    pub feedback_on: NaiveDate,
    pub items: i64,
    pub closed: i64,
}

impl From<&LedgerRow> for LedgerSummaryDto {
    fn from(r: &LedgerRow) -> Self {
        let l = &r.ledger;
        Self { id: l.id.clone(), org_id: l.org_id.clone(), org_name: r.org_name.clone(), title: l.title.clone(), source: l.source.clone(), feedback_on: l.feedback_on, items: r.items, closed: r.closed }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = LedgerItem)]
pub struct ItemDto {
    pub id: String,
    pub ledger_id: String,
    pub org_id: String,
    pub no: i64,
    pub title: String,
    pub category: String,
    pub category_label: String,
    pub measures: String,
    pub leader: String,
    pub department: String,
    pub owner_name: String,
    pub owner_member_id: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub review_cycle_days: Option<i64>,
    pub acceptance: String,
    /// open、in_progress、awaiting_verification、closed
    pub status: String,
    pub status_label: String,
    pub closed_on: Option<NaiveDate>,
    pub closed_by: Option<String>,
}

impl ItemDto {
    pub fn new(i: &Item, store: &Store) -> Self {
        let b = &store.supervision;
        Self {
            id: i.id.clone(), ledger_id: i.ledger_id.clone(), org_id: i.org_id.clone(), no: i.no, title: i.title.clone(), category: i.category.clone(),
            category_label: b.category_label(&i.category).to_owned(), measures: i.measures.clone(), leader: i.leader.clone(), department: i.department.clone(),
            owner_name: i.owner_name.clone(), owner_member_id: i.owner_member_id.clone(), due_on: i.due_on, review_cycle_days: i.review_cycle_days,
            acceptance: i.acceptance.clone(), status: i.status.clone(), status_label: b.status_label(i.status()).to_owned(), closed_on: i.closed_on, closed_by: i.closed_by.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Ledger)]
pub struct LedgerDto {
    pub id: String,
    pub org_id: String,
    pub title: String,
    pub source: String,
    pub feedback_on: NaiveDate,
    /// 本人可见的问题（按序号）
    pub items: Vec<ItemDto>,
}

impl LedgerDto {
    pub fn new(d: &LedgerDetail, store: &Store) -> Self {
        let l = &d.ledger;
        Self { id: l.id.clone(), org_id: l.org_id.clone(), title: l.title.clone(), source: l.source.clone(), feedback_on: l.feedback_on, items: d.items.iter().map(|i| ItemDto::new(i, store)).collect() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = LedgerNote)]
pub struct NoteDto {
    pub on_date: NaiveDate,
    pub text: String,
    pub from_status: String,
    pub to_status: String,
    pub created_by: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = LedgerEvidence)]
pub struct EvidenceDto {
    pub id: String,
    pub title: String,
    pub version: i64,
    pub filename: String,
    pub digest: String,
    pub current: bool,
}

impl EvidenceDto {
    pub fn new(e: &EvidenceRow, current: bool) -> Self {
        Self { id: e.id.clone(), title: e.title.clone(), version: e.version, filename: e.filename.clone(), digest: e.digest.clone(), current }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = LedgerItemDetail)]
pub struct ItemDetailDto {
    pub item: ItemDto,
    pub notes: Vec<NoteDto>,
    /// 全部版本（替换的旧版本 current = false）
    pub evidence: Vec<EvidenceDto>,
}

impl ItemDetailDto {
    pub fn new(d: &ItemDetail, store: &Store) -> Self {
        let current = d.current_evidence();
        Self {
            item: ItemDto::new(&d.item, store),
            notes: d.notes.iter().map(|n| NoteDto { on_date: n.on_date, text: n.text.clone(), from_status: n.from_status.clone(), to_status: n.to_status.clone(), created_by: n.created_by.clone() }).collect(),
            evidence: d.evidence.iter().map(|e| EvidenceDto::new(e, current.iter().any(|c| c.id == e.id))).collect(),
        }
    }
}

/// A frozen weekly dispatch round (the snapshot exactly as it was frozen).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = LedgerDispatch)]
pub struct DispatchDto {
    pub id: String,
    pub ledger_id: String,
    pub round_no: i64,
    pub as_of: NaiveDate,
    /// 按责任部门分组的快照：每项状态、本周进展、超期、下周到期
    #[schema(value_type = Object)]
    pub snapshot: serde_json::Value,
}

impl From<&DispatchRound> for DispatchDto {
    fn from(r: &DispatchRound) -> Self {
        Self { id: r.id.clone(), ledger_id: r.ledger_id.clone(), round_no: r.round_no, as_of: r.as_of, snapshot: serde_json::to_value(&r.snapshot).unwrap_or_default() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = LedgerReconciliation)]
pub struct ReconciliationDto {
    pub ok: bool,
    pub matched: usize,
    /// 清单有、台账无的序号
    pub missing: Vec<i64>,
    /// 台账有、清单无的序号
    pub extra: Vec<i64>,
    /// 状态不一致的序号
    pub mismatched: Vec<i64>,
}

impl From<&Reconciliation> for ReconciliationDto {
    fn from(r: &Reconciliation) -> Self {
        Self {
            ok: r.ok(),
            matched: r.matched,
            missing: r.missing.iter().map(|l| l.no).collect(),
            extra: r.extra.iter().map(|l| l.no).collect(),
            mismatched: r.mismatched.iter().map(|(l, _)| l.no).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = LedgerReport)]
pub struct ReportDto {
    pub title: String,
    pub as_of: NaiveDate,
    pub total: i64,
    pub closed: i64,
    pub in_progress: i64,
    pub overdue: i64,
    /// 完成率，如 "66.7%"
    pub completion_rate: String,
    /// 整改情况报告报送期限（反馈后，按 rulebook/supervision.toml）
    pub deadline: NaiveDate,
    pub deadline_citation: String,
    /// 报告草稿（无记录可依的部分为【待填写】）
    pub text: String,
}

impl From<&Report> for ReportDto {
    fn from(r: &Report) -> Self {
        Self {
            title: r.title.clone(), as_of: r.as_of, total: r.total, closed: r.closed, in_progress: r.in_progress, overdue: r.overdue,
            completion_rate: r.rate_text(), deadline: r.deadline, deadline_citation: r.deadline_citation.clone(), text: r.text.clone(),
        }
    }
}
