//! The list helper, seen through the users list: search, filter, sort, paginate, export.

use continuity::domain::role::Role;

use crate::support::TestApp;

#[tokio::test]
async fn the_users_list_searches_filters_and_sorts() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::Administrator).await;
    app.create_user_with(Role::Auditor, "zoe@test.example", "Zoë Auditor")
        .await;
    app.create_user_with(Role::ServiceOwner, "bob@test.example", "Bob Owner")
        .await;

    let searched = app
        .get(&client, "/admin/users?q=zo")
        .await
        .text()
        .await
        .unwrap();
    assert!(searched.contains("Zoë Auditor") && !searched.contains("Bob Owner"));

    let filtered = app
        .get(&client, "/admin/users?role=service_owner")
        .await
        .text()
        .await
        .unwrap();
    assert!(filtered.contains("Bob Owner") && !filtered.contains("Zoë Auditor"));

    let descending = app
        .get(&client, "/admin/users?sort=name&dir=desc")
        .await
        .text()
        .await
        .unwrap();
    let zoe = descending.find("Zoë Auditor").unwrap();
    let bob = descending.find("Bob Owner").unwrap();
    assert!(zoe < bob, "Z before B when descending");
    assert!(descending.contains("aria-sort=\"descending\""));
}

#[tokio::test]
async fn long_lists_paginate() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::Administrator).await;
    sqlx::query(
        "insert into users (email, display_name, role, password_hash)
         select 'bulk' || n || '@test.example', 'Bulk ' || lpad(n::text, 3, '0'), 'auditor', 'x' from generate_series(1, 60) n",
    )
    .execute(&app.state.db)
    .await
    .unwrap();
    let first = app
        .get(&client, "/admin/users?per_page=25&q=bulk")
        .await
        .text()
        .await
        .unwrap();
    assert!(first.contains("1–25 of 60"));
    assert!(first.contains("Bulk 001") && !first.contains("Bulk 026"));
    let third = app
        .get(&client, "/admin/users?per_page=25&q=bulk&page=3")
        .await
        .text()
        .await
        .unwrap();
    assert!(third.contains("51–60 of 60"));
    assert!(third.contains("Bulk 060"));
}

#[tokio::test]
async fn the_csv_export_is_filtered_like_the_page_and_safe_for_spreadsheets() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::Administrator).await;
    app.create_user_with(
        Role::Auditor,
        "formula@test.example",
        "=HYPERLINK(\"http://evil\")",
    )
    .await;
    app.create_user_with(Role::ServiceOwner, "plain@test.example", "Plain Owner")
        .await;
    let response = app.get(&client, "/admin/users.csv?role=auditor").await;
    assert_eq!(response.status(), 200);
    assert!(
        response
            .headers()
            .get("content-disposition")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("users-")
    );
    let text = response.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert!(text.contains("'=HYPERLINK"), "formula neutralised: {text}");
    assert!(!text.contains("Plain Owner"), "filtered like the page");
    assert!(text.contains("Auditor"), "roles exported as labels");
}

#[tokio::test]
async fn lists_sort_names_as_people_read_them_and_numbers_by_value() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = crate::support::catalogue::Catalogue::new(&app);
    let mut names = Vec::new();
    for name in ["BI reporting", "Backup and restore", "écritures", "Email"] {
        let id = catalogue.service(name, None).await;
        let stored: String = sqlx::query_scalar("select name from services where id = $1")
            .bind(id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        names.push(stored);
    }
    let page = app
        .get(&client, "/services?sort=name&dir=asc")
        .await
        .text()
        .await
        .unwrap();
    let at = |name: &str| page.find(name).unwrap_or_else(|| panic!("{name} listed"));
    assert!(at(&names[1]) < at(&names[0]), "Backup before BI reporting");
    assert!(at(&names[0]) < at(&names[2]), "BI before écritures");
    assert!(at(&names[2]) < at(&names[3]), "écritures before Email");
    // A count still sorts by value, not as text.
    let by_needs = app.get(&client, "/services?sort=needs&dir=asc").await;
    assert_eq!(by_needs.status(), 200);
}
