//! Input hygiene at the edge: control characters in addresses, forms and imports, tampered forms,
//! out-of-range dates, the sign-in's return address and uploaded file names — refused or cleaned
//! with a message, the typed input kept, never a 500.

use continuity::domain::role::Role;
use reqwest::multipart::{Form, Part};
use uuid::Uuid;

use crate::browser::sign_in;
use crate::support::browser::Browser;
use crate::support::suppliers::Suppliers;
use crate::support::{ADMIN_EMAIL, PASSWORD, TestApp, location};

/// Every list (the issue counted 11; the questionnaire list came since) with its first filter; each also answers as CSV at `path.csv`.
const LISTS: &[(&str, &str)] = &[
    ("/services", "owner"),
    ("/processes", "unit"),
    ("/components", "class"),
    ("/sites", "kind"),
    ("/people", "account"),
    ("/plans", "kind"),
    ("/bia", "status"),
    ("/bia/assessments", "exercise"),
    ("/suppliers", "category"),
    ("/contracts", "support"),
    ("/admin/users", "role"),
    ("/audit", "entity"),
];

async fn status_and_text(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

#[tokio::test]
async fn a_nul_in_any_list_search_or_filter_is_refused_with_a_message_never_a_500() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.signed_in(Role::Administrator).await;
    for (path, filter) in LISTS {
        for address in [path.to_string(), format!("{path}.csv")] {
            for query in ["q=pay%00roll".to_string(), format!("{filter}=x%00y")] {
                let url = format!("{address}?{query}");
                let (status, page) = status_and_text(app.get(&admin, &url).await).await;
                assert_eq!(status, 422, "{url}");
                assert!(page.contains("U+0000 (NUL)"), "{url}: {page}");
                assert!(page.contains("This address could not be used"), "{url}");
            }
        }
        let (status, _) =
            status_and_text(app.get(&admin, &format!("{path}?q=payroll")).await).await;
        assert_eq!(status, 200, "{path} still searches");
    }
}

#[tokio::test]
async fn other_control_characters_in_addresses_are_refused_too() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    for url in [
        "/services?q=a%09b",
        "/contracts/renewals?days=3%0B",
        "/map?levels=%1B",
        "/pick?kinds=service&pick=a%00",
        "/services?q=a%7F",
        "/services?q=a%C2%85",
    ] {
        let (status, page) = status_and_text(app.get(&manager, url).await).await;
        assert_eq!(status, 422, "{url}");
        assert!(page.contains("control character"), "{url}: {page}");
    }
}

#[tokio::test]
async fn a_nul_in_a_form_field_is_refused_naming_the_field_and_keeping_the_input() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.signed_in(Role::Administrator).await;
    let elsewhere = Uuid::new_v4();
    let flag = format!("/plans/{elsewhere}/flag");
    let save = format!("/bia/assessments/{elsewhere}");
    let submit = format!("/bia/assessments/{elsewhere}/submit");
    let forms: &[(&str, &[(&str, &str)])] = &[
        (
            "/services",
            &[
                ("name", "Pay\0roll"),
                ("description", "Kept description"),
                ("version", "0"),
            ],
        ),
        (
            "/sites",
            &[("name", "Frank\0furt"), ("location", "Kept location")],
        ),
        (
            "/processes",
            &[("name", "Order\0ing"), ("description", "Kept description")],
        ),
        (
            "/components",
            &[("name", "erp\0db"), ("description", "Kept description")],
        ),
        (
            "/people",
            &[
                ("name", "Raj\0Patel"),
                ("organisation", "Kept organisation"),
            ],
        ),
        (
            "/suppliers",
            &[("name", "North\0Link"), ("notes", "Kept notes")],
        ),
        (
            "/admin/users",
            &[
                ("display_name", "Owen\0Price"),
                ("email", "kept@example.com"),
            ],
        ),
        (
            "/bia",
            &[
                ("name", "BIA\0 2027"),
                ("instructions", "Kept instructions"),
            ],
        ),
        ("/plans", &[("title", "Pl\0an"), ("kind", "Kept kind")]),
        (&flag, &[("comment", "Re\0view"), ("version", "Kept 1")]),
        (&save, &[("justification", "x\0y"), ("version", "Kept 2")]),
        (&submit, &[("justification", "x\0z"), ("version", "Kept 3")]),
    ];
    for (path, fields) in forms {
        let (status, page) = status_and_text(app.post(&admin, path, fields).await).await;
        assert_eq!(status, 422, "{path}");
        assert!(
            page.contains("Some of what you sent could not be used"),
            "{path}"
        );
        assert!(page.contains("U+0000 (NUL)"), "{path}: {page}");
        let (bad_field, bad_value) = fields[0];
        assert!(
            page.contains(&bad_field.replace('_', " ")),
            "{path} names the field"
        );
        assert!(
            page.contains(&bad_value.replace('\0', "␀")),
            "{path} shows the bad value with the NUL made visible"
        );
        assert!(page.contains(fields[1].1), "{path} keeps the other fields");
        assert!(
            page.contains("data-history-back"),
            "{path} offers the way back"
        );
    }
    for table in [
        "services",
        "sites",
        "business_processes",
        "components",
        "people",
        "suppliers",
        "bia_exercises",
    ] {
        let count: i64 = sqlx::query_scalar(&format!("select count(*) from {table}"))
            .fetch_one(&app.state.db)
            .await
            .expect("count");
        assert_eq!(count, 0, "nothing was written to {table}");
    }
}

#[tokio::test]
async fn line_breaks_and_tabs_stay_welcome_in_multi_line_text() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let response = app
        .post(
            &manager,
            "/suppliers",
            &[
                ("name", "NorthLink"),
                ("category", "strategic"),
                ("phone", "+44 20 7946 0130"),
                ("notes", "First line\r\nSecond\tline"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let notes: String = sqlx::query_scalar("select notes from suppliers")
        .fetch_one(&app.state.db)
        .await
        .expect("notes");
    assert!(notes.contains("Second\tline"), "{notes:?}");
}

#[tokio::test]
async fn a_tampered_form_says_what_was_wrong_and_keeps_the_typed_input() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let typed = [
        ("name", "NorthLink"),
        ("category", "strategic"),
        ("notes", "Typed with care"),
    ];

    let mut duplicated = typed.to_vec();
    duplicated.push(("name", "SouthLink"));
    let (status, page) = status_and_text(app.post(&manager, "/suppliers", &duplicated).await).await;
    assert_eq!(status, 422);
    assert!(page.contains("sent 2 times"), "{page}");
    assert!(page.contains("NorthLink") && page.contains("SouthLink"));
    assert!(page.contains("Typed with care"));
    assert!(!page.contains("Form not understood"));

    let mut bad_version = typed.to_vec();
    bad_version.push(("version", "abc"));
    let (status, page) =
        status_and_text(app.post(&manager, "/suppliers", &bad_version).await).await;
    assert_eq!(status, 422);
    assert!(page.contains("<strong>version</strong>"), "{page}");
    assert!(
        page.contains("should be a number, but it was “abc”"),
        "{page}"
    );
    assert!(page.contains("Typed with care") && page.contains("NorthLink"));

    let (status, page) = status_and_text(
        app.post(
            &manager,
            "/bia/method",
            &[("version", "1"), ("version", "2"), ("unacceptable", "4")],
        )
        .await,
    )
    .await;
    assert!(status < 500, "{status}: {page}");
}

#[tokio::test]
async fn passwords_are_never_shown_on_the_refusal_page() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.signed_in(Role::Administrator).await;
    let (status, page) = status_and_text(
        app.post(
            &admin,
            "/admin/users",
            &[
                ("email", "owen@example.com"),
                ("display_name", "Owen\u{7}"),
                ("password", "orchard-violet-compass-12"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("owen@example.com") && page.contains("U+0007 (BEL)"));
    assert!(!page.contains("orchard-violet-compass-12"));
}

#[tokio::test]
async fn dates_postgresql_refuses_are_not_applied_to_the_audit_log_and_refuse_its_export() {
    let app = TestApp::spawn().await;
    let (auditor, _) = app.signed_in(Role::Auditor).await;
    for odd in [
        "%2B002024-06-14",
        "+002024-06-14",
        "-000001-01-01",
        "0000-01-01",
        "1899-12-31",
    ] {
        for key in ["from", "to"] {
            let url = format!("/audit?{key}={odd}");
            let (status, page) = status_and_text(app.get(&auditor, &url).await).await;
            assert_eq!(status, 200, "{url}");
            assert!(page.contains("was not applied"), "{url}: {page}");
            // An export must hold what was asked for: it is refused instead.
            let (status, page) =
                status_and_text(app.get(&auditor, &format!("/audit.csv?{key}={odd}")).await).await;
            assert_eq!(status, 422, "{url} as CSV");
            assert!(
                page.contains("Write the date as YYYY-MM-DD")
                    || page.contains("Use a year from 1900"),
                "{url}: {page}"
            );
        }
    }
    let (status, page) = status_and_text(app.get(&auditor, "/audit?from=2024-06-14").await).await;
    assert_eq!(status, 200);
    assert!(!page.contains("was not applied"));
}

#[tokio::test]
async fn dates_out_of_range_are_refused_on_the_contract_and_exercise_forms() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let supplier = Suppliers::new(&app).supplier("Colo").await;
    for (odd, message) in [
        ("0000-01-01", "Use a year from 1900 to 9999."),
        ("-000001-01-01", "Write the date as YYYY-MM-DD"),
        ("+002024-06-14", "Write the date as YYYY-MM-DD"),
        ("2027-02-30", "That day does not exist"),
    ] {
        let form = [
            ("supplier_id", supplier.to_string()),
            ("reference", "C-1".to_owned()),
            ("title", "Hosting".to_owned()),
            ("start_date", odd.to_owned()),
            ("support_hours", "24x7".to_owned()),
            ("regional_priority", "unspecified".to_owned()),
            ("version", "0".to_owned()),
        ];
        let (status, page) =
            status_and_text(app.post_form(&manager, "/contracts", &form).await).await;
        assert_eq!(status, 422, "{odd}");
        assert!(page.contains(message), "{odd}: {page}");
        assert!(
            page.contains("value=\"Hosting\""),
            "the typed title is kept"
        );

        let (status, page) = status_and_text(
            app.post(&manager, "/bia", &[("name", "BIA 2027"), ("due_date", odd)])
                .await,
        )
        .await;
        assert_eq!(status, 422, "{odd}");
        assert!(page.contains(message), "{odd}: {page}");
    }
}

#[tokio::test]
async fn sign_in_returns_only_to_a_local_path() {
    let app = TestApp::spawn().await;
    let user = app.create_user(Role::Auditor).await;
    let encoded = [
        "/\t/evil.example",
        "/\u{b}/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/%09/evil.example",
    ];
    for next in encoded {
        let client = app.client();
        let response = app
            .post(
                &client,
                "/login",
                &[
                    ("email", user.email.as_str()),
                    ("password", &user.password),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(response.status(), 303, "{next:?}");
        assert_eq!(location(&response), "/", "{next:?}");
    }
    for raw in ["/\t/evil.example", "/\u{b}/evil.example"] {
        let body = format!(
            "email={}&password={}&next={raw}",
            user.email.replace('@', "%40"),
            user.password
        );
        let response = app
            .client()
            .post(app.url("/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("sign-in");
        assert_eq!(response.status(), 303, "raw {raw:?}");
        assert_eq!(location(&response), "/", "raw {raw:?}");
    }
    let client = app.client();
    let response = app
        .post(
            &client,
            "/login",
            &[
                ("email", user.email.as_str()),
                ("password", &user.password),
                ("next", "/audit?q=x"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/audit?q=x");

    for query in ["next=%2F%0B%2Fevil.example", "next=%2F%09%2Fevil.example"] {
        let (status, page) =
            status_and_text(app.get(&app.client(), &format!("/login?{query}")).await).await;
        assert_eq!(status, 200, "{query}");
        assert!(!page.contains("evil.example"), "{query}");
    }
}

#[tokio::test]
async fn a_document_name_hiding_a_direction_override_is_stored_without_it() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let suppliers = Suppliers::new(&app);
    let supplier = suppliers.supplier("Docs").await;
    let contract = suppliers.contract(supplier, "D", |_| {}).await;
    let form = Form::new()
        .part(
            "document",
            Part::bytes(b"%PDF-1.7 signed".to_vec()).file_name("report\u{202E}txt\u{2066}.pdf"),
        )
        .percent_encode_noop();
    let response = manager
        .post(app.url(&format!("/contracts/{contract}/documents")))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status(), 303);
    let name: String =
        sqlx::query_scalar("select file_name from contract_documents where contract_id = $1")
            .bind(contract)
            .fetch_one(&app.state.db)
            .await
            .expect("stored");
    assert_eq!(name, "reporttxt.pdf");
}

#[tokio::test]
async fn an_import_refuses_rows_with_control_characters_one_by_one_and_cleans_its_name() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let csv =
        "external_id,name,kind\nS1,Frank\0furt,office\nS2,Ber\u{1b}lin,office\nS3,Hamburg,office\n";
    let form = Form::new()
        .text("kind", "sites")
        .part(
            "file",
            Part::bytes(csv.as_bytes().to_vec())
                .file_name("sites\u{202E}vsc.csv")
                .mime_str("text/csv")
                .expect("mime"),
        )
        .percent_encode_noop();
    let response = manager
        .post(app.url("/import"))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status(), 303);
    let preview = location(&response);
    let (status, page) = status_and_text(app.get(&manager, &preview).await).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Column name holds an unreadable character"),
        "{page}"
    );
    assert!(page.contains("U+001B (escape)"), "{page}");
    assert!(
        page.contains("Will be created."),
        "the clean row is still planned"
    );
    let id: Uuid = preview.trim_start_matches("/import/").parse().expect("id");
    let name: String = sqlx::query_scalar("select file_name from catalogue_imports where id = $1")
        .bind(id)
        .fetch_one(&app.state.db)
        .await
        .expect("stored");
    assert_eq!(name, "sitesvsc.csv");

    let confirm = app.post(&manager, &format!("{preview}/confirm"), &[]).await;
    assert!(confirm.status().as_u16() < 500);
    let names: Vec<String> = sqlx::query_scalar("select name from sites order by name")
        .fetch_all(&app.state.db)
        .await
        .expect("sites");
    assert_eq!(names, ["Hamburg"]);
}

#[tokio::test]
async fn a_nul_in_an_address_path_is_not_found_never_a_500() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.signed_in(Role::Administrator).await;
    for path in [
        "/services/%00",
        "/plans/%00",
        "/contracts/%00",
        "/suppliers/%00",
        "/people/%00",
        "/bia/%00",
        "/bia/assessments/%00",
        "/admin/users/%00",
        "/import/%00",
    ] {
        let status = app.get(&admin, path).await.status().as_u16();
        assert!((400..500).contains(&status), "{path}: {status}");
    }
}

#[tokio::test]
async fn back_from_the_refusal_page_finds_the_form_as_it_was_typed() {
    let app = TestApp::spawn().await;
    let browser = Browser::start(&app.address).await;
    let outcome = refuse_then_go_back(&browser).await;
    browser.finish("back_from_the_refusal_page", outcome).await;
}

async fn refuse_then_go_back(browser: &Browser) -> anyhow::Result<()> {
    sign_in(browser, ADMIN_EMAIL, PASSWORD).await?;
    browser.wait_for_text("Welcome").await?;
    browser.goto("/suppliers/new").await?;
    browser.fill("#name", "NorthLink").await?;
    browser.fill("#notes", "Typed with care").await?;
    // A value no keyboard types: the form gains a field holding a NUL.
    browser
        .client
        .execute(
            "const field = document.createElement('input'); field.type = 'hidden'; \
             field.name = 'tampered'; field.value = 'x\\u0000y'; \
             document.querySelector('form.stacked').appendChild(field);",
            Vec::new(),
        )
        .await?;
    browser.click("form.stacked button.primary").await?;
    browser
        .wait_for_text("Some of what you sent could not be used")
        .await?;
    browser.wait_for_text("x␀y").await?;
    browser.click("a[data-history-back]").await?;
    browser.wait_for_text("New supplier").await?;
    let name = browser.wait_for("#name").await?.prop("value").await?;
    anyhow::ensure!(
        name.as_deref() == Some("NorthLink"),
        "the typed name is still in the form, found {name:?}"
    );

    // A list's search is sent by htmx for part of the page; its refusal still shows in full.
    browser.goto("/services").await?;
    browser.wait_for("#list-q").await?;
    browser
        .client
        .execute(
            "document.querySelector('#list-q').value = 'pay\\u0000roll';",
            Vec::new(),
        )
        .await?;
    browser.click(".list-toolbar button[type=submit]").await?;
    browser
        .wait_for_text("This address could not be used")
        .await?;
    browser.wait_for_text("pay␀roll").await?;
    Ok(())
}
