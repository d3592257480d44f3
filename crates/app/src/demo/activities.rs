//! The demo bureau's first quarter of 2022, as the seed report tells it (shared/seed): the study
//! materials catalogue, the 党组's 2022 study plan, every 党组会 with its 第一议题, monthly
//! 中心组 study, the Friday 周五学习日 on the four topics the report lists, the two 民主生活会
//! and the 党史学习教育总结大会, festival discipline notices, the 廉政家书, two warning films, the
//! January care visit to five households, and the branches' 三会一课 with a few realistic gaps:
//! 市全民健身服务中心党支部 held no 支委会 in February, 机关第三党小组 did not meet in March
//! (its members were deployed to community epidemic control), and 市竞技体育训练中心党支部's
//! assembly lacked a quorum (coaches away at winter training).
//!
//! Everything goes through `dangwu_store` (activities::create …), so each record is validated and
//! audited like one typed in. Attendance comes from each org's roster on the day; someone the
//! store does not count on an org's roster (the 党组's members, a 党小组's) is recorded as 列席.
//! Deterministic: a seeded RNG picks who was absent and why.

use std::collections::{HashMap, HashSet};

use anyhow::Context;
use chrono::NaiveDate;
use dangwu_domain::MemberId;
use dangwu_domain::activity::{ActivityInput, AttendeeInput};
use dangwu_domain::auth::Principal;
use dangwu_store::audit::Actor;
use dangwu_store::orgs::Org;
use dangwu_store::{Store, activities, materials, study_plans};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::bureau::BRANCHES;
use super::people::Kind;

const SEED: u64 = 2022_0331;

/// A demo member as the records need them.
#[derive(Debug, Clone)]
pub struct Roll {
    pub id: MemberId,
    pub name: String,
    /// Index into [`BRANCHES`].
    pub branch: usize,
    pub kind: Kind,
    pub joined_on: NaiveDate,
}

/// The organisations and people the quarter is recorded for.
pub struct Bureau<'a> {
    pub group: &'a Org,
    pub organ: &'a Org,
    /// In the order of [`BRANCHES`].
    pub branches: &'a [Org],
    /// The 党小组 of 机关党支部, in the order of its `cells`.
    pub cells: &'a [Org],
    /// Everyone, in generation order (per branch, leaders first).
    pub people: &'a [Roll],
}

#[derive(Debug, Clone, Default)]
pub struct QuarterSummary {
    pub activities: usize,
    pub materials: usize,
    pub plan_items: usize,
}

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, m, day).expect("valid date")
}

// ---- study materials -------------------------------------------------------------------------

const SIXTH_PLENUM: &str = "十九届六中全会精神";
const CITY_CONGRESS: &str = "市第十四次党代会精神";
const PARTY_SCHOOL: &str = "习近平总书记在2022年春季学期中央党校（国家行政学院）中青年干部培训班开班式上的重要讲话";
const TEN_FOURTEEN: &str = "习近平新时代中国特色社会主义思想“十个明确”“十四个坚持”";
const S_OLYMPICS: &str = "习近平总书记在北京考察2022年冬奥会、冬残奥会筹办备赛工作时的重要讲话";
const S_SEMINAR: &str = "习近平总书记在省部级主要领导干部学习贯彻党的十九届六中全会精神专题研讨班开班式上的重要讲话";
const S_CCDI: &str = "习近平总书记在十九届中央纪委六次全会上的重要讲话";
const S_STUDY36: &str = "习近平总书记在十九届中共中央政治局第三十六次集体学习时的重要讲话";
const S_NPC: &str = "习近平总书记在参加十三届全国人大五次会议内蒙古代表团审议时的重要讲话";
const S_COVID: &str = "习近平总书记在中共中央政治局常务委员会会议上关于新冠肺炎疫情防控工作的重要讲话";

/// (title, kind, issued on (y, m, d), source)
type MaterialSpec = (&'static str, &'static str, (i32, u32, u32), &'static str);

const MATERIALS: &[MaterialSpec] = &[
    (SIXTH_PLENUM, "meeting_spirit", (2021, 11, 11), "党的十九届六中全会公报、《中共中央关于党的百年奋斗重大成就和历史经验的决议》"),
    (TEN_FOURTEEN, "theory", (2021, 11, 16), "《中共中央关于党的百年奋斗重大成就和历史经验的决议》"),
    (CITY_CONGRESS, "meeting_spirit", (2021, 12, 24), "中国共产党海滨市第十四次代表大会报告"),
    (S_OLYMPICS, "speech", (2022, 1, 4), "新华社"),
    (S_SEMINAR, "speech", (2022, 1, 11), "新华社"),
    (S_CCDI, "speech", (2022, 1, 18), "新华社"),
    (S_STUDY36, "speech", (2022, 1, 24), "新华社"),
    (PARTY_SCHOOL, "speech", (2022, 3, 1), "《求是》、新华社"),
    (S_NPC, "speech", (2022, 3, 5), "新华社"),
    (S_COVID, "speech", (2022, 3, 17), "新华社"),
];

// ---- writing -----------------------------------------------------------------------------------

struct Writer<'a> {
    store: &'a Store,
    p: &'a Principal,
    actor: &'a Actor,
    today: NaiveDate,
    rng: StdRng,
    rosters: HashMap<String, HashSet<MemberId>>,
    materials: HashMap<&'static str, String>,
    written: usize,
}

/// Who sits in a meeting and, if absent, why (None: present).
type Call<'r> = Vec<(&'r Roll, Option<String>)>;

impl Writer<'_> {
    async fn roster(&mut self, org: &Org) -> anyhow::Result<HashSet<MemberId>> {
        if let Some(r) = self.rosters.get(&org.id) {
            return Ok(r.clone());
        }
        let r: HashSet<MemberId> = activities::roster(self.store, &org.id).await?.into_iter().map(|(id, _)| id).collect();
        self.rosters.insert(org.id.clone(), r.clone());
        Ok(r)
    }

    fn material(&self, title: &str) -> String {
        self.materials.get(title).cloned().unwrap_or_else(|| panic!("demo material {title}"))
    }

    /// Present or absent for each person who had joined by `on`, absence reasons drawn
    /// from `reasons` (retired members from their own list).
    fn call<'r>(&mut self, who: &[&'r Roll], on: NaiveDate, presence: f64, reasons: &[&str]) -> Call<'r> {
        const RETIRED: &[&str] = &["年老体弱，请假", "行动不便，会后由支部传达会议精神", "在外地子女处居住，请假"];
        who.iter()
            .filter(|r| r.joined_on <= on)
            .map(|r| {
                let retired = r.kind == Kind::Retired;
                let p = if retired { presence * 0.7 } else { presence };
                let absent = !self.rng.random_bool(p);
                let list = if retired { RETIRED } else { reasons };
                let why = absent.then(|| list[self.rng.random_range(0..list.len())].to_owned());
                (*r, why)
            })
            .collect()
    }

    /// The attendance list for `org`: members on its roster as present/absent; anyone else who
    /// was there as 列席 (absent non-members are not listed).
    async fn attendees(&mut self, org: &Org, call: Call<'_>) -> anyhow::Result<Vec<AttendeeInput>> {
        let roster = self.roster(org).await?;
        Ok(call
            .into_iter()
            .filter_map(|(r, why)| {
                let member_id = r.id.to_string();
                match (roster.contains(&r.id), why) {
                    (true, None) => Some(AttendeeInput { member_id, attendance: "present".into(), ..Default::default() }),
                    (true, Some(reason)) => Some(AttendeeInput { member_id, attendance: "absent".into(), reason, ..Default::default() }),
                    (false, None) => Some(AttendeeInput { member_id, name: r.name.clone(), attendance: "guest".into(), ..Default::default() }),
                    (false, Some(_)) => None,
                }
            })
            .collect())
    }

    async fn save(&mut self, input: ActivityInput) -> anyhow::Result<()> {
        let held_on = dangwu_domain::date::parse_date(&input.held_on).expect("demo dates are valid");
        if held_on > self.today {
            return Ok(());
        }
        activities::create(self.store, self.p, self.actor, &input, self.today, 0)
            .await
            .with_context(|| format!("记录演示活动“{}”（{}）失败", input.title, input.held_on))?;
        self.written += 1;
        Ok(())
    }
}

fn act(org: &Org, kinds: &[&str], on: NaiveDate, title: &str) -> ActivityInput {
    ActivityInput {
        org_id: org.id.clone(),
        kinds: kinds.iter().map(|k| (*k).to_owned()).collect(),
        title: title.to_owned(),
        held_on: on.to_string(),
        ..Default::default()
    }
}

fn s(v: &str) -> String {
    v.to_owned()
}

// ---- the quarter -------------------------------------------------------------------------------

/// Records Q1 2022 into the store (after the roster and the terms exist).
pub async fn create_q1_2022(store: &Store, p: &Principal, actor: &Actor, today: NaiveDate, b: &Bureau<'_>) -> anyhow::Result<QuarterSummary> {
    let mut w = Writer {
        store,
        p,
        actor,
        today,
        rng: StdRng::seed_from_u64(SEED),
        rosters: HashMap::new(),
        materials: HashMap::new(),
        written: 0,
    };
    for (title, kind, (y, m, day), source) in MATERIALS {
        let on = NaiveDate::from_ymd_opt(*y, *m, *day).expect("valid date");
        if on > today {
            continue;
        }
        let mat = materials::create(store, p, actor, title, kind, Some(on), Some(source))
            .await
            .with_context(|| format!("登记演示学习材料“{title}”失败"))?;
        w.materials.insert(title, mat.id);
    }
    if today < d(3, 31) {
        // The quarter is not over where the demo runs; nothing of it is recorded.
        return Ok(QuarterSummary { materials: w.materials.len(), ..Default::default() });
    }
    let plan_items = study_plan(&mut w, b).await?;
    party_group(&mut w, b).await?;
    organ_committee(&mut w, b).await?;
    for i in 0..b.branches.len() {
        branch(&mut w, b, i).await?;
    }
    cells(&mut w, b).await?;
    Ok(QuarterSummary { activities: w.written, materials: w.materials.len(), plan_items })
}

fn people_of<'a>(b: &'a Bureau<'_>, branch: usize) -> Vec<&'a Roll> {
    b.people.iter().filter(|r| r.branch == branch).collect()
}

fn leader<'a>(b: &'a Bureau<'_>, branch: usize, i: usize) -> &'a Roll {
    b.people.iter().find(|r| r.branch == branch && r.kind == Kind::Leader(i)).expect("every leader post is held")
}

/// The 党组: 书记 (the director) and the three deputy directors, as in the term records.
fn group_members<'a>(b: &'a Bureau<'_>) -> Vec<&'a Roll> {
    (4..8).map(|i| leader(b, 0, i)).collect()
}

/// A branch committee, as in the term records: 书记, 组织委员, 宣传委员 (, 纪检委员).
fn committee<'a>(b: &'a Bureau<'_>, branch: usize) -> Vec<&'a Roll> {
    let n = if BRANCHES[branch].size >= 30 { 4 } else { 3 };
    (0..n).map(|i| leader(b, branch, i)).collect()
}

async fn study_plan(w: &mut Writer<'_>, b: &Bureau<'_>) -> anyhow::Result<usize> {
    let plan = study_plans::create(w.store, w.p, w.actor, b.group.org_id(), 2022, "中共海滨市体育局党组2022年理论学习中心组学习方案")
        .await
        .context("创建演示学习方案失败")?;
    let items: &[(u32, &str, &str, Option<&str>)] = &[
        (1, "深入学习贯彻党的十九届六中全会精神", "集中学习", Some(SIXTH_PLENUM)),
        (2, "学习贯彻市第十四次党代会精神", "集中学习", Some(CITY_CONGRESS)),
        (3, "学习习近平总书记在2022年春季学期中央党校中青年干部培训班开班式上的重要讲话", "专题研讨", Some(PARTY_SCHOOL)),
        (3, "学习习近平新时代中国特色社会主义思想“十个明确”“十四个坚持”", "集中学习", Some(TEN_FOURTEEN)),
        (4, "学习习近平总书记关于体育工作的重要论述", "专题研讨", None),
        (5, "学习《中国共产党纪律处分条例》等党内法规", "辅导报告", None),
        (6, "学习习近平总书记关于意识形态工作的重要论述", "集中学习", None),
        (7, "学习党章，纪念中国共产党成立101周年", "集中学习", None),
        (8, "学习习近平总书记关于全民健身的重要论述", "调研交流", None),
        (9, "学习《“十四五”体育发展规划》，研究全民健身公共服务", "专题研讨", None),
        (10, "学习宣传贯彻党的二十大精神", "集中学习", None),
        (11, "深入学习党的二十大报告和党章", "专题研讨", None),
        (12, "年度学习总结和研讨交流", "交流研讨", None),
    ];
    for (month, topic, form, material) in items {
        let m = material.and_then(|t| w.materials.get(t).cloned());
        study_plans::add_item(w.store, w.p, w.actor, &plan.id, *month, topic, Some(form), m.as_deref())
            .await
            .with_context(|| format!("添加学习方案条目“{topic}”失败"))?;
    }
    Ok(items.len())
}

async fn party_group(w: &mut Writer<'_>, b: &Bureau<'_>) -> anyhow::Result<()> {
    let g = b.group;
    let members = group_members(b);
    let (director, office, deputy_secretary) = (leader(b, 0, 4), leader(b, 0, 0), leader(b, 0, 8));
    const AWAY: &[&str] = &["参加市委全体会议", "带队赴省体育局汇报工作", "因公出差"];

    // 党组会: two or three a month, each opening with the 第一议题.
    let meetings: &[(NaiveDate, &str, &str)] = &[
        (d(1, 6), S_OLYMPICS, "研究2022年全面从严治党工作要点；研究部署元旦、春节期间安全生产和疫情防控工作"),
        (d(1, 13), S_SEMINAR, "研究市委巡察反馈问题整改工作方案；研究巡察整改专题民主生活会准备工作"),
        (d(1, 20), S_CCDI, "研究2022年党风廉政建设工作；研究局党组2022年理论学习中心组学习方案"),
        (d(2, 10), S_STUDY36, "研究2021年度党史学习教育专题民主生活会准备工作；研究冬奥会期间群众性冰雪运动推广工作"),
        (d(2, 24), SIXTH_PLENUM, "研究党史学习教育总结工作；研究代表候选人推荐提名工作安排"),
        (d(3, 3), PARTY_SCHOOL, "研究“机关接地气、干部走基层”活动实施方案；研究“能力作风建设年”活动安排"),
        (d(3, 10), S_NPC, "研究巡察整改进展和整改报告起草工作；研究直属党支部党建工作专项检查方案"),
        (d(3, 24), S_COVID, "研究系统疫情防控一线党员先锋队组建工作；研究第25届省运会备战工作"),
    ];
    for (n, (on, first, topics)) in meetings.iter().enumerate() {
        let call = w.call(&members, *on, 0.9, AWAY);
        let mut guests: Call = vec![(office, None), (deputy_secretary, None)];
        guests.extend(call);
        let mut a = act(g, &["party_group_meeting"], *on, &format!("局党组2022年第{}次会议", n + 1));
        a.start_time = s("08:30");
        a.place = s("局机关三楼党组会议室");
        a.host = director.name.clone();
        a.recorder = office.name.clone();
        a.topics = format!("第一议题：传达学习{first}；{topics}");
        a.minutes = format!("会议首先传达学习了{first}，党组成员结合分管工作交流了学习体会。随后研究了议定事项。");
        a.decisions = s("议定事项按分工抓好落实，由办公室跟踪督办。");
        a.flags = vec![s("first_agenda_item")];
        a.first_agenda_material = w.material(first);
        a.attendees = w.attendees(g, guests).await?;
        w.save(a).await?;
    }

    // 中心组: monthly, also with the 第一议题 first.
    let studies: &[(NaiveDate, &str, &[&str], &str)] = &[
        (d(1, 25), S_SEMINAR, &[SIXTH_PLENUM], "深入学习贯彻党的十九届六中全会精神，交流研讨"),
        (d(2, 22), S_STUDY36, &[CITY_CONGRESS], "学习贯彻市第十四次党代会精神，研究全市体育工作落实举措"),
        (d(3, 29), S_COVID, &[PARTY_SCHOOL, TEN_FOURTEEN], "学习总书记在中央党校中青年干部培训班开班式上的重要讲话和“十个明确”“十四个坚持”"),
    ];
    for (on, first, study, topics) in studies {
        let call = w.call(&members, *on, 0.95, AWAY);
        // 列席: the 机关党委 full-time deputy secretary and the heads of the bureau's offices.
        let mut all: Call = (0..4).map(|i| (leader(b, 0, i), None)).collect();
        all.push((deputy_secretary, None));
        all.extend(call);
        let mut a = act(g, &["central_group_study"], *on, &format!("局党组理论学习中心组{}月集中学习", on.format("%-m")));
        a.start_time = s("14:30");
        a.place = s("局机关三楼党组会议室");
        a.host = director.name.clone();
        a.recorder = leader(b, 0, 9).name.clone();
        a.topics = format!("第一议题：学习{first}；{topics}");
        a.minutes = s("中心组成员逐一交流发言，主持人作总结讲话。");
        a.flags = vec![s("first_agenda_item")];
        a.first_agenda_material = w.material(first);
        a.materials = study.iter().map(|t| w.material(t)).collect();
        a.attendees = w.attendees(g, all).await?;
        w.save(a).await?;
    }

    // The two 民主生活会 (at least two thirds present) and the 党史学习教育总结大会.
    let dlm: &[(NaiveDate, &str, &str, &str)] = &[
        (d(1, 24), "局党组巡察反馈问题整改专题民主生活会", "巡察反馈", "对照市委第三巡察组反馈的问题，党组班子和成员逐一查摆、剖析根源，开展批评和自我批评"),
        (d(2, 17), "局党组2021年度党史学习教育专题民主生活会", "党史学习教育专题", "围绕“学党史、悟思想、办实事、开新局”，对照检查，开展批评和自我批评"),
    ];
    for (on, title, topics, minutes) in dlm {
        let mut all: Call = members.iter().map(|r| (*r, None)).collect();
        all.push((deputy_secretary, None));
        let mut a = act(g, &["democratic_life_meeting"], *on, title);
        a.start_time = s("08:30");
        a.place = s("局机关三楼党组会议室");
        a.host = director.name.clone();
        a.recorder = office.name.clone();
        a.topics = s(topics);
        a.minutes = format!("{minutes}。党组书记代表班子作对照检查，党组成员逐一发言；市纪委监委派驻纪检监察组和市委组织部有关同志到会指导。");
        a.decisions = s("会后形成整改清单，明确责任人和完成时限。");
        a.attendees = w.attendees(g, all).await?;
        w.save(a).await?;
    }
    let mut a = act(g, &["general_meeting"], d(2, 28), "海滨市体育局党史学习教育总结大会");
    a.start_time = s("15:00");
    a.place = s("局机关一楼报告厅");
    a.host = leader(b, 0, 5).name.clone();
    a.topics = s("总结全局党史学习教育工作，巩固拓展学习教育成果");
    a.minutes = format!("局党组书记、局长{}作总结讲话；机关全体党员干部、直属单位党组织书记参加。", director.name);
    w.save(a).await?;
    Ok(())
}

async fn organ_committee(w: &mut Writer<'_>, b: &Bureau<'_>) -> anyhow::Result<()> {
    let o = b.organ;
    let deputy_secretary = leader(b, 0, 8);
    // 周五学习日, in the order of first study the seed report gives.
    let fridays: &[(NaiveDate, &str, &str)] = &[
        (d(1, 7), SIXTH_PLENUM, "学习全会公报，把握全会主题和重大意义"),
        (d(1, 14), SIXTH_PLENUM, "学习《中共中央关于党的百年奋斗重大成就和历史经验的决议》（一）"),
        (d(1, 21), SIXTH_PLENUM, "学习《决议》（二）：党百年奋斗的历史经验"),
        (d(1, 28), CITY_CONGRESS, "学习市第十四次党代会报告"),
        (d(2, 11), CITY_CONGRESS, "学习市党代会关于建设体育强市的部署"),
        (d(2, 18), CITY_CONGRESS, "交流研讨：落实市党代会精神，推动全民健身高质量发展"),
        (d(2, 25), CITY_CONGRESS, "学习市党代会精神专题辅导"),
        (d(3, 4), PARTY_SCHOOL, "学习总书记在中央党校中青年干部培训班开班式上的重要讲话"),
        (d(3, 11), PARTY_SCHOOL, "交流研讨：年轻干部要提高解决实际问题能力"),
        (d(3, 18), TEN_FOURTEEN, "学习“十个明确”"),
        (d(3, 25), TEN_FOURTEEN, "学习“十四个坚持”"),
    ];
    for (on, material, topics) in fridays {
        let mut a = act(o, &["fixed_study_day"], *on, &format!("周五学习日：{}", short_topic(material)));
        a.start_time = s("15:00");
        a.place = s("局机关五楼会议室");
        a.host = deputy_secretary.name.clone();
        a.topics = s(topics);
        a.minutes = s("机关全体党员干部集中学习；部分同志交流学习体会。");
        a.materials = vec![w.material(material)];
        w.save(a).await?;
    }
    // Festival discipline, the 廉政家书 and two warning films.
    for (on, festival) in [(NaiveDate::from_ymd_opt(2021, 12, 30).expect("valid date"), "元旦"), (d(1, 26), "春节")] {
        let mut a = act(o, &["festival_discipline_notice"], on, &format!("关于严明2022年{festival}期间纪律要求的通知"));
        a.topics = format!("{festival}期间严格落实中央八项规定及其实施细则精神");
        a.minutes = s("严禁违规收送礼品礼金、违规吃喝、公车私用；严格执行值班和请示报告制度。");
        a.extra.insert(s("festival"), s(festival));
        w.save(a).await?;
    }
    let mut a = act(o, &["integrity_letter"], d(1, 27), "致全局干部职工家属的新春“廉政家书”");
    a.topics = s("元旦、春节期间向干部职工家属送上新春“廉政家书”，共筑家庭廉洁防线");
    w.save(a).await?;
    for (on, film) in [(d(1, 12), "《警钟长鸣》"), (d(1, 20), "《零容忍》")] {
        let mut a = act(o, &["warning_education"], on, &format!("警示教育：观看警示教育片{film}"));
        a.start_time = s("15:00");
        a.place = s("局机关一楼报告厅");
        a.topics = format!("组织机关党员干部观看警示教育片{film}，以案为鉴、以案促改");
        a.extra.insert(s("film"), s(film));
        w.save(a).await?;
    }
    Ok(())
}

fn short_topic(material: &str) -> &str {
    match material {
        SIXTH_PLENUM => "十九届六中全会精神",
        CITY_CONGRESS => "市第十四次党代会精神",
        PARTY_SCHOOL => "总书记在中央党校中青年干部培训班开班式上的重要讲话",
        TEN_FOURTEEN => "“十个明确”“十四个坚持”",
        other => other,
    }
}

/// One branch's 三会一课, 主题党日, 谈心谈话 and 组织生活会 of the quarter.
async fn branch(w: &mut Writer<'_>, b: &Bureau<'_>, i: usize) -> anyhow::Result<()> {
    let org = &b.branches[i];
    let everyone = people_of(b, i);
    let cttee = committee(b, i);
    let (secretary, recorder) = (cttee[0], cttee[1]);
    let travel: &[&str] = match i {
        1 => &["带队外出参加比赛", "因公出差", "病假", "事假"],
        4 => &["随队外出集训", "带队参加比赛", "病假", "事假"],
        _ => &["因公出差", "病假", "事假", "外出参加业务培训"],
    };
    let march: &[&str] = &["参加社区疫情防控值守", "因公出差", "病假"];
    let place = format!("{}会议室", BRANCHES[i].org.unit);
    let base = |kinds: &[&str], on: NaiveDate, title: &str| {
        let mut a = act(org, kinds, on, title);
        a.place = place.clone();
        a.host = secretary.name.clone();
        a.recorder = recorder.name.clone();
        a.start_time = s("14:30");
        a
    };

    // 支委会, monthly (市全民健身服务中心党支部 skipped February).
    let committee_days: [u32; 3] = [[5, 9, 2], [6, 10, 3], [7, 0, 4], [10, 14, 7], [11, 15, 8], [12, 16, 9]][i];
    let agendas = [
        "研究制定支部2022年党建工作计划；研究2021年度组织生活会和民主评议党员工作安排",
        "研究组织生活会查摆问题整改措施；研究支部党员大会议题",
        "研究第一季度党员大会、党课和主题党日安排；研究组织党员参加社区疫情防控",
    ];
    for (m, day) in committee_days.iter().enumerate() {
        if *day == 0 {
            continue;
        }
        let on = d(m as u32 + 1, *day);
        let call = w.call(&cttee, on, 0.92, if m == 2 { march } else { travel });
        let mut a = base(&["committee_meeting"], on, &format!("{}月支部委员会会议", m + 1));
        a.topics = s(agendas[m]);
        a.attendees = w.attendees(org, call).await?;
        w.save(a).await?;
    }

    // 谈心谈话 before the 组织生活会.
    let on = d(1, [14, 17, 18, 19, 20, 13][i]);
    let in_service: Vec<&Roll> = everyone.iter().copied().filter(|r| r.kind != Kind::Retired).collect();
    let call = w.call(&in_service, on, 1.0, travel);
    let mut a = base(&["talk"], on, "2021年度组织生活会前谈心谈话");
    a.topics = s("支部书记与支部委员、党员逐一谈心谈话，听取对支部工作的意见建议");
    a.attendees = w.attendees(org, call).await?;
    w.save(a).await?;

    // 主题党日 in January and February (March's below, some together with the assembly).
    let themes = [
        ("学习贯彻党的十九届六中全会精神主题党日", "重温入党誓词；集中学习《中共中央关于党的百年奋斗重大成就和历史经验的决议》", SIXTH_PLENUM),
        ("“传承冬奥精神 凝聚奋进力量”主题党日", "观看北京冬奥会开幕式和比赛回放，交流学习冬奥精神；重温入党誓词", SIXTH_PLENUM),
    ];
    let theme_days: [u32; 2] = [[19, 17], [20, 18], [21, 21], [24, 22], [25, 23], [26, 24]][i];
    for (m, day) in theme_days.iter().enumerate() {
        let on = d(m as u32 + 1, *day);
        let call = w.call(&everyone, on, 0.88, travel);
        let (title, topics, material) = themes[m];
        let mut a = base(&["theme_day"], on, &format!("{}月{title}", m + 1));
        a.topics = s(topics);
        if m == 0 {
            a.materials = vec![w.material(material)];
        }
        a.attendees = w.attendees(org, call).await?;
        w.save(a).await?;
    }

    // 组织生活会 and 民主评议党员 of 2021, held in February 2022.
    let on = d(2, [22, 23, 24, 25, 28, 21][i]);
    let call = w.call(&everyone, on, 0.9, travel);
    let mut a = base(&["org_life_meeting", "member_appraisal"], on, "2021年度组织生活会和民主评议党员");
    a.topics = s("对照党史学习教育目标要求，查摆问题、开展批评和自我批评；民主评议党员");
    a.minutes = s("支部书记代表支委会作对照检查；党员逐一发言，开展批评和自我批评；以无记名方式进行民主评议。");
    a.decisions = s("形成支部问题整改清单；民主评议结果报机关党委备案。");
    a.attendees = w.attendees(org, call).await?;
    w.save(a).await?;

    // The quarter's 党员大会, 党课 and March 主题党日.
    let lecture_topic = "专题党课：学习贯彻党的十九届六中全会精神，从党的百年奋斗中汲取前进力量";
    let march_theme = "“学雷锋 践初心”志愿服务主题党日：到“双报到”社区开展志愿服务，协助社区疫情防控";
    match i {
        // 机关党支部, 市体育运动学校党支部, 市体育场馆服务中心党支部: one sitting of all three.
        0 | 1 | 3 => {
            let on = d(3, [24, 23, 0, 22][i]);
            let call = w.call(&everyone, on, 0.9, march);
            let mut a = base(&["branch_assembly", "party_lecture", "theme_day"], on, "第一季度支部党员大会暨专题党课、3月主题党日");
            a.topics = format!("通报支部第一季度工作，讨论推荐党代会代表候选人初步人选；{lecture_topic}；重温入党誓词");
            // In 机关党支部 the 党组书记 gives the lecture.
            a.lecturer = if i == 0 { leader(b, 0, 4).name.clone() } else { secretary.name.clone() };
            a.materials = vec![w.material(SIXTH_PLENUM)];
            a.attendees = w.attendees(org, call).await?;
            w.save(a).await?;
        }
        // 市全民健身服务中心党支部: each on its own day.
        2 => {
            let on = d(1, 26);
            let call = w.call(&everyone, on, 0.9, travel);
            let mut a = base(&["branch_assembly"], on, "支部党员大会");
            a.topics = s("通报2021年度支部工作；讨论通过支部2022年党建工作计划");
            a.attendees = w.attendees(org, call).await?;
            w.save(a).await?;
            let on = d(3, 10);
            let call = w.call(&everyone, on, 0.85, march);
            let mut a = base(&["theme_day"], on, "3月主题党日");
            a.topics = s(march_theme);
            a.attendees = w.attendees(org, call).await?;
            w.save(a).await?;
            let on = d(3, 17);
            let call = w.call(&everyone, on, 0.85, march);
            let mut a = base(&["party_lecture"], on, "第一季度专题党课");
            a.topics = s(lecture_topic);
            a.lecturer = secretary.name.clone();
            a.materials = vec![w.material(SIXTH_PLENUM)];
            a.attendees = w.attendees(org, call).await?;
            w.save(a).await?;
        }
        // 市竞技体育训练中心党支部: the assembly with a lecture, but most coaches were away
        // at winter training — no quorum, so it does not count as the quarter's assembly.
        4 => {
            let on = d(1, 18);
            let n = everyone.len();
            let call: Call = everyone
                .iter()
                .enumerate()
                .map(|(k, r)| {
                    let why = match (k < n / 2 - 2, r.kind) {
                        (true, _) => None,
                        (false, Kind::Retired) => Some(s("年老体弱，请假")),
                        (false, _) => Some(s("随队赴外地冬训")),
                    };
                    (*r, why)
                })
                .collect();
            let mut a = base(&["branch_assembly", "party_lecture"], on, "支部党员大会暨第一季度专题党课");
            a.topics = format!("讨论支部2022年工作计划；{lecture_topic}");
            a.lecturer = secretary.name.clone();
            a.minutes = s("因部分教练员随队赴外地冬训，到会党员未超过应到会人数的半数，本次只进行党课学习，需表决的事项推迟到下次党员大会。");
            a.materials = vec![w.material(SIXTH_PLENUM)];
            a.attendees = w.attendees(org, call).await?;
            w.save(a).await?;
            let on = d(3, 16);
            let call = w.call(&everyone, on, 0.8, march);
            let mut a = base(&["theme_day"], on, "3月主题党日");
            a.topics = s(march_theme);
            a.attendees = w.attendees(org, call).await?;
            w.save(a).await?;
        }
        // 海滨体育产业发展有限公司党支部: the assembly mid-month, lecture and theme day together.
        _ => {
            let on = d(3, 15);
            let call = w.call(&everyone, on, 0.9, march);
            let mut a = base(&["branch_assembly"], on, "第一季度支部党员大会");
            a.topics = s("学习市第十四次党代会精神；讨论通过支部2022年党建工作要点；讨论推荐党代会代表候选人初步人选");
            a.materials = vec![w.material(CITY_CONGRESS)];
            a.attendees = w.attendees(org, call).await?;
            w.save(a).await?;
            let on = d(3, 29);
            let call = w.call(&everyone, on, 0.85, march);
            let mut a = base(&["party_lecture", "theme_day"], on, "第一季度专题党课暨3月主题党日");
            a.topics = format!("{lecture_topic}；{march_theme}");
            a.lecturer = secretary.name.clone();
            a.materials = vec![w.material(SIXTH_PLENUM)];
            a.attendees = w.attendees(org, call).await?;
            w.save(a).await?;
        }
    }

    // 机关党支部 also visited five 双报到 households before the Spring Festival.
    if i == 0 {
        let on = d(1, 25);
        let visitors: Vec<&Roll> = [4, 8, 9, 0].iter().map(|k| leader(b, 0, *k)).collect();
        let call = w.call(&visitors, on, 1.0, travel);
        let mut a = act(org, &["care_visit"], on, "新春走访慰问“双报到”社区党员群众");
        a.place = s("东山街道海韵社区");
        a.host = leader(b, 0, 4).name.clone();
        a.topics = s("走访慰问“双报到”社区困难党员和群众，送去慰问金和慰问品，听取意见建议");
        a.extra.insert(s("households"), s("5"));
        a.extra.insert(s("community"), s("东山街道海韵社区"));
        a.attendees = w.attendees(org, call).await?;
        w.save(a).await?;
    }
    Ok(())
}

/// The three 党小组 of 机关党支部 meet monthly; 机关第三党小组 did not meet in March.
async fn cells(w: &mut Writer<'_>, b: &Bureau<'_>) -> anyhow::Result<()> {
    let members = people_of(b, 0);
    let days: [[u32; 3]; 3] = [[17, 21, 21], [18, 22, 22], [19, 23, 0]];
    let topics = [
        "学习党的十九届六中全会精神；交流思想和工作情况",
        "学习市第十四次党代会精神；对照检查，为组织生活会作准备",
        "学习总书记在中央党校中青年干部培训班开班式上的重要讲话；交流参加社区疫情防控体会",
    ];
    for (c, cell) in b.cells.iter().enumerate() {
        // Members take turns into the three groups; the first in-service one leads it.
        let mine: Vec<&Roll> = members.iter().enumerate().filter(|(k, _)| k % b.cells.len() == c).map(|(_, r)| *r).collect();
        let head = mine.iter().find(|r| r.kind != Kind::Retired).copied().unwrap_or(mine[0]);
        for (m, day) in days[c % days.len()].iter().enumerate() {
            if *day == 0 {
                continue;
            }
            let on = d(m as u32 + 1, *day);
            let call = w.call(&mine, on, 0.9, &["因公出差", "病假", "参加社区疫情防控值守"]);
            let mut a = act(cell, &["cell_meeting"], on, &format!("{}{}月党小组会", cell.name, m + 1));
            a.start_time = s("16:00");
            a.host = head.name.clone();
            a.topics = s(topics[m]);
            a.attendees = w.attendees(cell, call).await?;
            w.save(a).await?;
        }
    }
    Ok(())
}
