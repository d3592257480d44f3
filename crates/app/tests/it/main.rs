//! dangwu's integration tests: ONE test binary (each extra file under tests/ would be another
//! binary to compile and link). Every test gets its own database — SQLite in a tempdir, or a
//! fresh PostgreSQL database when `DANGWU_TEST_DATABASE_URL` is set — with the demo bureau,
//! and talks to the real server on a random port or runs the real `dangwu` binary.
//!
//! `cargo test -p dangwu --test it`                      SQLite
//! `DANGWU_TEST_DATABASE_URL=postgres://… cargo test …`  PostgreSQL
//! `DANGWU_BROWSER_TESTS=1 cargo test … browser`         headless Chromium via chromedriver

mod harness;

mod activities;
mod api;
mod audit;
mod bench;
mod backup;
mod browser;
mod case_leads;
mod cli;
mod community;
mod compliance;
mod crash;
mod dues;
mod evidence;
mod forms;
mod hardening;
mod import;
mod login;
mod places;
mod queries;
mod registers;
mod reports;
mod reports_facts;
mod schema;
mod scoping;
mod signin;
mod supervision;
mod training;
mod xlsx;
