//! What of a person's directory entry a plan prints (name, job, organisation, email, phones):
//! a change to any of it after a plan was approved changes what the plan says, so it is shown
//! in that plan's history and makes its offline copies outdated.

/// The printed part of a directory entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contact<'a> {
    pub name: &'a str,
    pub job_title: &'a str,
    pub organisation: &'a str,
    pub email: &'a str,
    pub office_phone: &'a str,
    pub mobile_phone: &'a str,
}

/// The printed fields that differ, as words for a sentence, in the order a plan prints them.
/// Surrounding spaces are not a change (the directory trims them on save).
pub fn changed_fields(before: &Contact<'_>, after: &Contact<'_>) -> Vec<&'static str> {
    let pairs = [
        ("name", before.name, after.name),
        ("job title", before.job_title, after.job_title),
        ("organisation", before.organisation, after.organisation),
        ("email", before.email, after.email),
        ("office phone", before.office_phone, after.office_phone),
        (
            "out-of-office phone",
            before.mobile_phone,
            after.mobile_phone,
        ),
    ];
    pairs
        .into_iter()
        .filter(|(_, old, new)| old.trim() != new.trim())
        .map(|(label, _, _)| label)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jane() -> Contact<'static> {
        Contact {
            name: "Jane Doe",
            job_title: "DBA",
            organisation: "IT",
            email: "jane@example.com",
            office_phone: "+44 20 1",
            mobile_phone: "+44 77 1",
        }
    }

    #[test]
    fn a_new_phone_number_is_a_change_of_what_the_plan_prints() {
        let after = Contact {
            office_phone: "+44 20 2",
            mobile_phone: "+44 77 2",
            ..jane()
        };
        assert_eq!(
            changed_fields(&jane(), &after),
            vec!["office phone", "out-of-office phone"]
        );
    }

    #[test]
    fn the_same_details_with_surrounding_spaces_are_no_change() {
        let after = Contact {
            email: " jane@example.com ",
            ..jane()
        };
        assert!(changed_fields(&jane(), &after).is_empty());
    }
}
