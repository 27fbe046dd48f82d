//! Integration tests: the production router over real HTTP, against a fresh PostgreSQL database
//! per test, and a real headless Chromium for the browser tests.

mod support;

mod access_matrix;
mod access_rules;
mod account;
mod actions;
mod admin_users;
mod audit_log;
mod bia;
mod bia_review;
mod browser;
mod catalogue;
mod exercises;
mod health_and_errors;
mod import;
mod input_hygiene;
mod lists;
mod outage;
mod passwords;
mod phone_layout;
mod pickers;
mod plans;
mod pool;
mod posture;
mod risks;
mod scale;
mod scope_pickers;
mod security;
mod serving_role;
mod sessions;
mod sign_in;
mod sign_in_delays;
mod suppliers;
