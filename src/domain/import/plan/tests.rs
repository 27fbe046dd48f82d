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

mod contracts {
    use super::super::super::contracts::{ContractRecord, StoredContract};
    use super::*;

    const SUPPLIER: u128 = 500;

    /// A snapshot with one service, SVC-PAY "Payments", and the supplier NorthLink.
    fn with_supplier() -> Snapshot {
        let mut snap = snapshot(
            vec![node(NodeKind::Service, "SVC-PAY", "Payments", &[])],
            &[],
        );
        snap.suppliers
            .insert("northlink".into(), Uuid::from_u128(SUPPLIER));
        snap
    }

    fn plan_contracts(csv: &str, snap: &Snapshot) -> Vec<PlannedRow> {
        let table = crate::domain::import::read(csv.as_bytes(), ImportKind::Contracts).unwrap();
        plan(ImportKind::Contracts, &table, snap)
    }

    const HEADER: &str = "reference,supplier,end_date,support_hours,guaranteed_recovery,supplies\n";

    #[test]
    fn a_good_row_creates_a_contract_linked_to_what_it_supplies() {
        let snap = with_supplier();
        let rows = plan_contracts(
            &format!("{HEADER}NL-1,NorthLink,2027-12-31,24x7,4h,SVC-PAY\n"),
            &snap,
        );
        assert_eq!(rows[0].action, Action::Create, "{rows:?}");
        let Some(Record::Contract(record)) = &rows[0].record else {
            panic!("a contract record");
        };
        assert_eq!(record.guaranteed_recovery_minutes, Some(240));
        assert_eq!(record.support_hours, "24x7");
        assert_eq!(record.supplied.len(), 1);
    }

    #[test]
    fn bad_rows_are_refused_each_with_its_reason() {
        let snap = with_supplier();
        let csv = format!(
            "{HEADER}NL-1,Nobody Ltd,,,,\nNL-2,NorthLink,31/12/2027,,,\nNL-3,NorthLink,,weekends,,\nNL-4,NorthLink,,,four hours,\nNL-5,NorthLink,,,,NOPE\nNL-6,NorthLink,,,,\nnl-6,NorthLink,,,,\n"
        );
        let reasons: Vec<String> = plan_contracts(&csv, &snap)
            .into_iter()
            .map(|row| match row.action {
                Action::Refuse(reason) => reason,
                other => format!("{other:?}"),
            })
            .collect();
        assert!(
            reasons[0].contains("No supplier is named Nobody Ltd"),
            "{reasons:?}"
        );
        assert!(reasons[1].contains("is not a date"));
        assert!(reasons[2].contains("must be 24x7 or business"));
        assert!(reasons[3].starts_with("guaranteed_recovery:"));
        assert!(reasons[4].contains("NOPE"));
        assert_eq!(reasons[5], "Create");
        assert!(reasons[6].contains("already appears on line 7"));
    }

    #[test]
    fn a_stored_contract_is_updated_only_where_the_file_differs() {
        let mut snap = with_supplier();
        let payments = *snap
            .names
            .get(&(NodeKind::Service, "payments".into()))
            .unwrap();
        let record = ContractRecord {
            reference: "NL-1".into(),
            supplier_id: Uuid::from_u128(SUPPLIER),
            title: String::new(),
            start_date: None,
            end_date: Some(time::macros::date!(2027 - 12 - 31)),
            auto_renewal: false,
            renewal_notice_days: None,
            termination_notice_days: None,
            support_hours: "24x7".into(),
            guaranteed_recovery_minutes: Some(240),
            guaranteed_rpo_minutes: None,
            bcp_required: false,
            evidence_received_on: None,
            evidence_expires_on: None,
            next_review_on: None,
            supplied: Vec::new(),
        };
        snap.contracts.insert(
            "nl-1".into(),
            StoredContract {
                id: Uuid::from_u128(900),
                record,
                linked: vec![payments],
            },
        );
        let same = plan_contracts(
            &format!("{HEADER}NL-1,NorthLink,2027-12-31,24x7,4h,SVC-PAY\n"),
            &snap,
        );
        assert_eq!(
            same[0].action,
            Action::Unchanged,
            "an existing link counts as unchanged"
        );
        let changed = plan_contracts(
            &format!("{HEADER}NL-1,NorthLink,2027-12-31,business,8h,SVC-PAY\n"),
            &snap,
        );
        assert_eq!(
            changed[0].action,
            Action::Update(vec!["guaranteed_recovery", "support_hours"])
        );
        assert_eq!(changed[0].existing, Some(Uuid::from_u128(900)));
    }
}

#[test]
fn rows_with_control_characters_are_refused_one_by_one_with_the_column_named() {
    let csv = read::storable(
        "external_id,name,kind,location,description\nS1,Frank\0furt,office,,\nS2,Berlin,office,Mitte\u{1b}[31m,\nS3,Hamburg,office,,\"two\r\nlines\"\n",
    );
    let rows = plan(
        ImportKind::Sites,
        &read(csv.as_bytes(), ImportKind::Sites).unwrap(),
        &Snapshot::default(),
    );
    let Action::Refuse(nul) = &rows[0].action else {
        panic!("{:?}", rows[0].action)
    };
    assert!(
        nul.contains("Column name") && nul.contains("unreadable"),
        "{nul}"
    );
    let Action::Refuse(escape) = &rows[1].action else {
        panic!("{:?}", rows[1].action)
    };
    assert!(
        escape.contains("Column location") && escape.contains("U+001B (escape)"),
        "{escape}"
    );
    assert_eq!(rows[1].label, "S2 Berlin");
    assert_eq!(rows[2].action, Action::Create);
}
