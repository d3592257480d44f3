//! Query parameters of the dues endpoints, read as text and checked here so that every problem
//! names its parameter.

use chrono::NaiveDate;
use dangwu_domain::date::parse_date;
use dangwu_domain::error::Errors;
use dangwu_domain::member::DuesCategory;
use dangwu_domain::money::Fen;
use dangwu_domain::period::Period;
use dangwu_domain::{DomainError, OrgId};
use serde::Deserialize;
use utoipa::IntoParams;

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

fn org(errs: &mut Errors, s: Option<&str>, required: bool) -> Option<OrgId> {
    match non_empty(s) {
        None if required => {
            errs.push("org_id", "请指定党组织（org_id）");
            None
        }
        None => None,
        Some(s) => OrgId::parse(s).map_err(|_| errs.push("org_id", format!("党组织编号（org_id）格式不正确：“{s}”"))).ok(),
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalcQuery {
    /// 党费类别（必填）：`in_service`、`retired`、`student`、`farmer`、`unemployed`、`low_income`、`other` 或中文名称
    #[param(required = true, value_type = String, example = "in_service")]
    pub category: Option<String>,
    /// 计算基数（元，按比例交纳的类别必填），如 `5100.00`
    #[param(value_type = Option<String>, example = "5100.00")]
    pub base: Option<String>,
    /// 农民党员在0.20–1.00元之间确定的月交纳额（元）
    #[param(value_type = Option<String>)]
    pub flat: Option<String>,
}

impl CalcQuery {
    pub fn parse(&self) -> Result<(DuesCategory, Option<Fen>, Option<Fen>), DomainError> {
        let mut errs = Errors::default();
        let category = match non_empty(self.category.as_deref()) {
            None => {
                errs.push("category", "请指定党费类别（category），如 in_service");
                None
            }
            Some(s) => DuesCategory::parse(s).map_err(|e| errs.push("category", format!("党费类别（category）：{}", inner(e)))).ok(),
        };
        let mut money = |field: &str, v: Option<&str>| match non_empty(v) {
            None => None,
            Some(s) => Fen::parse_non_negative(s, field).map_err(|e| errs.push(field, inner(e))).ok(),
        };
        let base = money("base", self.base.as_deref());
        let flat = money("flat", self.flat.as_deref());
        errs.finish(|| (category.expect("checked"), base, flat))
    }
}

fn inner(e: DomainError) -> String {
    match e {
        DomainError::Invalid(v) => v.into_iter().map(|f| f.message).collect::<Vec<_>>().join("；"),
        other => other.to_string(),
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VerificationQuery {
    /// 党组织编号（必填）：列出该党组织及其下级的党员
    #[param(required = true, value_type = String, format = "uuid")]
    pub org_id: Option<String>,
    /// 年度（必填），如 `2022`
    #[param(required = true, value_type = i32, example = 2022)]
    pub year: Option<String>,
}

impl VerificationQuery {
    pub fn parse(&self) -> Result<(OrgId, i32), DomainError> {
        let mut errs = Errors::default();
        let org_id = org(&mut errs, self.org_id.as_deref(), true);
        let year = match non_empty(self.year.as_deref()) {
            None => {
                errs.push("year", "请指定年度（year），如 2022");
                None
            }
            Some(s) => match s.parse::<i32>() {
                Ok(y) if (2000..=2100).contains(&y) => Some(y),
                _ => {
                    errs.push("year", format!("年度（year）应为如 2022 的四位年份，不是“{s}”"));
                    None
                }
            },
        };
        errs.finish(|| (org_id.expect("checked"), year.expect("checked")))
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArrearsQuery {
    /// 只查该党组织及其下级（默认：本人可见的全部）
    #[param(value_type = Option<String>, format = "uuid")]
    pub org_id: Option<String>,
    /// 截至日期（默认今天）：计到该日所在月份的上一个月
    #[param(value_type = Option<String>, format = Date, example = "2022-04-15")]
    pub as_of: Option<String>,
}

impl ArrearsQuery {
    pub fn parse(&self, today: NaiveDate) -> Result<(Option<OrgId>, NaiveDate), DomainError> {
        let mut errs = Errors::default();
        let org_id = org(&mut errs, self.org_id.as_deref(), false);
        let as_of = match non_empty(self.as_of.as_deref()) {
            None => Some(today),
            Some(s) => parse_date(s).or_else(|| {
                errs.push("as_of", format!("截至日期（as_of）“{s}”不是有效日期，应写作 2022-04-15"));
                None
            }),
        };
        errs.finish(|| (org_id, as_of.expect("checked")))
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReconciliationQuery {
    /// 党组织编号（必填）
    #[param(required = true, value_type = String, format = "uuid")]
    pub org_id: Option<String>,
    /// 上缴期间（必填），按规则中的上缴周期，如 `2022Q1`
    #[param(required = true, value_type = String, example = "2022Q1")]
    pub period: Option<String>,
}

impl ReconciliationQuery {
    pub fn parse(&self) -> Result<(OrgId, Period), DomainError> {
        let mut errs = Errors::default();
        let org_id = org(&mut errs, self.org_id.as_deref(), true);
        let period = match non_empty(self.period.as_deref()) {
            None => {
                errs.push("period", "请指定期间（period），如 2022Q1");
                None
            }
            Some(s) => Period::parse(s).map_err(|_| errs.push("period", format!("期间（period）“{s}”格式不正确，如 2022Q1"))).ok(),
        };
        errs.finish(|| (org_id.expect("checked"), period.expect("checked")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_parameter_is_named() {
        let c = CalcQuery { category: Some("在职".into()), base: Some("5,100".into()), flat: None };
        assert_eq!(c.parse().unwrap(), (DuesCategory::InService, Some(Fen(510000)), None));
        let c = CalcQuery { category: Some("x".into()), base: Some("-1".into()), flat: Some("abc".into()) };
        let DomainError::Invalid(errs) = c.parse().unwrap_err() else { panic!() };
        assert_eq!(errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["category", "base", "flat"]);
        let v = VerificationQuery { org_id: None, year: Some("22".into()) };
        let DomainError::Invalid(errs) = v.parse().unwrap_err() else { panic!() };
        assert_eq!(errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["org_id", "year"]);
        let today = NaiveDate::from_ymd_opt(2022, 4, 15).unwrap();
        assert_eq!(ArrearsQuery::default().parse(today).unwrap(), (None, today));
        assert_eq!(ArrearsQuery { as_of: Some("昨天".into()), ..Default::default() }.parse(today).unwrap_err().first_field(), Some("as_of"));
        let r = ReconciliationQuery { org_id: Some(OrgId::new().to_string()), period: Some("2022Q5".into()) };
        assert_eq!(r.parse().unwrap_err().first_field(), Some("period"));
    }
}
