//! Synthetic members for `dangwu gen`: names from the demo's pools (not unique: a city has many
//! 王建华), valid GB 11643 ID numbers that are unique across the run, realistic ages, joining
//! dates, statuses and dues categories.

use std::collections::HashSet;

use chrono::{Datelike, Days, Months, NaiveDate};
use dangwu_domain::MemberId;
use dangwu_domain::idcard::check_char;
use rand::Rng;
use rand::rngs::StdRng;

use crate::demo::people::{FEMALE_1, FEMALE_2, MALE_1, MALE_2, SURNAMES};

#[derive(Debug, Clone)]
pub struct Person {
    pub id: MemberId,
    pub name: String,
    pub male: bool,
    pub birth: NaiveDate,
    pub id_card_no: String,
    pub joined: NaiveDate,
    pub full_on: Option<NaiveDate>,
    pub retired: bool,
    pub post: &'static str,
    pub party_worker: bool,
}

impl Person {
    /// Status as of `on`: probationary for the year after joining.
    pub fn is_full_on(&self, on: NaiveDate) -> bool {
        self.full_on.is_some_and(|f| f <= on)
    }
}

const POSTS: &[&str] = &["科员", "一级科员", "四级主任科员", "科长", "副科长", "专业技术人员", "工程师", "办事员", "副主任"];

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

/// One member; `end` is the last day of the generated range, `areas` the address codes to draw
/// from, `ids` the ID numbers already used.
pub fn person(rng: &mut StdRng, start: NaiveDate, end: NaiveDate, areas: &[&str], ids: &mut HashSet<String>) -> Person {
    let male = rng.random_bool(0.55);
    let retired = rng.random_bool(0.2);
    let age_at_start: u64 = if retired { rng.random_range(61..=84) } else { rng.random_range(24..=58) };
    let birth = start - Days::new(age_at_start * 365 + age_at_start / 4 + rng.random_range(0..360));
    // Most joined long before the range; about one in twenty-five joins during it (new members).
    let joined = if rng.random_bool(0.04) {
        start + Days::new(rng.random_range(0..(end - start).num_days().max(1) as u64))
    } else {
        let joined_age = rng.random_range(20..=(age_at_start as i32 - 2).clamp(21, 45));
        let j = birth.with_year(birth.year() + joined_age).unwrap_or(birth + Days::new(365 * joined_age as u64));
        j.min(start - Days::new(1))
    };
    let s = SURNAMES[rng.random_range(0..SURNAMES.len()).min(rng.random_range(0..SURNAMES.len()))];
    let (a, b) = if male { (MALE_1, MALE_2) } else { (FEMALE_1, FEMALE_2) };
    let name = format!("{s}{}{}", pick(rng, a), pick(rng, b));
    let id_card_no = loop {
        let seq = rng.random_range(0..500u32) * 2 + u32::from(male);
        let first17 = format!("{}{}{seq:03}", pick(rng, areas), birth.format("%Y%m%d"));
        let id = format!("{first17}{}", check_char(&first17));
        if ids.insert(id.clone()) {
            break id;
        }
    };
    Person {
        id: MemberId::from_u128(rng.random()),
        name,
        male,
        birth,
        id_card_no,
        joined,
        full_on: Some(joined + Months::new(12)),
        retired,
        post: if retired { "退休" } else { pick(rng, POSTS) },
        party_worker: rng.random_bool(0.04),
    }
}
