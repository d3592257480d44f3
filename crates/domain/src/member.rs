//! Members: the fields of the national member information system, validated at the edge.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::Errors;
use crate::ethnicity::is_ethnicity;
use crate::idcard::IdCardNo;
use crate::labelled_enum;
use crate::org::{clean, opt_date};
use crate::{DomainError, OrgId};

labelled_enum!(Gender, "gender", "性别" {
    Male = "male", "男" | "男性";
    Female = "female", "女" | "女性";
});

labelled_enum!(
    /// Membership status. Only `Full` and `Probationary` are active; the others come from status events.
    MemberStatus, "status", "党员状态" {
    Full = "full", "正式党员" | "正式";
    Probationary = "probationary", "预备党员" | "预备";
    TransferredOut = "transferred_out", "已转出";
    Deceased = "deceased", "已去世" | "去世";
    Stopped = "stopped", "停止党籍";
    Expelled = "expelled", "开除党籍";
    Removed = "removed", "除名";
    Withdrawn = "withdrawn", "退党";
});

impl MemberStatus {
    pub fn is_active(self) -> bool {
        matches!(self, MemberStatus::Full | MemberStatus::Probationary)
    }
}

labelled_enum!(
    /// Category for dues (党费规定 §1.1): decides how the monthly amount is computed.
    DuesCategory, "dues_category", "党费类别" {
    InService = "in_service", "在职" | "在职党员";
    Retired = "retired", "离退休" | "离退休党员" | "退休";
    Student = "student", "学生" | "学生党员";
    Farmer = "farmer", "农民" | "农民党员";
    Unemployed = "unemployed", "无固定收入" | "下岗失业";
    LowIncome = "low_income", "享受低保" | "低保";
    Other = "other", "其他";
});

labelled_enum!(
    /// Status events: nothing is hard-deleted; a member's status changes only through one of these.
    MemberEventKind, "event", "党员变动类型" {
    Joined = "joined", "入党";
    BecameFull = "became_full", "转为正式党员" | "转正";
    TransferIn = "transfer_in", "组织关系转入" | "转入";
    TransferOut = "transfer_out", "组织关系转出" | "转出";
    Moved = "moved", "调整所在党组织";
    Died = "died", "去世";
    Stopped = "stopped", "停止党籍";
    Restored = "restored", "恢复党籍";
    Expelled = "expelled", "开除党籍";
    Removed = "removed", "除名";
    Withdrew = "withdrew", "退党";
});

impl MemberEventKind {
    /// The status after this event, or a Chinese reason why it cannot happen now.
    pub fn apply(self, from: MemberStatus) -> Result<MemberStatus, DomainError> {
        use MemberEventKind as E;
        use MemberStatus as S;
        let to = match (self, from) {
            (E::BecameFull, S::Probationary) => S::Full,
            (E::TransferIn, S::TransferredOut) => S::Full,
            (E::Moved, s) if s.is_active() => s,
            (E::TransferOut, s) if s.is_active() => S::TransferredOut,
            (E::Died, s) if s.is_active() || s == S::Stopped => S::Deceased,
            (E::Stopped, s) if s.is_active() => S::Stopped,
            (E::Restored, S::Stopped) => S::Full,
            (E::Expelled, s) if s.is_active() => S::Expelled,
            (E::Removed, s) if s.is_active() => S::Removed,
            (E::Withdrew, s) if s.is_active() => S::Withdrawn,
            _ => {
                return Err(DomainError::rule(
                    Some("event"),
                    format!("当前状态为“{}”，不能办理“{}”", from.label(), self.label()),
                ));
            }
        };
        Ok(to)
    }
}

labelled_enum!(Education, "education", "学历" {
    Doctorate = "doctorate", "博士研究生" | "博士";
    Master = "master", "硕士研究生" | "硕士" | "研究生";
    Bachelor = "bachelor", "大学本科" | "本科";
    College = "college", "大学专科" | "专科" | "大专";
    Secondary = "secondary", "中等专科" | "中专" | "中技";
    HighSchool = "high_school", "高中";
    Lower = "lower", "初中及以下" | "初中" | "小学";
});

/// Raw member input from a form, a sheet row or an API body. Every field is text as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct MemberInput {
    pub name: String,
    pub gender: String,
    pub ethnicity: String,
    pub birth_date: String,
    pub id_card_no: String,
    pub education: String,
    pub phone: String,
    pub joined_on: String,
    pub full_on: String,
    pub status: String,
    pub dues_category: String,
    pub work_unit: String,
    pub post: String,
    pub is_party_worker: String,
    pub org_id: String,
}

/// Validated member fields (what the store writes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberDraft {
    pub name: String,
    pub gender: Gender,
    pub ethnicity: Option<String>,
    pub birth_date: NaiveDate,
    pub id_card_no: IdCardNo,
    pub education: Option<Education>,
    pub phone: Option<String>,
    pub joined_on: NaiveDate,
    pub full_on: Option<NaiveDate>,
    pub status: MemberStatus,
    pub dues_category: DuesCategory,
    pub work_unit: Option<String>,
    pub post: Option<String>,
    pub is_party_worker: bool,
    pub org_id: Option<OrgId>,
}

impl MemberInput {
    /// Checks every field and returns all problems at once, each naming its field in Chinese.
    pub fn validate(&self, today: NaiveDate) -> Result<MemberDraft, DomainError> {
        let mut errs = Errors::default();
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            errs.push("name", "姓名不能为空");
        } else if name.chars().count() > 50 {
            errs.push("name", "姓名不能超过50个字");
        }
        let id_card = if self.id_card_no.trim().is_empty() {
            errs.push("id_card_no", "身份证号不能为空");
            None
        } else {
            take(&mut errs, IdCardNo::parse(&self.id_card_no))
        };
        let gender = match clean(Some(&self.gender)) {
            Some(g) => take(&mut errs, Gender::parse(&g)),
            None => id_card.as_ref().map(gender_of),
        };
        if let (Some(g), Some(id)) = (gender, id_card.as_ref()) {
            if g != gender_of(id) {
                errs.push("gender", format!("性别“{}”与身份证号不一致", g.label()));
            }
        }
        let birth = opt_date(&mut errs, "birth_date", "出生日期", Some(&self.birth_date));
        if let (Some(b), Some(id)) = (birth, id_card.as_ref()) {
            if b != id.birth_date() {
                errs.push("birth_date", format!("出生日期{b}与身份证号中的出生日期{}不一致", id.birth_date()));
            }
        }
        let birth_date = birth.or_else(|| id_card.as_ref().map(IdCardNo::birth_date));
        let ethnicity = clean(Some(&self.ethnicity));
        if let Some(e) = &ethnicity {
            if !is_ethnicity(e) {
                errs.push("ethnicity", format!("民族“{e}”不是56个民族之一，应写全称，如“汉族”"));
            }
        }
        let education = clean(Some(&self.education)).and_then(|s| take(&mut errs, Education::parse(&s)));
        let phone = clean(Some(&self.phone));
        if let Some(p) = &phone {
            if !valid_phone(p) {
                errs.push("phone", format!("联系电话“{p}”格式不正确"));
            }
        }
        let joined_on = opt_date(&mut errs, "joined_on", "入党日期", Some(&self.joined_on));
        if self.joined_on.trim().is_empty() {
            errs.push("joined_on", "入党日期不能为空");
        }
        let full_on = opt_date(&mut errs, "full_on", "转正日期", Some(&self.full_on));
        let status = match clean(Some(&self.status)) {
            Some(s) => take(&mut errs, MemberStatus::parse(&s)),
            None if full_on.is_some() => Some(MemberStatus::Full),
            None => Some(MemberStatus::Probationary),
        };
        match status {
            Some(MemberStatus::Full) if full_on.is_none() && !self.full_on.trim().is_empty() => {}
            Some(MemberStatus::Full) if full_on.is_none() => errs.push("full_on", "正式党员应填写转正日期"),
            Some(MemberStatus::Probationary) if full_on.is_some() => {
                errs.push("full_on", "预备党员不应有转正日期")
            }
            Some(s) if !s.is_active() => errs.push(
                "status",
                format!("新登记的党员状态只能是正式党员或预备党员，“{}”请通过党员变动办理", s.label()),
            ),
            _ => {}
        }
        for (field, label, d) in [("joined_on", "入党日期", joined_on), ("full_on", "转正日期", full_on)] {
            if d.is_some_and(|d| d > today) {
                errs.push(field, format!("{label}不能晚于今天"));
            }
        }
        if let (Some(j), Some(f)) = (joined_on, full_on) {
            if f <= j {
                errs.push("full_on", "转正日期应晚于入党日期");
            }
        }
        if let (Some(b), Some(j)) = (birth_date, joined_on) {
            // 党章 第一条: 年满十八岁
            if age_on(b, j) < 18 {
                errs.push("joined_on", "入党时应年满十八周岁（《中国共产党章程》第一条）");
            }
        }
        let dues_category = match clean(Some(&self.dues_category)) {
            Some(s) => take(&mut errs, DuesCategory::parse(&s)),
            None => {
                errs.push("dues_category", "党费类别不能为空");
                None
            }
        };
        let is_party_worker = match self.is_party_worker.trim() {
            "" | "否" | "false" | "0" | "no" => false,
            "是" | "true" | "1" | "yes" | "on" => true,
            other => {
                errs.push("is_party_worker", format!("党务工作者应填“是”或“否”，不是“{other}”"));
                false
            }
        };
        let org_id = clean(Some(&self.org_id)).and_then(|s| match OrgId::parse(&s) {
            Ok(id) => Some(id),
            Err(_) => {
                errs.push("org_id", format!("所在党组织编号格式不正确：{s}"));
                None
            }
        });
        let work_unit = clean(Some(&self.work_unit));
        let post = clean(Some(&self.post));
        if !errs.is_empty() {
            return Err(DomainError::Invalid(errs.0));
        }
        Ok(MemberDraft {
            name,
            gender: gender.expect("checked"),
            ethnicity,
            birth_date: birth_date.expect("checked"),
            id_card_no: id_card.expect("checked"),
            education,
            phone,
            joined_on: joined_on.expect("checked"),
            full_on,
            status: status.expect("checked"),
            dues_category: dues_category.expect("checked"),
            work_unit,
            post,
            is_party_worker,
            org_id,
        })
    }
}

fn take<T>(errs: &mut Errors, r: Result<T, DomainError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(DomainError::Invalid(v)) => {
            errs.0.extend(v);
            None
        }
        Err(e) => {
            errs.push(e.first_field().unwrap_or("input"), e.to_string());
            None
        }
    }
}

fn gender_of(id: &IdCardNo) -> Gender {
    if id.is_male() { Gender::Male } else { Gender::Female }
}

/// Whole years between `birth` and `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// Mobile numbers (11 digits starting 1) or landlines such as 0535-1234567.
fn valid_phone(p: &str) -> bool {
    let digits: String = p.chars().filter(|c| *c != '-' && *c != ' ').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    (digits.len() == 11 && digits.starts_with('1')) || (7..=12).contains(&digits.len()) && !digits.starts_with('1')
}

#[cfg(test)]
mod tests;
