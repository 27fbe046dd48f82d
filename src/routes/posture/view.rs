//! A posture figure as pages show it: required against achievable, the colour, and the reason
//! in a sentence with the chain that causes it ("Needs 4h, set by Payments, but can be back only
//! after 9h: the critical path of the plan “ERP recovery” (6h), then through erp-db → DC1").
//! Contract names in a chain are concealed from readers who may not open the contract.

use uuid::Uuid;

use crate::auth::contracts::ContractAccess;
use crate::domain::bia::method::duration_label;
use crate::domain::duration::Duration;
use crate::domain::graph::NodeKind;
use crate::domain::posture::{Colour, Comparison, Evidence, ServiceFacts, ServicePosture};
use crate::recovery_cache::Computed;

/// One link of a chain.
pub struct ChainLink {
    pub name: String,
    /// `None` when the reader may not open it (a concealed contract).
    pub href: Option<String>,
}

pub struct ComparisonView {
    pub required: String,
    /// "set by Payments" when a stricter service sets the requirement.
    pub required_by: Option<ChainLink>,
    pub achievable: String,
    pub source: String,
    pub badge: &'static str,
    pub reason: String,
    /// From the service down, without the service itself.
    pub chain: Vec<ChainLink>,
}

pub fn label(duration: Option<Duration>) -> String {
    duration.map_or_else(|| "—".to_owned(), duration_label)
}

/// The address of a node's page.
pub fn href_of(kind: Option<NodeKind>, id: Uuid) -> String {
    match kind {
        Some(NodeKind::Service) => format!("/services/{id}"),
        Some(NodeKind::Component) => format!("/components/{id}"),
        Some(NodeKind::Site) => format!("/sites/{id}"),
        Some(NodeKind::Contract) => format!("/contracts/{id}"),
        Some(NodeKind::Process) => format!("/processes/{id}"),
        None => "/services".to_owned(),
    }
}

pub fn link(computed: &Computed, access: &ContractAccess, id: Uuid) -> ChainLink {
    let kind = computed.graph.kind(id);
    if kind == Some(NodeKind::Contract) && !access.may_read(id) {
        return ChainLink {
            name: "a supplier contract".to_owned(),
            href: None,
        };
    }
    ChainLink {
        name: computed.name(id),
        href: Some(href_of(kind, id)),
    }
}

/// The view of one comparison (`what` is "recovery" or "data loss", for the sentences).
pub fn comparison(
    computed: &Computed,
    access: &ContractAccess,
    service: &ServiceFacts,
    figure: &Comparison,
    data_loss: bool,
) -> ComparisonView {
    let chain: Vec<ChainLink> = figure
        .chain
        .iter()
        .skip(1)
        .map(|id| link(computed, access, *id))
        .collect();
    let through = if chain.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = chain.iter().map(|link| link.name.as_str()).collect();
        format!(", through {}", names.join(" → "))
    };
    let required_by = figure
        .required_by
        .filter(|by| *by != service.id)
        .map(|by| link(computed, access, by));
    let set_by = required_by
        .as_ref()
        .map(|by| format!(", set by {} which needs it", by.name))
        .unwrap_or_default();
    let required = label(figure.required);
    let achievable = label(figure.achievable);
    let own = figure.own.source();
    let weakest = if figure.weakest.1 == service.id {
        own.clone()
    } else {
        format!(
            "the figure of {}",
            link(computed, access, figure.weakest.1).name
        )
    };
    let (verb, noun) = if data_loss {
        ("could lose", "its data loss")
    } else {
        ("can be back only after", "how long its recovery takes")
    };
    let reason = match (figure.colour, figure.achievable) {
        (Colour::NotAssessed, _) => {
            "No approved BIA yet, so there is no requirement to compare with.".to_owned()
        }
        (Colour::Red, None) => match figure.chain.last() {
            Some(last) if *last != service.id => {
                let via = if chain.len() > 1 {
                    through.as_str()
                } else {
                    ""
                };
                format!(
                    "Nothing shows {noun}: it needs {}, for which there is no test, approved plan or strategy{via}.",
                    link(computed, access, *last).name
                )
            }
            _ => format!("Nothing shows {noun}: there is no test, approved plan or strategy."),
        },
        (Colour::Red, Some(_)) => format!(
            "Needs {required}{set_by}, but {verb} {achievable}: its own figure comes from {own}{through}."
        ),
        (Colour::Amber, _) => format!(
            "Met ({achievable} against {required}{set_by}), but only on {weakest}: prove it with a test."
        ),
        (Colour::Green, _) => format!(
            "Met by current evidence: {achievable} against {required}{set_by}, from {own}{through}."
        ),
    };
    ComparisonView {
        required,
        required_by,
        achievable,
        source: match figure.own {
            Evidence::Nothing => "no evidence".to_owned(),
            _ => own,
        },
        badge: figure.colour.badge(),
        reason,
        chain,
    }
}

/// A service's posture line: both comparisons and the strategy's fit.
pub struct ServiceLine {
    pub id: Uuid,
    pub name: String,
    pub href: String,
    pub tier: String,
    pub colour: Colour,
    pub rto: ComparisonView,
    pub rpo: ComparisonView,
    pub strategy: String,
    /// "cold standby cannot meet 4h" when the option does not fit.
    pub mismatch: Option<String>,
}

pub fn service_line(
    computed: &Computed,
    access: &ContractAccess,
    facts: &ServiceFacts,
    posture: &ServicePosture,
) -> ServiceLine {
    ServiceLine {
        id: facts.id,
        name: facts.name.clone(),
        href: format!("/services/{}", facts.id),
        tier: facts
            .tier_name
            .clone()
            .unwrap_or_else(|| "Not assessed".to_owned()),
        colour: posture.colour(),
        rto: comparison(computed, access, facts, &posture.rto, false),
        rpo: comparison(computed, access, facts, &posture.rpo, true),
        strategy: facts.strategy.as_ref().map_or_else(
            || "None".to_owned(),
            |strategy| {
                format!(
                    "{} ({})",
                    strategy.option.short(),
                    strategy.status.label().to_lowercase()
                )
            },
        ),
        mismatch: posture.option_mismatch.map(|option| {
            format!(
                "{} cannot meet {}",
                option.short(),
                label(posture.rto.required)
            )
        }),
    }
}

/// The form for an improvement action closing the gap of a service, titled `title`, when `user`
/// may raise one: managers for every service, owners for their own.
pub fn gap_action_href(
    user: &crate::auth::CurrentUser,
    facts: &ServiceFacts,
    title: &str,
) -> Option<String> {
    let allowed = user.role.manages_continuity()
        || (user.role == crate::domain::role::Role::ServiceOwner
            && facts.owner_id == Some(user.id));
    allowed.then(|| {
        let title: String = form_urlencoded::byte_serialize(title.as_bytes()).collect();
        format!("/actions/new?gap={}&title={title}", facts.id)
    })
}

/// The posture and strategy card of a service page.
pub struct ServiceCard {
    pub line: ServiceLine,
    pub strategy: Option<crate::db::strategies::Strategy>,
    pub option_label: String,
    pub estimate: String,
    pub rpo: String,
    pub capacity: String,
    pub cost: String,
    pub may_edit: bool,
    /// An action to close the gap, for a red or amber service.
    pub gap_action_href: Option<String>,
}

/// The card for service `id`, or `None` for an archived service (the posture counts active ones).
pub async fn service_card(
    state: &crate::state::AppState,
    user: &crate::auth::CurrentUser,
    access: &ContractAccess,
    id: Uuid,
    owner_id: Option<Uuid>,
) -> crate::error::AppResult<Option<ServiceCard>> {
    let computed = crate::recovery_cache::current(state).await?;
    let Some((facts, posture)) = computed.service(id) else {
        return Ok(None);
    };
    let strategy = crate::db::strategies::find(&state.db, id).await?;
    let minutes = |value: Option<i32>| {
        label(value.and_then(|minutes| Duration::from_minutes(minutes.into())))
    };
    let gap_action_href = matches!(posture.colour(), Colour::Red | Colour::Amber)
        .then(|| {
            gap_action_href(
                user,
                facts,
                &format!("Close the recovery gap of {}", facts.name),
            )
        })
        .flatten();
    Ok(Some(ServiceCard {
        gap_action_href,
        line: service_line(&computed, access, facts, posture),
        option_label: strategy
            .as_ref()
            .and_then(|strategy| {
                crate::domain::posture::RecoveryOption::parse(&strategy.fields.recovery_option)
            })
            .map_or_else(String::new, |option| option.label().to_owned()),
        estimate: minutes(
            strategy
                .as_ref()
                .and_then(|s| s.fields.estimated_recovery_minutes),
        ),
        rpo: minutes(
            strategy
                .as_ref()
                .and_then(|s| s.fields.achievable_rpo_minutes),
        ),
        capacity: strategy
            .as_ref()
            .and_then(|s| s.fields.capacity_percent)
            .map_or_else(|| "—".to_owned(), |value| format!("{value} %")),
        cost: strategy
            .as_ref()
            .and_then(|s| s.fields.yearly_cost)
            .map_or_else(|| "—".to_owned(), super::strategy::amount),
        may_edit: crate::auth::ownership::may_edit_owned(user, owner_id),
        strategy,
    }))
}

/// What a component, site or contract must meet — the strictest requirement of the services
/// above it — and which service sets it.
pub struct RequiredView {
    pub rto: String,
    pub rto_by: Option<ChainLink>,
    pub rpo: String,
    pub rpo_by: Option<ChainLink>,
}

/// The requirement on node `id`, from the per-instance recovery posture.
pub async fn required_of(
    state: &crate::state::AppState,
    access: &ContractAccess,
    id: Uuid,
) -> crate::error::AppResult<RequiredView> {
    let computed = crate::recovery_cache::current(state).await?;
    let rto = computed.posture.required_rto.get(&id);
    let rpo = computed.posture.required_rpo.get(&id);
    Ok(RequiredView {
        rto: label(rto.map(|requirement| requirement.minutes)),
        rto_by: rto.map(|requirement| link(&computed, access, requirement.set_by)),
        rpo: label(rpo.map(|requirement| requirement.minutes)),
        rpo_by: rpo.map(|requirement| link(&computed, access, requirement.set_by)),
    })
}
