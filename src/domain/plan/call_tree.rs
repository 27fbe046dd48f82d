//! The call tree as people read it in an emergency: who starts, whom each person calls in turn,
//! and what to do when someone does not answer. Stored as a flat list of calls; arranged here as
//! a tree, with the mistakes that would leave someone uncalled or called twice refused by name.

use std::collections::HashMap;

use uuid::Uuid;

use super::content::Call;

/// One line of the arranged tree, in reading order (each caller before the people they call).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeRow {
    pub person: Uuid,
    /// 0 for the people who start the cascade.
    pub depth: usize,
    /// Who calls this person; `None` at the top.
    pub caller: Option<Uuid>,
    /// 1 for the first person their caller phones, 2 for the next, …
    pub order: usize,
    pub if_unreachable: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallTreeError {
    /// The call's position in the list (from 0).
    #[error("Call {} has someone calling themselves.", .0 + 1)]
    CallsSelf(usize),
    /// The call's position, the person called twice.
    #[error("Call {} calls someone who is already called earlier in the tree: each person is called once.", .0 + 1)]
    CalledTwice(usize, Uuid),
    /// Nobody starts the cascade: everyone is called by someone else.
    #[error("The calls go round in a circle, so nobody starts the cascade.")]
    Circular,
}

/// The calls arranged as a tree: starters first (in the order they appear as callers), each
/// followed by the people they call, depth first, in the listed order.
pub fn arrange(calls: &[Call]) -> Result<Vec<TreeRow>, CallTreeError> {
    let mut called_by: HashMap<Uuid, usize> = HashMap::new();
    for (index, call) in calls.iter().enumerate() {
        if call.caller == call.callee {
            return Err(CallTreeError::CallsSelf(index));
        }
        if called_by.insert(call.callee, index).is_some() {
            return Err(CallTreeError::CalledTwice(index, call.callee));
        }
    }
    let mut starters: Vec<Uuid> = Vec::new();
    for call in calls {
        if !called_by.contains_key(&call.caller) && !starters.contains(&call.caller) {
            starters.push(call.caller);
        }
    }
    // Each caller's calls in the listed order, so the walk below is linear.
    let mut calls_by_caller: HashMap<Uuid, Vec<usize>> = HashMap::new();
    for (index, call) in calls.iter().enumerate() {
        calls_by_caller.entry(call.caller).or_default().push(index);
    }
    let mut rows = Vec::with_capacity(calls.len() + starters.len());
    // (person, depth, the call that reached them)
    let mut stack: Vec<(Uuid, usize, Option<usize>, usize)> = starters
        .iter()
        .rev()
        .map(|&person| (person, 0, None, 0))
        .collect();
    while let Some((person, depth, via, order)) = stack.pop() {
        rows.push(TreeRow {
            person,
            depth,
            caller: via.map(|index| calls[index].caller),
            order,
            if_unreachable: via
                .map(|index| calls[index].if_unreachable.clone())
                .unwrap_or_default(),
        });
        let next = calls_by_caller.get(&person).map_or(&[][..], Vec::as_slice);
        for (position, &index) in next.iter().enumerate().rev() {
            stack.push((calls[index].callee, depth + 1, Some(index), position + 1));
        }
    }
    // Every callee is reached exactly once from a starter unless some calls form a loop that
    // no starter leads into.
    if rows.len() != calls.len() + starters.len() {
        return Err(CallTreeError::Circular);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn call(caller: u128, callee: u128) -> Call {
        Call {
            caller: person(caller),
            callee: person(callee),
            if_unreachable: format!("skip {callee}"),
        }
    }

    #[test]
    fn a_cascade_reads_depth_first_in_the_listed_order() {
        let rows = arrange(&[call(1, 2), call(1, 3), call(2, 4), call(3, 5)]).unwrap();
        let read: Vec<(u128, usize, usize)> = rows
            .iter()
            .map(|row| (row.person.as_u128(), row.depth, row.order))
            .collect();
        assert_eq!(
            read,
            vec![(1, 0, 0), (2, 1, 1), (4, 2, 1), (3, 1, 2), (5, 2, 1)]
        );
        assert_eq!(rows[2].caller, Some(person(2)));
        assert_eq!(rows[2].if_unreachable, "skip 4");
    }

    #[test]
    fn two_starters_each_lead_their_own_branch() {
        let rows = arrange(&[call(1, 2), call(9, 8)]).unwrap();
        let people: Vec<u128> = rows.iter().map(|row| row.person.as_u128()).collect();
        assert_eq!(people, vec![1, 2, 9, 8]);
    }

    #[test]
    fn someone_called_twice_is_refused() {
        assert_eq!(
            arrange(&[call(1, 2), call(3, 2)]),
            Err(CallTreeError::CalledTwice(1, person(2)))
        );
    }

    #[test]
    fn calling_yourself_is_refused() {
        assert_eq!(arrange(&[call(1, 1)]), Err(CallTreeError::CallsSelf(0)));
    }

    #[test]
    fn a_loop_nobody_leads_into_is_refused() {
        assert_eq!(
            arrange(&[call(1, 2), call(3, 4), call(4, 3)]),
            Err(CallTreeError::Circular)
        );
        assert_eq!(
            arrange(&[call(1, 2), call(2, 1)]),
            Err(CallTreeError::Circular)
        );
    }

    #[test]
    fn no_calls_is_an_empty_tree() {
        assert_eq!(arrange(&[]), Ok(Vec::new()));
    }
}
