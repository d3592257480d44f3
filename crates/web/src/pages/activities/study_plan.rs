//! 学习方案: an organisation's yearly study plan, month by month, beside the sittings that carried
//! each item out; forms to set up the plan and add items.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use dangwu_domain::OrgId;
use dangwu_store::orgs::{self, Org};
use dangwu_store::study_plans::{self, Plan};
use dangwu_store::materials;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::csrf::CsrfForm;
use crate::pages::kit::{FieldErrors, Opt, Problems, Values, org_id, see_other, staff_only, today};
use crate::render::{Layout, html_status};
use crate::{AppState, WebError};

const FIELDS: &[&str] = &["year", "title", "month", "topic", "form", "material_id"];

pub struct Done {
    pub id: String,
    pub held_on: NaiveDate,
    pub title: String,
}

pub struct ItemView {
    pub topic: String,
    pub form: String,
    pub material: String,
    pub done: Vec<Done>,
    /// ("已落实", "ok") / ("未见记录", "bad") / ("未到月份", "")
    pub status: (&'static str, &'static str),
}

pub struct MonthGroup {
    pub month: i64,
    pub items: Vec<ItemView>,
}

#[derive(Template)]
#[template(path = "study_plan.html")]
struct PlanPage {
    layout: Layout,
    org: Org,
    year: i32,
    plan: Option<Plan>,
    months: Vec<MonthGroup>,
    planned: usize,
    carried_out: usize,
    writable: bool,
    month_opts: Vec<Opt>,
    material_opts: Vec<Opt>,
    /// Which form the errors belong to: "plan" or "item".
    failed: &'static str,
    errors: FieldErrors,
    v: Values,
}

/// An item's state: carried out, or (once its month has begun) not seen in the records.
pub fn item_status(done: bool, year: i32, month: i64, today: NaiveDate) -> (&'static str, &'static str) {
    let begun = (year, month) <= (today.year(), i64::from(today.month()));
    match (done, begun) {
        (true, _) => ("已落实", "ok"),
        (false, true) => ("未见记录", "bad"),
        (false, false) => ("未到月份", ""),
    }
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    ok: Option<String>,
}

fn year_of(s: &str) -> i32 {
    s.trim().parse::<i32>().ok().filter(|y| (2000..=2100).contains(y)).unwrap_or_else(|| today().year())
}

/// What the page shows besides the plan: a notice, or a form that failed with its values.
struct Shown {
    notice: Option<String>,
    /// "plan", "item" or "" (nothing failed).
    failed: &'static str,
    v: Values,
    status: StatusCode,
    errors: FieldErrors,
}

impl Shown {
    fn failed(failed: &'static str, v: Values, (status, errors): (StatusCode, FieldErrors)) -> Self {
        Shown { notice: None, failed, v, status, errors }
    }
}

async fn render(state: &AppState, user: &CurrentUser, id: OrgId, year: i32, shown: Shown) -> Result<Response, WebError> {
    let Shown { notice, failed, v, status, errors } = shown;
    let p = &user.principal;
    let org = orgs::get(&state.store, p, id).await?;
    let catalogue = materials::list(&state.store).await?;
    let title_of = |m: &Option<String>| m.as_ref().and_then(|id| catalogue.iter().find(|c| &c.id == id)).map(|c| c.title.clone()).unwrap_or_default();
    let (plan, items) = match study_plans::progress(&state.store, p, id, year).await? {
        Some((plan, items)) => (Some(plan), items),
        None => (None, vec![]),
    };
    let today = today();
    let planned = items.len();
    let carried_out = items.iter().filter(|i| !i.done_by.is_empty()).count();
    let mut months: Vec<MonthGroup> = Vec::new();
    for ip in items {
        let view = ItemView {
            status: item_status(!ip.done_by.is_empty(), year, ip.item.month, today),
            topic: ip.item.topic.clone(),
            form: ip.item.form.clone().unwrap_or_default(),
            material: title_of(&ip.item.material_id),
            done: ip.done_by.into_iter().map(|(id, held_on, title)| Done { id, held_on, title }).collect(),
        };
        match months.last_mut() {
            Some(g) if g.month == ip.item.month => g.items.push(view),
            _ => months.push(MonthGroup { month: ip.item.month, items: vec![view] }),
        }
    }
    let month_opts = (1..=12).map(|m| Opt::new(m.to_string(), format!("{m}月"), v.get("month"))).collect();
    let material_opts = catalogue.iter().map(|m| Opt::new(m.id.clone(), m.title.clone(), v.get("material_id"))).collect();
    let page = PlanPage {
        layout: Layout::new(user, format!("{}{year}年学习方案", org.name), "orgs").notice(notice),
        writable: p.can_write_org(&org.org_path()),
        org,
        year,
        plan,
        months,
        planned,
        carried_out,
        month_opts,
        material_opts,
        failed,
        errors,
        v,
    };
    Ok(html_status(status, &page))
}

pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(q): Query<YearQuery>) -> Result<Response, WebError> {
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    let year = year_of(&q.year);
    let mut v = Values::default();
    v.set("month", today().month().to_string());
    let shown = Shown { notice: q.ok, failed: "", v, status: StatusCode::OK, errors: FieldErrors::default() };
    render(&state, &user, org_id(&id)?, year, shown).await
}

#[derive(Deserialize, Default)]
pub struct PlanForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    title: String,
}

pub async fn create(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<PlanForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let oid = org_id(&id)?;
    let year = year_of(&form.year);
    match study_plans::create(&state.store, &user.principal, &user.actor(), oid, year, &form.title).await {
        Ok(_) => Ok(see_other(&format!("/orgs/{oid}/study-plan?year={year}"), "学习方案已建立")),
        Err(e) => {
            let shown = FieldErrors::from_error(e.into(), FIELDS)?;
            let mut v = Values::default();
            v.set("title", form.title);
            render(&state, &user, oid, year, Shown::failed("plan", v, shown)).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ItemForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    month: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    form: String,
    #[serde(default)]
    material_id: String,
}

pub async fn add_item(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<ItemForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let oid = org_id(&id)?;
    let year = year_of(&form.year);
    let result = async {
        let mut problems = Problems::default();
        let month = form.month.trim().parse::<u32>().ok();
        if month.is_none() {
            problems.push("month", "请选择月份");
        }
        // The item goes into this organisation's plan for the year, whatever else was posted.
        let plan = study_plans::progress(&state.store, &user.principal, oid, year).await?.map(|(plan, _)| plan);
        if plan.is_none() {
            problems.push("year", format!("{year}年尚未建立学习方案，请先建立方案"));
        }
        problems.finish()?;
        let plan_id = plan.map(|p| p.id).unwrap_or_default();
        let (form_s, material) = (Some(form.form.as_str()), Some(form.material_id.trim()).filter(|s| !s.is_empty()));
        Ok::<_, WebError>(study_plans::add_item(&state.store, &user.principal, &user.actor(), &plan_id, month.unwrap_or(0), &form.topic, form_s, material).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/orgs/{oid}/study-plan?year={year}"), "已加入学习方案")),
        Err(e) => {
            let shown = FieldErrors::from_error(e, FIELDS)?;
            let mut v = Values::default();
            for (k, s) in [("month", &form.month), ("topic", &form.topic), ("form", &form.form), ("material_id", &form.material_id)] {
                v.set(k, s.clone());
            }
            render(&state, &user, oid, year, Shown::failed("item", v, shown)).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_turn_red_only_once_their_month_has_begun() {
        let today = NaiveDate::from_ymd_opt(2022, 3, 15).unwrap();
        assert_eq!(item_status(true, 2022, 5, today).1, "ok");
        assert_eq!(item_status(false, 2022, 3, today).1, "bad");
        assert_eq!(item_status(false, 2022, 4, today).1, "");
        assert_eq!(item_status(false, 2021, 12, today).1, "bad");
        assert_eq!(item_status(false, 2023, 1, today).1, "");
        assert_eq!(year_of("1999"), today_year());
        assert_eq!(year_of(" 2022 "), 2022);
    }

    fn today_year() -> i32 {
        super::today().year()
    }
}
