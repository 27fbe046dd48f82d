//! Every route of the application, feature by feature. Routes are registered through
//! [`Routes`], which also records them, so the access-matrix test can check that it covers
//! every route the router actually serves.

use axum::Router;
use axum::handler::Handler;
use axum::routing::{get, post};

use crate::state::AppState;

mod account;
mod actions;
mod admin;
mod assets;
mod audit;
pub(crate) mod bia;
mod catalogue;
pub(crate) mod exercises;
mod health;
mod help;
mod home;
mod people;
mod plans;
pub(crate) mod posture;
pub mod risks;
mod session;
pub(crate) mod suppliers;

/// One registered route: method and path pattern, e.g. `("POST", "/admin/users/{id}")`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RouteDef {
    pub method: &'static str,
    pub path: &'static str,
}

/// A router that remembers what was registered on it.
pub struct Routes {
    router: Router<AppState>,
    defs: Vec<RouteDef>,
}

impl Default for Routes {
    fn default() -> Self {
        Self::new()
    }
}

impl Routes {
    pub fn new() -> Self {
        Self {
            router: Router::new(),
            defs: Vec::new(),
        }
    }

    pub fn get<H, T>(mut self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, get(handler));
        self.defs.push(RouteDef {
            method: "GET",
            path,
        });
        self
    }

    pub fn post<H, T>(mut self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, post(handler));
        self.defs.push(RouteDef {
            method: "POST",
            path,
        });
        self
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.defs.extend(other.defs);
        self
    }
}

fn all() -> Routes {
    Routes::new()
        .merge(health::routes())
        .merge(assets::routes())
        .merge(session::routes())
        .merge(home::routes())
        .merge(help::routes())
        .merge(account::routes())
        .merge(admin::routes())
        .merge(audit::routes())
        .merge(catalogue::routes())
        .merge(bia::routes())
        .merge(plans::routes())
        .merge(people::routes())
        .merge(suppliers::routes())
        .merge(risks::routes())
        .merge(actions::routes())
        .merge(exercises::routes())
        .merge(posture::routes())
}

/// The application's routes, unlayered (see `crate::router` for the middleware).
pub fn router() -> Router<AppState> {
    all().router
}

/// Every route the router serves, sorted.
pub fn route_list() -> Vec<RouteDef> {
    let mut defs = all().defs;
    defs.sort();
    defs
}
