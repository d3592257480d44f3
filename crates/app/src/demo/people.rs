//! Synthetic members for the demo bureau, from a seeded RNG: the same `today` always gives the
//! same people. Names are common surnames with two-character given names (known public figures
//! are excluded); ID numbers use Shandong-like 3706xx address codes, the birth date, a sequence
//! whose parity matches the gender, and a valid GB 11643 check character.

use std::collections::HashSet;

use chrono::{Datelike, Days, Months, NaiveDate};
use dangwu_domain::idcard::check_char;
use dangwu_domain::member::MemberInput;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::bureau::{BRANCHES, BranchSpec};

const SEED: u64 = 2022_0406;

/// Members who were full in Q1 2022 had become full by this day.
pub const FULL_BY: NaiveDate = NaiveDate::from_ymd_opt(2021, 12, 31).expect("valid date");
/// The four probationary members of Q1 2022 joined on or after this day (and before 2022).
pub const PROBATIONARY_FROM: NaiveDate = NaiveDate::from_ymd_opt(2021, 4, 1).expect("valid date");

/// `d` moved back `years` whole years (29 February becomes 28 February).
fn years_back(d: NaiveDate, years: u32) -> NaiveDate {
    if years == 0 {
        return d;
    }
    let y = d.year() - years as i32;
    d.with_year(y).unwrap_or_else(|| NaiveDate::from_ymd_opt(y, d.month(), 28).expect("valid date"))
}

pub(crate) const SURNAMES: &[&str] = &[
    "王", "张", "李", "刘", "孙", "于", "姜", "林", "宋", "曲", "杨", "陈", "赵", "徐", "高", "郭", "马", "董", "吕", "周",
    "吴", "隋", "栾", "邹", "衣", "初", "慕", "宫", "毕", "鞠", "迟", "姚", "唐", "许", "韩", "冯", "曹", "曾", "彭", "蔡",
    "潘", "田", "范", "方", "石", "谭", "崔", "秦", "史", "侯", "孟", "邵", "贺", "乔", "葛", "牟", "战", "臧", "逄", "滕",
];
pub(crate) const MALE_1: &[&str] = &[
    "志", "建", "国", "晓", "文", "俊", "宏", "学", "振", "立", "永", "广", "春", "庆", "德", "成", "家", "海", "云", "洪",
    "兆", "树", "忠", "承", "少", "子", "明", "英",
];
pub(crate) const MALE_2: &[&str] = &[
    "华", "军", "涛", "斌", "磊", "刚", "强", "勇", "鹏", "峰", "波", "辉", "东", "杰", "亮", "宇", "林", "松", "凯", "鑫",
    "浩", "博", "瑞", "平", "生", "民", "伟", "超", "飞", "岩",
];
pub(crate) const FEMALE_1: &[&str] = &[
    "秀", "丽", "晓", "淑", "桂", "玉", "美", "雅", "佳", "慧", "文", "春", "海", "静", "雪", "梦", "思", "欣", "亚", "素",
];
pub(crate) const FEMALE_2: &[&str] = &[
    "丽", "红", "霞", "静", "燕", "芳", "玲", "娟", "敏", "婷", "梅", "莉", "萍", "艳", "晶", "琳", "颖", "洁", "倩", "蕾",
    "悦", "怡", "璐", "丹", "楠", "华", "君", "岚",
];
/// Well-known people whose names the pools above could produce; never generated.
const EXCLUDED: &[&str] = &[
    "王军霞", "王丽萍", "张怡宁", "刘国梁", "孔令辉", "邓亚萍", "李永波", "王义夫", "许海峰", "张国伟", "刘春红",
    "孙晓东", "王海滨", "李晓鹏", "张志强", "刘建华", "徐海东", "张海迪", "陈晓旭", "杨丽萍", "宋丹丹", "王志文", "陈建斌", "张国立", "李云龙", "高建华",
];
pub(crate) const AREAS: &[&str] =
    &["370602", "370611", "370612", "370613", "370614", "370681", "370683", "370684", "370685", "370686", "370687"];
const MINORITIES: &[&str] = &["回族", "满族", "蒙古族", "朝鲜族"];
const EDU_LEADER: &[&str] = &["硕士研究生", "硕士研究生", "大学本科", "大学本科", "大学本科"];
const EDU_IN_SERVICE: &[&str] = &["硕士研究生", "大学本科", "大学本科", "大学本科", "大学本科", "大学本科", "大学专科", "大学专科"];
const EDU_RETIRED: &[&str] = &["大学本科", "大学专科", "大学专科", "中等专科", "高中"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Holds `leaders[i]` of the branch.
    Leader(usize),
    InService,
    Probationary,
    Retired,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub branch: usize,
    pub kind: Kind,
    /// As a sheet row would give it; `org_id` is filled in when the branch exists.
    pub input: MemberInput,
}

/// Everyone in the demo bureau, branch by branch (leaders first, retired last).
pub fn generate(today: NaiveDate) -> Vec<Person> {
    let mut g = Gen { rng: StdRng::seed_from_u64(SEED), names: HashSet::new(), ids: HashSet::new(), phones: HashSet::new(), today };
    let mut out = Vec::new();
    for (b, spec) in BRANCHES.iter().enumerate() {
        for i in 0..spec.size {
            let kind = kind_of(spec, i);
            out.push(Person { branch: b, kind, input: g.person(spec, kind) });
        }
    }
    out
}

fn kind_of(spec: &BranchSpec, i: usize) -> Kind {
    if i < spec.leaders.len() {
        Kind::Leader(i)
    } else if i >= spec.size - spec.retired {
        Kind::Retired
    } else if i >= spec.size - spec.retired - spec.probationary {
        Kind::Probationary
    } else {
        Kind::InService
    }
}

struct Gen {
    rng: StdRng,
    names: HashSet<String>,
    ids: HashSet<String>,
    phones: HashSet<String>,
    today: NaiveDate,
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl Gen {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.rng.random_range(0..items.len())]
    }

    fn person(&mut self, spec: &BranchSpec, kind: Kind) -> MemberInput {
        let male = self.rng.random_bool(match kind {
            Kind::Leader(_) => 0.7,
            Kind::Retired => 0.6,
            _ => 0.55,
        });
        let (age, joined_age) = match kind {
            Kind::Leader(_) => (self.rng.random_range(38..=56), self.rng.random_range(21..=30)),
            Kind::InService | Kind::Probationary => {
                let age = if kind == Kind::Probationary {
                    self.rng.random_range(23..=33)
                } else {
                    self.rng.random_range(24..=if male { 59 } else { 54 })
                };
                (age, self.rng.random_range(20..=(age - 3).min(40)))
            }
            Kind::Retired => {
                let age = self.rng.random_range(if male { 61 } else { 56 }..=84);
                (age, self.rng.random_range(21..=(age - 3).min(45)))
            }
        };
        let birth = self.today - Days::new(age as u64 * 365 + age as u64 / 4 + self.rng.random_range(1..360));
        // Everyone had joined before 2022: the demo's records start with Q1 2022 and the seed
        // report counts all 179 members then. The same draws as ever (so the same people for any
        // `today`); only whole years are shifted back where a joining date would be too late.
        let (birth, joined, full) = if kind == Kind::Probationary {
            // Probationary through Q1 2022: joined between April and December 2021, full a year
            // later (create_demo records the 转正 event).
            let drawn = self.rng.random_range(20..330u64);
            let joined = PROBATIONARY_FROM + Days::new((drawn - 20) * 270 / 310);
            let short = (22 - dangwu_domain::member::age_on(birth, joined)).max(0) as u32;
            (years_back(birth, short), joined, None)
        } else {
            let j = birth.with_year(birth.year() + joined_age).unwrap_or(birth + Days::new(365 * joined_age as u64))
                + Days::new(self.rng.random_range(0..200));
            // Full members of Q1 2022 had finished their probation by the end of 2021.
            let mut k = 0;
            while years_back(j, k) + Months::new(12) > FULL_BY {
                k += 1;
            }
            let j = years_back(j, k);
            (years_back(birth, k), j, Some(j + Months::new(12)))
        };
        let (post, edu) = match kind {
            Kind::Leader(i) => (spec.leaders[i], self.pick(EDU_LEADER)),
            Kind::Retired => ("退休", self.pick(EDU_RETIRED)),
            _ => (self.pick(spec.posts), self.pick(EDU_IN_SERVICE)),
        };
        let worker = matches!(kind, Kind::Leader(0)) || (kind == Kind::Leader(1) && spec.size >= 30) || post.contains("党");
        let ethnicity = if self.rng.random_bool(0.93) { "汉族" } else { self.pick(MINORITIES) };
        MemberInput {
            name: self.name(male),
            gender: if male { "男" } else { "女" }.into(),
            ethnicity: ethnicity.into(),
            birth_date: ymd(birth),
            id_card_no: self.id_card(birth, male),
            education: edu.into(),
            phone: self.phone(),
            joined_on: ymd(joined),
            full_on: full.map(ymd).unwrap_or_default(),
            status: if full.is_some() { "正式党员" } else { "预备党员" }.into(),
            dues_category: if kind == Kind::Retired { "离退休" } else { "在职" }.into(),
            work_unit: spec.org.unit.into(),
            post: post.into(),
            is_party_worker: if worker { "是" } else { "否" }.into(),
            org_id: String::new(),
        }
    }

    fn name(&mut self, male: bool) -> String {
        loop {
            // The smaller of two draws favours the common surnames at the front of the list.
            let s = SURNAMES[self.rng.random_range(0..SURNAMES.len()).min(self.rng.random_range(0..SURNAMES.len()))];
            let (a, b) = if male { (MALE_1, MALE_2) } else { (FEMALE_1, FEMALE_2) };
            let (x, y) = (self.pick(a), self.pick(b));
            let name = format!("{s}{x}{y}");
            if x != y && !EXCLUDED.contains(&name.as_str()) && self.names.insert(name.clone()) {
                return name;
            }
        }
    }

    fn id_card(&mut self, birth: NaiveDate, male: bool) -> String {
        loop {
            let area = self.pick(AREAS);
            let seq = self.rng.random_range(0..50u32) * 20 + self.rng.random_range(0..5u32) * 2 + u32::from(male);
            let first17 = format!("{area}{}{seq:03}", birth.format("%Y%m%d"));
            let id = format!("{first17}{}", check_char(&first17));
            if self.ids.insert(id.clone()) {
                return id;
            }
        }
    }

    fn phone(&mut self) -> String {
        loop {
            let p = format!("139{:08}", self.rng.random_range(0..100_000_000u32));
            if self.phones.insert(p.clone()) {
                return p;
            }
        }
    }
}
