//! People and community: teams (党员先锋队, 志愿服务队), posts (示范岗 …), communities (双报到),
//! delegate nominations (代表推选) with rates computed from the roster, and yearly training hours
//! against targets. The catalogues are data (rulebook/community.toml, overridable per deployment).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

use crate::date::parse_date;
use crate::error::Errors;
use crate::rulebook::{Confidence, Rulebook, RulebookError, Source, Subject, layered};
use crate::member::MemberStatus;
use crate::org::OrgPath;
use crate::{DomainError, MemberId, OrgId};

pub mod training;

const SHIPPED: &str = include_str!("../../../rulebook/community.toml");

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub id: String,
    pub label: String,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingTargets {
    pub document: String,
    #[serde(default)]
    pub article: String,
    pub confidence: Confidence,
    pub member_hours: u32,
    pub leader_hours: u32,
    pub leader_roles: Vec<String>,
    /// Activity kinds whose `hours` count as training hours.
    pub kinds: Vec<String>,
}

impl TrainingTargets {
    pub fn target(&self, leader: bool) -> u32 {
        if leader { self.leader_hours } else { self.member_hours }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NominationRules {
    pub eligible_statuses: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommunityBook {
    pub team_kinds: Vec<Entry>,
    pub post_kinds: Vec<Entry>,
    pub capabilities: Vec<Entry>,
    pub training: TrainingTargets,
    pub nomination: NominationRules,
}

impl CommunityBook {
    pub fn shipped() -> Self {
        Self::load(None).expect("shipped rulebook/community.toml is valid")
    }

    /// The shipped catalogue with a deployment's file layered over it (entries by id, tables by key).
    pub fn load(over: Option<Source>) -> Result<Self, RulebookError> {
        let file = over.as_ref().map(|s| s.file.to_owned()).unwrap_or_else(|| "community.toml".into());
        let list = |array: &str, over: Option<Source>| layered::<Entry>("community.toml", SHIPPED, over, array);
        let again = || over.as_ref().map(|s| Source { file: s.file, text: s.text });
        let team_kinds = list("team_kind", again())?;
        let post_kinds = list("post_kind", again())?;
        let capabilities = list("capability", again())?;
        let table = |key: &str| -> Result<toml::Value, RulebookError> {
            let parse = |f: &str, t: &str| -> Result<toml::Table, RulebookError> {
                toml::from_str(t).map_err(|e| RulebookError { file: f.into(), line: None, key: None, message: format!("TOML 格式错误：{}", e.message()) })
            };
            let mut base = parse("community.toml", SHIPPED)?.remove(key).and_then(|v| v.as_table().cloned()).unwrap_or_default();
            if let Some(src) = &over {
                if let Some(toml::Value::Table(t)) = parse(src.file, src.text)?.remove(key) {
                    base.extend(t);
                }
            }
            Ok(toml::Value::Table(base))
        };
        let err = |key: &str, e: serde_path_to_error::Error<toml::de::Error>| RulebookError {
            file: file.clone(),
            line: None,
            key: Some(format!("{key}.{}", e.path())),
            message: e.inner().message().to_owned(),
        };
        let training: TrainingTargets = serde_path_to_error::deserialize(table("training")?).map_err(|e| err("training", e))?;
        let nomination: NominationRules = serde_path_to_error::deserialize(table("nomination")?).map_err(|e| err("nomination", e))?;
        for s in &nomination.eligible_statuses {
            if !matches!(s.as_str(), "full" | "probationary") {
                return Err(RulebookError {
                    file,
                    line: None,
                    key: Some("nomination.eligible_statuses".into()),
                    message: format!("“{s}”无效，可选：full（正式党员）、probationary（预备党员）"),
                });
            }
        }
        Ok(Self { team_kinds, post_kinds, capabilities, training, nomination })
    }

    /// Team rules in rules.toml name team kinds of this file; training counts activity kinds.
    pub fn check_rules(&self, book: &Rulebook) -> Result<(), RulebookError> {
        let err = |file: &str, key: String, message: String| RulebookError { file: file.into(), line: None, key: Some(key), message };
        for r in book.rules.iter().filter(|r| r.enabled && r.subject == Subject::Team) {
            if let Some(k) = r.applies_to.iter().find(|k| self.team_kind(k).is_none()) {
                return Err(err("rules.toml", format!("{}.applies_to", r.id), format!("服务队类型“{k}”不存在（见 community.toml 的 team_kind）")));
            }
        }
        if let Some(k) = self.training.kinds.iter().find(|k| book.kind(k).is_none()) {
            return Err(err("community.toml", "training.kinds".into(), format!("活动类型“{k}”不存在")));
        }
        Ok(())
    }

    pub fn team_kind(&self, id: &str) -> Option<&Entry> {
        self.team_kinds.iter().find(|k| k.id == id && k.enabled)
    }
    pub fn post_kind(&self, id: &str) -> Option<&Entry> {
        self.post_kinds.iter().find(|k| k.id == id && k.enabled)
    }
    /// Capability tags as typed (ids or labels, separated by 、 , ， ; or spaces) → catalogue ids,
    /// in catalogue order; an unknown tag is refused naming the choices.
    pub fn capability_tags(&self, text: &str) -> Result<Vec<String>, DomainError> {
        let enabled: Vec<&Entry> = self.capabilities.iter().filter(|c| c.enabled).collect();
        let mut picked = Vec::new();
        for t in text.split(['、', ',', '，', ';', '；', ' ', '\n']).map(str::trim).filter(|t| !t.is_empty()) {
            match enabled.iter().find(|c| c.id == t || c.label == t) {
                Some(c) => picked.push(c.id.as_str()),
                None => {
                    let opts: Vec<&str> = enabled.iter().map(|c| c.label.as_str()).collect();
                    return Err(DomainError::field("capabilities", format!("能力方向“{t}”不在能力清单中，可选：{}", opts.join("、"))));
                }
            }
        }
        Ok(enabled.iter().filter(|c| picked.contains(&c.id.as_str())).map(|c| c.id.clone()).collect())
    }
    /// Stored capability ids ("policy,operation") as labels: "政策落实、专业操作".
    pub fn capability_labels(&self, stored: &str) -> String {
        stored.split(',').filter(|s| !s.is_empty()).map(|id| Self::label(&self.capabilities, id)).collect::<Vec<_>>().join("、")
    }
    pub fn label<'a>(list: &'a [Entry], id: &'a str) -> &'a str {
        list.iter().find(|k| k.id == id).map_or(id, |k| k.label.as_str())
    }
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_owned)
}

fn date(errs: &mut Errors, field: &str, label: &str, s: &str, required: bool) -> Option<NaiveDate> {
    match (s.trim(), parse_date(s)) {
        ("", _) => {
            if required {
                errs.push(field, format!("请填写{label}"));
            }
            None
        }
        (_, Some(d)) => Some(d),
        (t, None) => {
            errs.push(field, format!("{label}“{t}”格式不正确，应为如 2022-01-05 的日期"));
            None
        }
    }
}

/// A team (党员先锋队, 志愿服务队) or a post (示范岗 …): kind, name, purpose, period, members.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct GroupInput {
    pub org_id: String,
    pub kind: String,
    pub name: String,
    pub purpose: String,
    /// A team's community (双报到); a post's occasion (e.g. 第25届省运会) goes in `purpose`.
    pub community_id: String,
    pub starts_on: String,
    pub ends_on: String,
    pub member_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupDraft {
    pub org_id: OrgId,
    pub kind: String,
    pub name: String,
    pub purpose: Option<String>,
    pub community_id: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub members: Vec<MemberId>,
}

impl GroupInput {
    /// `kinds`: the catalogue (team or post kinds); `roster`: active members of the org's subtree,
    /// i.e. those the user may put in it.
    pub fn validate(&self, kinds: &[Entry], what: &str, roster: &[(MemberId, String)]) -> Result<GroupDraft, DomainError> {
        let mut errs = Errors::default();
        let org_id = OrgId::parse(&self.org_id).map_err(|_| DomainError::field("org_id", "请选择党组织"))?;
        let kind = self.kind.trim();
        if !kinds.iter().any(|k| k.id == kind && k.enabled) {
            let opts: Vec<String> = kinds.iter().filter(|k| k.enabled).map(|k| format!("{}（{}）", k.id, k.label)).collect();
            errs.push("kind", format!("{what}类型“{kind}”不存在，可选：{}", opts.join("、")));
        }
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            errs.push("name", format!("{what}名称不能为空"));
        } else if name.chars().count() > 100 {
            errs.push("name", format!("{what}名称不能超过100个字"));
        }
        let starts_on = date(&mut errs, "starts_on", "开始日期", &self.starts_on, true);
        let ends_on = date(&mut errs, "ends_on", "结束日期", &self.ends_on, false);
        if let (Some(s), Some(e)) = (starts_on, ends_on) {
            if e < s {
                errs.push("ends_on", "结束日期不能早于开始日期");
            }
        }
        let mut members = Vec::new();
        for (i, m) in self.member_ids.iter().map(|m| m.trim()).filter(|m| !m.is_empty()).enumerate() {
            match MemberId::parse(m) {
                Err(_) => errs.push("member_ids", format!("第{}位成员编号“{m}”无效", i + 1)),
                Ok(id) if !roster.iter().any(|(r, _)| *r == id) => {
                    errs.push("member_ids", format!("第{}位成员不在本组织（含下级）的在册党员中，或不在您的管理范围内", i + 1))
                }
                Ok(id) if members.contains(&id) => {}
                Ok(id) => members.push(id),
            }
        }
        let community_id = opt(&self.community_id);
        errs.finish(|| GroupDraft {
            org_id,
            kind: kind.to_owned(),
            name,
            purpose: opt(&self.purpose),
            community_id,
            starts_on: starts_on.expect("checked"),
            ends_on,
            members,
        })
    }
}

/// Whether something running from `starts_on` to `ends_on` (open-ended if none) overlaps [from, to].
pub fn overlaps(starts_on: NaiveDate, ends_on: Option<NaiveDate>, from: NaiveDate, to: NaiveDate) -> bool {
    starts_on <= to && ends_on.is_none_or(|e| e >= from)
}

/// Hours typed on an activity (`hours` field) in tenths of an hour: no floats in sums.
/// `None` for anything but a number from 0 to 24 with at most one decimal.
pub fn hours_tenths(s: &str) -> Option<i64> {
    let s = s.trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 1 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = whole.parse::<i64>().ok()? * 10 + frac.parse::<i64>().unwrap_or(0);
    (t <= 240).then_some(t)
}

/// Tenths of an hour as text: 15 → "1.5", 320 → "32".
pub fn hours_text(tenths: i64) -> String {
    if tenths % 10 == 0 { (tenths / 10).to_string() } else { format!("{}.{}", tenths / 10, tenths % 10) }
}

/// A delegate nomination (代表推选) over a set of orgs.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ElectionInput {
    /// The organiser (e.g. 机关党委); the targets are in `org_ids`.
    pub org_id: String,
    pub title: String,
    pub opens_on: String,
    pub closes_on: String,
    pub org_ids: Vec<String>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElectionDraft {
    pub org_id: OrgId,
    pub title: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub org_ids: Vec<OrgId>,
    pub note: Option<String>,
}

impl ElectionInput {
    pub fn validate(&self) -> Result<ElectionDraft, DomainError> {
        let mut errs = Errors::default();
        let org_id = OrgId::parse(&self.org_id).map_err(|_| DomainError::field("org_id", "请选择组织推选的党组织"))?;
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            errs.push("title", "请填写推选名称，如“党的二十大代表”");
        } else if title.chars().count() > 100 {
            errs.push("title", "推选名称不能超过100个字");
        }
        let opens_on = date(&mut errs, "opens_on", "开始日期", &self.opens_on, true);
        let closes_on = date(&mut errs, "closes_on", "结束日期", &self.closes_on, true);
        if let (Some(o), Some(c)) = (opens_on, closes_on) {
            if c < o {
                errs.push("closes_on", "结束日期不能早于开始日期");
            }
        }
        let mut org_ids = Vec::new();
        for s in self.org_ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            match OrgId::parse(s) {
                Ok(id) if !org_ids.contains(&id) => org_ids.push(id),
                Ok(_) => {}
                Err(_) => errs.push("org_ids", format!("参加推选的党组织编号“{s}”无效")),
            }
        }
        if org_ids.is_empty() && errs.is_empty() {
            errs.push("org_ids", "请至少选择一个参加推选的党组织");
        }
        errs.finish(|| ElectionDraft {
            org_id,
            title,
            opens_on: opens_on.expect("checked"),
            closes_on: closes_on.expect("checked"),
            org_ids,
            note: opt(&self.note),
        })
    }
}

/// A need claimed for `org` by one of its members: the member must be on the roll (full or
/// probationary) in `org` or an org under it — a committee may send a member of one of its
/// branches, a branch may not send another branch's member.
pub fn check_claimer(org: &OrgPath, org_name: &str, member: &str, member_org: &OrgPath, status: MemberStatus) -> Result<(), DomainError> {
    if !org.contains(member_org) {
        return Err(DomainError::field("member_id", format!("{member}不是“{org_name}”（含下级党组织）的党员，不能以该组织名义认领")));
    }
    if !status.is_active() {
        return Err(DomainError::field("member_id", format!("{member}{}，不能认领", status.label())));
    }
    Ok(())
}

/// One member's record in a nomination.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Mark {
    pub informed: bool,
    pub took_part: bool,
}

/// A member's marks as typed: taking part implies having been informed, so that combination is
/// refused rather than silently corrected.
pub fn mark(informed: bool, took_part: bool, name: &str) -> Result<Mark, DomainError> {
    if took_part && !informed {
        return Err(DomainError::field("informed", format!("{name}已参与推荐，应同时记为知晓")));
    }
    Ok(Mark { informed, took_part })
}

/// Counts behind the rates of one org (or the total: `org_id` empty). Eligibility on the closing
/// day is decided by the store over the roster history (one grouped query for many elections).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Rates {
    pub org_id: String,
    pub eligible: i64,
    pub informed: i64,
    pub took_part: i64,
}

impl Rates {
    /// 知晓率 as (num, den).
    pub fn awareness(&self) -> (i64, i64) {
        (self.informed, self.eligible)
    }
    pub fn participation(&self) -> (i64, i64) {
        (self.took_part, self.eligible)
    }
    /// The total over per-org counts: each eligible member counts under exactly one target org.
    pub fn total<'a>(per_org: impl IntoIterator<Item = &'a Rates>) -> Rates {
        per_org.into_iter().fold(Rates::default(), |t, r| Rates { org_id: String::new(), eligible: t.eligible + r.eligible, informed: t.informed + r.informed, took_part: t.took_part + r.took_part })
    }
}

/// A rate as a percentage with one decimal, e.g. "100%" or "97.5%"; "—" when nobody is eligible.
pub fn percent((num, den): (i64, i64)) -> String {
    if den == 0 {
        return "—".into();
    }
    let tenths = (num * 1000 + den / 2) / den;
    if tenths % 10 == 0 { format!("{}%", tenths / 10) } else { format!("{}.{}%", tenths / 10, tenths % 10) }
}

/// Paper-ballot counts (optional): issued ≥ returned ≥ valid ≥ each name's votes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Ballots {
    pub issued: u32,
    pub returned: u32,
    pub valid: u32,
    /// Recommended name → votes.
    pub votes: BTreeMap<String, u32>,
}

impl Ballots {
    pub fn check(&self) -> Result<(), DomainError> {
        let mut errs = Errors::default();
        if self.returned > self.issued {
            errs.push("returned", format!("收回票数（{}）不能多于发出票数（{}）", self.returned, self.issued));
        }
        if self.valid > self.returned {
            errs.push("valid", format!("有效票数（{}）不能多于收回票数（{}）", self.valid, self.returned));
        }
        for (name, n) in &self.votes {
            if name.trim().is_empty() {
                errs.push("votes", "得票人姓名不能为空");
            } else if *n > self.valid {
                errs.push("votes", format!("{name}的得票数（{n}）不能多于有效票数（{}）", self.valid));
            }
        }
        errs.finish(|| ())
    }
}

/// A member's training hours in a year against their target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrainingStanding {
    pub member_id: String,
    pub leader: bool,
    pub party_worker: bool,
    pub tenths: i64,
    pub target: u32,
}

impl TrainingStanding {
    pub fn below(&self) -> bool {
        self.tenths < i64::from(self.target) * 10
    }
}

/// Hours per member (tenths) against the target of each: `members` are (id, leader, party worker).
pub fn training_standings(t: &TrainingTargets, members: &[(String, bool, bool)], tenths: &HashMap<String, i64>) -> Vec<TrainingStanding> {
    members
        .iter()
        .map(|(id, leader, worker)| TrainingStanding {
            member_id: id.clone(),
            leader: *leader,
            party_worker: *worker,
            tenths: tenths.get(id).copied().unwrap_or(0),
            target: t.target(*leader),
        })
        .collect()
}

#[cfg(test)]
mod tests;
