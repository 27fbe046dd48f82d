//! Who may change whom in the people directory, and how a change to what an approved plan prints
//! shows on that plan: in its history, and as outdated offline copies.

use continuity::domain::role::Role;
use uuid::Uuid;

use crate::support::catalogue::Catalogue;
use crate::support::plans::{self, Cast};
use crate::support::{TestApp, TestUser};

/// The edit form for `person` with new phone numbers and everything else as stored.
async fn new_numbers(app: &TestApp, person: Uuid, office: &str) -> Vec<(&'static str, String)> {
    let (name, job_title, version, user_id): (String, String, i32, Option<Uuid>) =
        sqlx::query_as("select name, job_title, version, user_id from people where id = $1")
            .bind(person)
            .fetch_one(&app.state.db)
            .await
            .expect("person");
    vec![
        ("name", name),
        ("job_title", job_title),
        (
            "user_id",
            user_id.map(|id| id.to_string()).unwrap_or_default(),
        ),
        ("office_phone", office.to_owned()),
        ("mobile_phone", "+44 7700 900555".to_owned()),
        ("version", version.to_string()),
    ]
}

async fn office_phone(app: &TestApp, person: Uuid) -> String {
    sqlx::query_scalar("select office_phone from people where id = $1")
        .bind(person)
        .fetch_one(&app.state.db)
        .await
        .expect("phone")
}

/// An approved plan over a service of `owner`, naming the cast.
async fn approved_plan_of(app: &TestApp, owner: &TestUser, cast: &Cast) -> Uuid {
    let service = Catalogue::new(app).service("Payroll", Some(owner.id)).await;
    plans::plan(
        app,
        &plans::complete_content(&[service], cast),
        None,
        "approved",
    )
    .await
}

#[tokio::test]
async fn an_owner_cannot_change_the_numbers_another_owners_approved_plan_prints() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.signed_in(Role::ServiceOwner).await;
    let other = app.create_user(Role::ServiceOwner).await;
    let cast = Cast::new(&app, None).await;
    approved_plan_of(&app, &other, &cast).await;

    let path = format!("/people/{}", cast.lead);
    assert_eq!(app.get(&owner, &format!("{path}/edit")).await.status(), 403);
    let form = new_numbers(&app, cast.lead, "+1 555 0100").await;
    assert_eq!(app.post_form(&owner, &path, &form).await.status(), 403);
    assert_eq!(office_phone(&app, cast.lead).await, "+44 20 7946 0999");
    let page = app.text(&owner, &path).await;
    assert!(!page.contains(&format!("{path}/edit")));
    assert!(page.contains("Only a continuity manager changes this entry"));
}

#[tokio::test]
async fn an_owner_cannot_change_the_directory_entry_of_another_user() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.signed_in(Role::ServiceOwner).await;
    let admin = app.create_user(Role::Administrator).await;
    let admins_entry = plans::person(&app, "Administrator", Some(admin.id)).await;

    let form = new_numbers(&app, admins_entry, "+1 555 0100").await;
    let response = app
        .post_form(&owner, &format!("/people/{admins_entry}"), &form)
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(office_phone(&app, admins_entry).await, "+44 20 7946 0999");
}

#[tokio::test]
async fn an_owner_changes_their_own_entry_and_people_only_their_own_plans_name() {
    let app = TestApp::spawn().await;
    let (owner, owner_user) = app.signed_in(Role::ServiceOwner).await;
    let own_entry = plans::person(&app, "Me", Some(owner_user.id)).await;
    let cast = Cast::new(&app, None).await;
    let plan = approved_plan_of(&app, &owner_user, &cast).await;

    for person in [own_entry, cast.lead] {
        let form = new_numbers(&app, person, "+44 20 7946 0123").await;
        let response = app
            .post_form(&owner, &format!("/people/{person}"), &form)
            .await;
        assert_eq!(response.status(), 303, "editing {person}");
        assert_eq!(office_phone(&app, person).await, "+44 20 7946 0123");
    }
    // Their own approved plan records it.
    let page = app.text(&owner, &format!("/plans/{plan}")).await;
    assert!(
        page.contains("changed the contact details of Lead"),
        "{page}"
    );
}

#[tokio::test]
async fn a_person_also_named_in_another_owners_draft_is_not_the_owners_to_change() {
    let app = TestApp::spawn().await;
    let (owner, owner_user) = app.signed_in(Role::ServiceOwner).await;
    let other = app.create_user(Role::ServiceOwner).await;
    let cast = Cast::new(&app, None).await;
    approved_plan_of(&app, &owner_user, &cast).await;
    let theirs = Catalogue::new(&app).service("Theirs", Some(other.id)).await;
    plans::plan(
        &app,
        &plans::complete_content(&[theirs], &cast),
        None,
        "draft",
    )
    .await;

    let form = new_numbers(&app, cast.lead, "+1 555 0100").await;
    let response = app
        .post_form(&owner, &format!("/people/{}", cast.lead), &form)
        .await;
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn a_changed_number_in_an_approved_plan_shows_in_its_history_and_outdates_offline_copies() {
    let app = TestApp::spawn().await;
    let (manager, manager_user) = app.signed_in(Role::ContinuityManager).await;
    let (holder, _) = app.signed_in(Role::Auditor).await;
    let owner = app.create_user(Role::ServiceOwner).await;
    let cast = Cast::new(&app, None).await;
    let plan = approved_plan_of(&app, &owner, &cast).await;
    let page = format!("/plans/{plan}");
    assert_eq!(
        app.get(&holder, &format!("{page}/pack")).await.status(),
        200
    );
    let before = app.text(&manager, &page).await;
    assert!(before.contains("badge-green\">Current"), "{before}");

    // Only unprinted notes: nothing to tell the plan.
    let mut notes_only = new_numbers(&app, cast.lead, "+44 20 7946 0999").await;
    notes_only.retain(|(field, _)| *field != "mobile_phone");
    notes_only.push(("mobile_phone", "+44 7700 900999".to_owned()));
    notes_only.push(("notes", "Prefers text messages".to_owned()));
    let response = app
        .post_form(&manager, &format!("/people/{}", cast.lead), &notes_only)
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        app.audit_count("person", "contacts_changed_in_plans").await,
        0
    );

    let form = new_numbers(&app, cast.lead, "+1 555 0100").await;
    let response = app
        .post_form(&manager, &format!("/people/{}", cast.lead), &form)
        .await;
    assert_eq!(response.status(), 303);

    let after = app.text(&manager, &page).await;
    assert!(
        after.contains("changed the contact details of Lead"),
        "{after}"
    );
    assert!(
        after.contains("Office phone, out-of-office phone changed in the directory after approval")
    );
    assert!(after.contains(&manager_user.email));
    assert!(after.contains("badge-red\">Outdated"), "{after}");
    assert!(after.contains("Contact details it prints changed after it was taken."));
    assert_eq!(
        app.audit_count("person", "contacts_changed_in_plans").await,
        1
    );

    // A copy taken after the change is current again.
    app.get(&holder, &format!("{page}/pack")).await;
    let retaken = app.text(&manager, &page).await;
    assert!(retaken.contains("badge-green\">Current"));
}
