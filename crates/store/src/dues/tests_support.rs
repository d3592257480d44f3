//! A small bureau for the dues tests: a committee with two branches and a few members, on
//! SQLite in a temporary directory, or on a scratch PostgreSQL database when
//! `DANGWU_TEST_DATABASE_URL` names an admin connection (created here and dropped by `close`).

use chrono::NaiveDate;
use dangwu_domain::auth::{Principal, Role};
use dangwu_domain::crypto::FieldKeys;
use dangwu_domain::idcard::check_char;
use dangwu_domain::member::MemberInput;
use dangwu_domain::org::{OrgInput, OrgPath};
use dangwu_domain::org_catalogue::OrgCatalogue;
use dangwu_domain::{MemberId, UserId};
use std::path::PathBuf;

use crate::audit::Actor;
use crate::orgs::{self, Org};
use crate::{Db, Store, members};

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn admin() -> Principal {
    Principal { user_id: UserId::from_u128(1), username: "t".into(), display_name: "T".into(), role: Role::Admin, scope: None, member_id: None }
}

pub fn secretary(scope: &Org) -> Principal {
    Principal { role: Role::OrgAdmin, scope: Some(OrgPath::from_stored(scope.path.clone())), username: "s".into(), ..admin() }
}

pub struct Fixture {
    pub store: Store,
    pub p: Principal,
    pub actor: Actor,
    pub committee: Org,
    pub branch: Org,
    pub other: Org,
    dir: PathBuf,
    pg: Option<(String, String)>,
    seq: std::cell::Cell<u32>,
}

impl Fixture {
    pub async fn new() -> Fixture {
        let dir = std::env::temp_dir().join(format!("dangwu-dues-{}", dangwu_domain::ids::new_row_id()));
        let admin_url = std::env::var("DANGWU_TEST_DATABASE_URL").ok().filter(|s| !s.trim().is_empty());
        let (db, pg) = match admin_url {
            None => (Db::open_sqlite(&dir).await.unwrap(), None),
            Some(admin) => {
                use sqlx::Connection;
                let name = format!("dangwu_dues_{}", dangwu_domain::ids::new_row_id().replace('-', "")[20..].to_owned());
                let mut c = sqlx::PgConnection::connect(&admin).await.unwrap();
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut c).await.unwrap();
                let url = match admin.rsplit_once('/') {
                    Some((base, _)) => format!("{base}/{name}"),
                    None => admin.clone(),
                };
                (Db::open_pg(&url).await.unwrap(), Some((admin, name)))
            }
        };
        db.migrate().await.unwrap();
        let store = Store::new(db, FieldKeys::from_master("k1", &[9u8; 32]), OrgCatalogue::shipped());
        let p = admin();
        let actor = Actor("test".into());
        let org = |name: &str, kind: &str, parent: Option<&Org>| OrgInput {
            name: name.into(),
            kind: kind.into(),
            parent_id: parent.map(|o| o.id.clone()),
            established_on: Some("2000-01-01".into()),
            ..Default::default()
        };
        let today = day(2024, 1, 1);
        let mk = |i: OrgInput| {
            let (store, p, actor) = (&store, &p, &actor);
            async move { orgs::create(store, p, actor, i.validate(&store.catalogue, today).unwrap()).await.unwrap() }
        };
        let committee = mk(org("测试机关党委", "organ_committee", None)).await;
        let branch = mk(org("测试第一党支部", "branch", Some(&committee))).await;
        let other = mk(org("测试第二党支部", "branch", Some(&committee))).await;
        Fixture { store, p, actor, committee, branch, other, dir, pg, seq: std::cell::Cell::new(0) }
    }

    /// Registers a member of `org`: full (with `full_on`) or probationary, in `category`.
    pub async fn member(&self, org: &Org, name: &str, joined: NaiveDate, full: Option<NaiveDate>, category: &str) -> MemberId {
        let n = self.seq.get() + 1;
        self.seq.set(n);
        use chrono::Datelike;
        let born = (joined.year() - 25).min(1980);
        let first17 = format!("110105{born}01{:02}{:03}", 1 + n % 28, 100 + 2 * n + 1);
        let id = format!("{first17}{}", check_char(&first17));
        let input = MemberInput {
            name: name.into(),
            id_card_no: id,
            joined_on: joined.to_string(),
            full_on: full.map(|d| d.to_string()).unwrap_or_default(),
            status: if full.is_some() { "full".into() } else { "probationary".into() },
            dues_category: category.into(),
            org_id: org.id.clone(),
            ..Default::default()
        };
        let draft = input.validate(day(2024, 6, 1)).unwrap_or_else(|e| panic!("{name}: {e}"));
        members::create(&self.store, &self.p, &self.actor, draft, joined).await.unwrap().member_id()
    }

    pub async fn count(&self, table: &str) -> i64 {
        self.store.db.read().scalar(&format!("SELECT COUNT(*) FROM {table}"), vec![]).await.unwrap()
    }

    /// Audit entries so far (every write appends one).
    pub async fn audit(&self) -> i64 {
        self.count("audit_log").await
    }

    pub async fn close(self) {
        self.store.db.close().await;
        if let Some((admin, name)) = &self.pg {
            use sqlx::Connection;
            let mut c = sqlx::PgConnection::connect(admin).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name}"))).execute(&mut c).await.unwrap();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
