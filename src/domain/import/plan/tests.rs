//! Tests of the parent module.

use super::super::read;
use super::*;

fn node(
    kind: NodeKind,
    external_id: &str,
    name: &str,
    fields: &[(&'static str, &str)],
) -> ExistingNode {
    let mut fields: BTreeMap<&'static str, String> = fields
        .iter()
        .map(|(key, value)| (*key, value.to_string()))
        .collect();
    fields.insert("external_id", external_id.to_string());
    ExistingNode {
        id: Uuid::new_v4(),
        kind,
        name: name.into(),
        fields,
    }
}

fn snapshot(nodes: Vec<ExistingNode>, edges: &[(usize, usize)]) -> Snapshot {
    let mut snapshot = Snapshot::default();
    for existing in &nodes {
        snapshot.nodes.push((existing.id, existing.kind));
        snapshot
            .names
            .insert((existing.kind, existing.name.to_lowercase()), existing.id);
        snapshot
            .names_by_id
            .insert(existing.id, existing.name.clone());
    }
    for (from, to) in edges {
        snapshot.edges.insert(
            (nodes[*from].id, nodes[*to].id),
            ["uses".into(), "none".into(), String::new()],
        );
    }
    for existing in nodes {
        let key = existing
            .fields
            .get("external_id")
            .cloned()
            .unwrap_or_default();
        snapshot
            .by_external_id
            .entry(key)
            .or_default()
            .push(existing);
    }
    snapshot
}

fn actions(kind: ImportKind, csv: &str, snapshot: &Snapshot) -> Vec<Action> {
    plan(kind, &read(csv.as_bytes(), kind).unwrap(), snapshot)
        .into_iter()
        .map(|row| row.action)
        .collect()
}

#[test]
fn new_rows_are_created_known_rows_updated_or_left_alone() {
    let existing = node(
        NodeKind::Site,
        "S1",
        "Frankfurt",
        &[
            ("external_id", "S1"),
            ("name", "Frankfurt"),
            ("kind", "data_centre"),
            ("location", ""),
            ("description", ""),
        ],
    );
    let snap = snapshot(vec![existing], &[]);
    let csv =
        "external_id,name,kind,location\nS1,Frankfurt,Data centre,\nS1b,Amsterdam,data_centre,NL\n";
    assert_eq!(
        actions(ImportKind::Sites, csv, &snap),
        vec![Action::Unchanged, Action::Create]
    );
    let moved = "external_id,name,kind,location\nS1,Frankfurt,data_centre,Frankfurt am Main\n";
    assert_eq!(
        actions(ImportKind::Sites, moved, &snap),
        vec![Action::Update(vec!["location"])]
    );
}

#[test]
fn bad_values_are_refused_with_the_allowed_ones() {
    let snap = Snapshot::default();
    let csv = "external_id,name,type\nX1,Shop,magic\n";
    let Action::Refuse(reason) = &actions(ImportKind::Services, csv, &snap)[0] else {
        panic!("refused")
    };
    assert!(reason.contains("business, technical"), "{reason}");
}

#[test]
fn duplicates_within_the_file_and_name_clashes_are_refused() {
    let taken = node(
        NodeKind::Service,
        "OTHER",
        "Payroll",
        &[("external_id", "OTHER")],
    );
    let snap = snapshot(vec![taken], &[]);
    let csv = "external_id,name,type\nA,Shop,business\nA,Shop 2,business\nB,payroll,business\n";
    let result = actions(ImportKind::Services, csv, &snap);
    assert_eq!(result[0], Action::Create);
    assert!(matches!(&result[1], Action::Refuse(reason) if reason.contains("line 2")));
    assert!(
        matches!(&result[2], Action::Refuse(reason) if reason.contains("already named payroll"))
    );
}

#[test]
fn unknown_owners_and_sites_are_refused() {
    let snap = Snapshot::default();
    let services = actions(
        ImportKind::Services,
        "external_id,name,type,owner_email\nA,Shop,business,ghost@x.test\n",
        &snap,
    );
    assert!(matches!(&services[0], Action::Refuse(reason) if reason.contains("ghost@x.test")));
    let components = actions(
        ImportKind::Components,
        "external_id,name,class,site_external_id\nC,db,database,NOWHERE\n",
        &snap,
    );
    assert!(matches!(&components[0], Action::Refuse(reason) if reason.contains("NOWHERE")));
}

#[test]
fn dependency_rows_that_close_a_cycle_are_refused_and_named() {
    let a = node(NodeKind::Service, "A", "Shop", &[("external_id", "A")]);
    let b = node(NodeKind::Service, "B", "Payments", &[("external_id", "B")]);
    let c = node(NodeKind::Service, "C", "Identity", &[("external_id", "C")]);
    let snap = snapshot(vec![a, b, c], &[(0, 1)]);
    let csv = "from_external_id,to_external_id\nB,C\nC,A\n";
    let result = actions(ImportKind::Dependencies, csv, &snap);
    assert_eq!(result[0], Action::Create);
    let Action::Refuse(reason) = &result[1] else {
        panic!("the closing row is refused")
    };
    assert!(
        reason.contains("cycle") && reason.contains("Shop") && reason.contains("Identity"),
        "{reason}"
    );
}

#[test]
fn dependencies_between_wrong_kinds_or_unknown_ids_are_refused() {
    let site = node(NodeKind::Site, "S", "Frankfurt", &[("external_id", "S")]);
    let service = node(NodeKind::Service, "V", "Shop", &[("external_id", "V")]);
    let snap = snapshot(vec![site, service], &[]);
    let result = actions(
        ImportKind::Dependencies,
        "from_external_id,to_external_id\nS,V\nV,NOPE\n",
        &snap,
    );
    assert!(matches!(&result[0], Action::Refuse(reason) if reason.contains("cannot depend")));
    assert!(matches!(&result[1], Action::Refuse(reason) if reason.contains("NOPE")));
}
