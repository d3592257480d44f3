//! Query-string parameters, read as text and checked here so every problem names its parameter.

use dangwu_domain::date::parse_date;
use dangwu_domain::error::Errors;
use dangwu_domain::member::MemberStatus;
use dangwu_domain::period::Period;
use dangwu_domain::rulebook::Rulebook;
use dangwu_domain::{DomainError, OrgId};
use dangwu_store::activities::ActivityFilter;
use dangwu_store::members::{MemberFilter, StatusFilter};
use serde::Deserialize;
use utoipa::IntoParams;

pub const DEFAULT_PER_PAGE: u32 = 50;
pub const MAX_PER_PAGE: u32 = 500;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgListQuery {
    /// 是否包含已撤销的组织（默认 false）
    #[param(value_type = Option<bool>)]
    pub include_abolished: Option<String>,
}

impl OrgListQuery {
    pub fn include_abolished(&self) -> Result<bool, DomainError> {
        parse_bool("include_abolished", "包含已撤销组织", self.include_abolished.as_deref())
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberQuery {
    /// 只列出该党组织及其下级组织的党员
    #[param(value_type = Option<String>, format = "uuid")]
    pub org_id: Option<String>,
    /// 按姓名、电话、工作单位、职务查找（包含）；完整身份证号精确查找
    pub q: Option<String>,
    /// `active`（默认：正式和预备党员）、`all`，或一个状态标识如 `full`、`transferred_out`
    #[param(example = "active")]
    pub status: Option<String>,
    /// 页码，从1开始（默认1）
    #[param(value_type = Option<u32>, minimum = 1)]
    pub page: Option<String>,
    /// 每页条数，1–500（默认50）
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    pub per_page: Option<String>,
}

impl MemberQuery {
    /// The store's filter, or every problem with the parameters at once.
    pub fn filter(&self) -> Result<MemberFilter, DomainError> {
        let mut errs = Errors::default();
        let org_id = match non_empty(self.org_id.as_deref()) {
            None => None,
            Some(s) => OrgId::parse(s).map_err(|_| errs.push("org_id", format!("所在党组织编号（org_id）格式不正确：“{s}”"))).ok(),
        };
        let status = match non_empty(self.status.as_deref()) {
            None | Some("active") => StatusFilter::Active,
            Some("all") => StatusFilter::All,
            Some(s) => match MemberStatus::parse(s) {
                Ok(st) => StatusFilter::Only(st),
                Err(_) => {
                    let codes: Vec<&str> = MemberStatus::ALL.iter().map(|s| s.code()).collect();
                    errs.push("status", format!("党员状态（status）“{s}”无效，可选：active、all、{}", codes.join("、")));
                    StatusFilter::Active
                }
            },
        };
        let page = positive(&mut errs, "page", "页码", self.page.as_deref(), 1, u32::MAX);
        let per_page = positive(&mut errs, "per_page", "每页条数", self.per_page.as_deref(), DEFAULT_PER_PAGE, MAX_PER_PAGE);
        let q = non_empty(self.q.as_deref()).map(str::to_owned);
        errs.finish(|| MemberFilter { org_id, q, status, page, per_page })
    }
}

pub const DEFAULT_ACTIVITY_LIMIT: u32 = 500;
pub const MAX_ACTIVITY_LIMIT: u32 = 5000;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    /// 只列出该党组织及其下级组织的活动
    #[param(value_type = Option<String>, format = "uuid")]
    pub org_id: Option<String>,
    /// 起始日期（含），如 2022-01-01
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// 截止日期（含），如 2022-03-31
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
    /// 活动类型标识，如 `branch_assembly`
    pub kind: Option<String>,
    /// 最多返回条数，1–5000（默认500）
    #[param(value_type = Option<u32>, minimum = 1, maximum = 5000)]
    pub limit: Option<String>,
}

impl ActivityQuery {
    /// The store's filter, or every problem with the parameters at once.
    pub fn filter(&self, book: &Rulebook) -> Result<ActivityFilter, DomainError> {
        let mut errs = Errors::default();
        let org_id = match non_empty(self.org_id.as_deref()) {
            None => None,
            Some(s) => OrgId::parse(s).map_err(|_| errs.push("org_id", format!("党组织编号（org_id）格式不正确：“{s}”"))).ok(),
        };
        let mut date = |field: &str, label: &str, v: Option<&str>| match non_empty(v) {
            None => None,
            Some(s) => parse_date(s).or_else(|| {
                errs.push(field, format!("{label}（{field}）“{s}”不是有效日期，应写作 2022-03-31"));
                None
            }),
        };
        let from = date("from", "起始日期", self.from.as_deref());
        let to = date("to", "截止日期", self.to.as_deref());
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            errs.push("to", format!("截止日期（to）{t}早于起始日期（from）{f}"));
        }
        let kind = non_empty(self.kind.as_deref()).map(str::to_owned);
        if let Some(k) = &kind
            && book.kind(k).is_none()
        {
            errs.push("kind", format!("活动类型（kind）“{k}”不存在"));
        }
        let limit = positive(&mut errs, "limit", "最多返回条数", self.limit.as_deref(), DEFAULT_ACTIVITY_LIMIT, MAX_ACTIVITY_LIMIT);
        errs.finish(|| ActivityFilter { org_id, from, to, kind, limit: i64::from(limit) })
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComplianceQuery {
    /// 只检查该党组织及其下级组织（默认：本人可见的全部）
    #[param(value_type = Option<String>, format = "uuid")]
    pub org_id: Option<String>,
    /// 期间（必填）：`2022-03`（月）、`2022Q1`（季度）或 `2022`（年）
    #[param(required = true, value_type = String, example = "2022Q1")]
    pub period: Option<String>,
}

impl ComplianceQuery {
    pub fn parse(&self) -> Result<(Option<OrgId>, Period), DomainError> {
        let mut errs = Errors::default();
        let org_id = match non_empty(self.org_id.as_deref()) {
            None => None,
            Some(s) => OrgId::parse(s).map_err(|_| errs.push("org_id", format!("党组织编号（org_id）格式不正确：“{s}”"))).ok(),
        };
        let period = match non_empty(self.period.as_deref()) {
            None => {
                errs.push("period", "请指定期间（period），如 2022-03、2022Q1 或 2022");
                None
            }
            Some(s) => Period::parse(s)
                .map_err(|_| errs.push("period", format!("期间（period）“{s}”格式不正确，应写作 2022-03（月）、2022Q1（季度）或 2022（年）")))
                .ok(),
        };
        errs.finish(|| (org_id, period.expect("checked")))
    }
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

fn positive(errs: &mut Errors, field: &str, label: &str, s: Option<&str>, default: u32, max: u32) -> u32 {
    match non_empty(s) {
        None => default,
        Some(s) => match s.parse::<u32>() {
            Ok(n) if (1..=max).contains(&n) => n,
            _ if max < u32::MAX => {
                errs.push(field, format!("{label}（{field}）应为1到{max}之间的整数，不是“{s}”"));
                default
            }
            _ => {
                errs.push(field, format!("{label}（{field}）应为正整数，不是“{s}”"));
                default
            }
        },
    }
}

fn parse_bool(field: &str, label: &str, s: Option<&str>) -> Result<bool, DomainError> {
    match non_empty(s) {
        None | Some("false" | "0" | "否" | "no") => Ok(false),
        Some("true" | "1" | "是" | "yes") => Ok(true),
        Some(other) => Err(DomainError::field(field, format!("{label}（{field}）应为 true 或 false，不是“{other}”"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(org: Option<&str>, status: Option<&str>, page: Option<&str>, per: Option<&str>) -> MemberQuery {
        MemberQuery {
            org_id: org.map(Into::into),
            q: Some("  ".into()),
            status: status.map(Into::into),
            page: page.map(Into::into),
            per_page: per.map(Into::into),
        }
    }

    #[test]
    fn defaults_and_codes() {
        let f = q(None, None, None, None).filter().unwrap();
        assert_eq!((f.status, f.page, f.per_page, f.q), (StatusFilter::Active, 1, DEFAULT_PER_PAGE, None));
        assert_eq!(q(None, Some("all"), None, None).filter().unwrap().status, StatusFilter::All);
        let f = q(None, Some("transferred_out"), Some("3"), Some("20")).filter().unwrap();
        assert_eq!((f.status, f.page, f.per_page), (StatusFilter::Only(MemberStatus::TransferredOut), 3, 20));
        assert_eq!(q(None, Some("正式党员"), None, None).filter().unwrap().status, StatusFilter::Only(MemberStatus::Full));
    }

    #[test]
    fn every_bad_parameter_is_named() {
        let DomainError::Invalid(errs) = q(Some("x"), Some("bogus"), Some("0"), Some("501")).filter().unwrap_err() else {
            panic!("expected field errors")
        };
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["org_id", "status", "page", "per_page"]);
        assert!(errs[3].message.contains("1到500"), "{}", errs[3].message);
    }

    #[test]
    fn activity_and_compliance_parameters() {
        let book = Rulebook::shipped(&dangwu_domain::org_catalogue::OrgCatalogue::shipped());
        let a = |org: &str, from: &str, to: &str, kind: &str, limit: &str| ActivityQuery {
            org_id: Some(org.into()),
            from: Some(from.into()),
            to: Some(to.into()),
            kind: Some(kind.into()),
            limit: Some(limit.into()),
        };
        let f = a("", "2022-01-01", "2022/3/31", "theme_day", "").filter(&book).unwrap();
        assert_eq!((f.from.unwrap().to_string(), f.to.unwrap().to_string(), f.kind.as_deref(), f.limit), ("2022-01-01".into(), "2022-03-31".into(), Some("theme_day"), 500));
        let DomainError::Invalid(errs) = a("x", "2022-02-30", "", "chat", "0").filter(&book).unwrap_err() else { panic!() };
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["org_id", "from", "kind", "limit"]);
        assert_eq!(a("", "2022-03-01", "2022-01-01", "", "").filter(&book).unwrap_err().first_field(), Some("to"));

        let c = |period: Option<&str>| ComplianceQuery { org_id: None, period: period.map(Into::into) };
        assert_eq!(c(Some("2022Q1")).parse().unwrap().1.to_string(), "2022Q1");
        assert_eq!(c(None).parse().unwrap_err().first_field(), Some("period"));
        assert_eq!(c(Some("2022Q5")).parse().unwrap_err().first_field(), Some("period"));
    }

    #[test]
    fn include_abolished_flag() {
        let f = |s: Option<&str>| OrgListQuery { include_abolished: s.map(Into::into) }.include_abolished();
        assert_eq!(f(None), Ok(false));
        assert_eq!(f(Some("true")), Ok(true));
        assert_eq!(f(Some("否")), Ok(false));
        assert_eq!(f(Some("maybe")).unwrap_err().first_field(), Some("include_abolished"));
    }
}
