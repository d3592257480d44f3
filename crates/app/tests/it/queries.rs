//! Issue 8's rule "no N+1 queries in compliance, reports or list pages", checked by counting the
//! statements each one sends on a generated city and on one four times its size: a query per
//! organisation, member or record would make the counts differ.

use chrono::Days;
use dangwu::synth::{GenSpec, generate};
use dangwu::{cli_actor, cli_principal};
use dangwu_domain::OrgId;
use dangwu_domain::period::Period;
use dangwu_store::activities::{self, ActivityFilter};
use dangwu_store::db::count_statements;
use dangwu_store::members::{self, MemberFilter};
use dangwu_store::{Store, compliance, reports, supervision};

use crate::harness::TestDb;

/// (what, statements) for each operation on a city of `orgs` organisations.
async fn counts(orgs: usize, members: usize) -> Vec<(&'static str, u64)> {
    let db = TestDb::new().await;
    let store: Store = db.store().await;
    let spec = GenSpec { orgs, members, years: 1, seed: 3, start_year: 2022 };
    let city = generate(&store, &cli_actor(), &spec).await.expect("gen");
    let root = OrgId::parse(&city.root_id).unwrap();
    let quarter = Period::parse("2022Q4").unwrap();
    let today = spec.end() + Days::new(1);
    let p = cli_principal();
    let mut out = Vec::new();

    let (c, n) = count_statements(compliance::check(&store, &p, Some(root), quarter, today)).await;
    assert!(!c.unwrap().findings.is_empty());
    out.push(("compliance", n));

    let (g, n) = count_statements(async {
        let scope = reports::scope(&store, &p, Some(root), quarter, today).await?;
        reports::generate(&store, scope, reports::template(&store, "quarterly")?, today).await
    })
    .await;
    g.expect("quarterly report");
    out.push(("quarterly report", n));

    let f = MemberFilter { org_id: Some(root), page: 2, per_page: 50, ..Default::default() };
    let (page, n) = count_statements(members::list(&store, &p, &f)).await;
    assert_eq!(page.unwrap().items.len(), 50);
    out.push(("roster page", n));

    let f = ActivityFilter { org_id: Some(root), from: None, to: None, kind: None, limit: 200 };
    let (acts, n) = count_statements(activities::list(&store, &p, &f)).await;
    assert_eq!(acts.unwrap().len(), 200);
    out.push(("activity list", n));

    let (ledgers, n) = count_statements(supervision::list(&store, &p)).await;
    assert!(!ledgers.unwrap().is_empty());
    out.push(("ledger list", n));
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compliance_reports_and_lists_send_as_many_statements_for_a_bigger_city() {
    let small = counts(30, 600).await;
    let large = counts(120, 2_400).await;
    assert_eq!(small, large, "statement counts (small city, then four times larger)");
}
