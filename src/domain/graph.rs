//! TEMPORARY: NodeKind only, until the graph module lands from its branch.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKind {
    Process,
    Service,
    Component,
    Site,
    Contract,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Process => "process",
            NodeKind::Service => "service",
            NodeKind::Component => "component",
            NodeKind::Site => "site",
            NodeKind::Contract => "contract",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        [Self::Process, Self::Service, Self::Component, Self::Site, Self::Contract]
            .into_iter()
            .find(|kind| kind.as_str() == value)
    }
    pub fn label(self) -> &'static str {
        match self {
            NodeKind::Process => "Business process",
            NodeKind::Service => "IT service",
            NodeKind::Component => "Component",
            NodeKind::Site => "Site",
            NodeKind::Contract => "Contract",
        }
    }
}
