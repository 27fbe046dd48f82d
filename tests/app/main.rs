//! Integration tests: the production router over real HTTP, against a fresh PostgreSQL database
//! per test, and a real headless Chromium for the browser tests.

mod support;

mod access_matrix;
mod account;
mod admin_users;
mod audit_log;
mod bia;
mod browser;
mod catalogue;
mod health_and_errors;
mod import;
mod lists;
mod passwords;
mod plans;
mod security;
mod sessions;
mod sign_in;
mod sign_in_delays;
mod suppliers;
