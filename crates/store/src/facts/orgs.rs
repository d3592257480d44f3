//! The organisation and the period themselves: names for titles, org counts.

use dangwu_domain::facts::{FactDoc, FactSet, FactValue, RecordRef};
use dangwu_domain::period::Period;

use super::FactScope;
use crate::orgs::Org;
use crate::{Store, StoreError};

pub const CATALOGUE: &[FactDoc] = &[
    FactDoc { name: "org_name", label: "党组织名称", doc: "报告所针对的党组织的全称" },
    FactDoc { name: "org_unit", label: "单位名称", doc: "该党组织所在单位（未填写时为党组织简称或全称）" },
    FactDoc { name: "period_name", label: "期间", doc: "如 2022年第一季度、2022年" },
    FactDoc { name: "period_short", label: "期间简称", doc: "如 一季度、3月、全年" },
    FactDoc { name: "orgs_total", label: "党组织数", doc: "子树内期末存续的党组织（含本级）" },
    FactDoc { name: "orgs_branches", label: "党支部数", doc: "其中党支部" },
    FactDoc {
        name: "orgs_affiliated",
        label: "直属单位党组织数",
        doc: "子树内所在单位不属于本级单位的党组织（每个直属单位计其最上一级党组织），如局直属5个党组织",
    },
];

fn short(p: Period) -> String {
    const Q: [&str; 4] = ["一", "二", "三", "四"];
    match p {
        Period::Quarter { quarter, .. } => format!("{}季度", Q[quarter as usize - 1]),
        Period::Month { month, .. } => format!("{month}月"),
        Period::Year { .. } => "全年".into(),
    }
}

pub async fn collect(store: &Store, scope: &FactScope, out: &mut FactSet) -> Result<(), StoreError> {
    let root = &scope.root;
    let org = RecordRef::new("org", root.id.clone());
    out.insert("org_name", FactValue::Text(root.name.clone()), vec![org.clone()]);
    let unit = root.unit.clone().filter(|u| !u.trim().is_empty()).or(root.short_name.clone()).unwrap_or(root.name.clone());
    out.insert("org_unit", FactValue::Text(unit.clone()), vec![org]);
    out.insert("period_name", FactValue::Text(scope.period.label()), vec![]);
    out.insert("period_short", FactValue::Text(short(scope.period)), vec![]);

    let (cond, mut a) = scope.subtree(1);
    let end = scope.period.end();
    a.push(end.into());
    let sql = format!(
        "SELECT o.* FROM orgs o WHERE {cond} AND (o.established_on IS NULL OR o.established_on <= $3) \
         AND (o.abolished_on IS NULL OR o.abolished_on > $3) ORDER BY o.path"
    );
    let orgs: Vec<Org> = store.db.read().all(&sql, a).await?;
    let refs = |f: &dyn Fn(&Org) -> bool| orgs.iter().filter(|&o| f(o)).map(|o| RecordRef::new("org", o.id.clone())).collect::<Vec<_>>();
    out.count("orgs_total", refs(&|_: &Org| true));
    out.count("orgs_branches", refs(&|o: &Org| o.kind == "branch"));
    let unit_of = |o: &Org| o.unit.clone().unwrap_or_default();
    let parent_unit = |o: &Org| o.parent_id.as_ref().and_then(|p| orgs.iter().find(|x| &x.id == p)).map(unit_of);
    out.count(
        "orgs_affiliated",
        refs(&|o: &Org| {
            let u = unit_of(o);
            !u.is_empty() && !u.starts_with(unit.as_str()) && parent_unit(o).as_deref() != Some(u.as_str())
        }),
    );
    Ok(())
}
