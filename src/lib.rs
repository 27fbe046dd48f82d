//! Continuity: IT service continuity management as a web application.
//!
//! Layers: `routes` (HTTP: extract, authorise, call, render) → `domain` (pure rules) and `db`
//! (queries) → templates. `web` holds the machinery shared by all routes, `auth` who is asking.

pub mod auth;
pub mod bootstrap;
pub mod config;
pub mod database_health;
pub mod db;
pub mod demo;
pub mod digest;
pub mod domain;
pub mod error;
pub mod generator;
pub mod graph_cache;
pub mod recovery_cache;
pub mod router;
pub mod routes;
pub mod server;
pub mod state;
pub mod web;

pub use router::build_router;
