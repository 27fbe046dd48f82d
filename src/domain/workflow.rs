//! The life of a BIA exercise and of each assessment in it, as state machines: every move that
//! is allowed, and a sentence for every move that is not.

use std::fmt;

/// planned → open → in review → approved → closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExerciseStatus {
    Planned,
    Open,
    InReview,
    Approved,
    Closed,
}

/// draft → submitted → returned (→ submitted again) / approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentStatus {
    Draft,
    Submitted,
    Returned,
    Approved,
}

impl ExerciseStatus {
    pub const ALL: [Self; 5] = [
        Self::Planned,
        Self::Open,
        Self::InReview,
        Self::Approved,
        Self::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Open => "open",
            Self::InReview => "in_review",
            Self::Approved => "approved",
            Self::Closed => "closed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Planned => "Planned",
            Self::Open => "Open",
            Self::InReview => "In review",
            Self::Approved => "Approved",
            Self::Closed => "Closed",
        }
    }

    /// The one status that follows this one, if any.
    pub fn next(self) -> Option<Self> {
        match self {
            Self::Planned => Some(Self::Open),
            Self::Open => Some(Self::InReview),
            Self::InReview => Some(Self::Approved),
            Self::Approved => Some(Self::Closed),
            Self::Closed => None,
        }
    }

    /// Whether owners may still answer and managers still review.
    pub fn accepts_answers(self) -> bool {
        matches!(self, Self::Open | Self::InReview)
    }
}

impl AssessmentStatus {
    pub const ALL: [Self; 4] = [Self::Draft, Self::Submitted, Self::Returned, Self::Approved];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Returned => "returned",
            Self::Approved => "approved",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Submitted => "Submitted",
            Self::Returned => "Returned",
            Self::Approved => "Approved",
        }
    }

    /// Whether the owner may still change the answers.
    pub fn editable(self) -> bool {
        matches!(self, Self::Draft | Self::Returned)
    }

    /// Whether its owner may still answer it while the exercise is `exercise`. Once an exercise
    /// is in review, only questionnaires a manager returned can change: the others are frozen
    /// as they were, so the review reads settled answers. Reopening the exercise lifts that.
    pub fn answerable_in(self, exercise: ExerciseStatus) -> bool {
        match exercise {
            ExerciseStatus::Open => self.editable(),
            ExerciseStatus::InReview => self == Self::Returned,
            _ => false,
        }
    }
}

/// A move an assessment can be asked to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentMove {
    Submit,
    Return,
    Approve,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Moves an exercise one step on; any other move is refused.
pub fn advance_exercise(
    from: ExerciseStatus,
    to: ExerciseStatus,
) -> Result<ExerciseStatus, Refused> {
    if from.next() == Some(to) {
        Ok(to)
    } else {
        Err(Refused(format!(
            "An exercise that is {} cannot become {}.",
            from.label().to_lowercase(),
            to.label().to_lowercase()
        )))
    }
}

/// Taking an exercise in review back to open, so that owners can answer again: the only way
/// back, for a review started too early.
pub fn reopen_exercise(from: ExerciseStatus) -> Result<ExerciseStatus, Refused> {
    if from == ExerciseStatus::InReview {
        Ok(ExerciseStatus::Open)
    } else {
        Err(Refused(format!(
            "Only an exercise in review can be reopened; this one is {}.",
            from.label().to_lowercase()
        )))
    }
}

/// Where an assessment goes on a move, given its exercise's status.
pub fn move_assessment(
    exercise: ExerciseStatus,
    from: AssessmentStatus,
    requested: AssessmentMove,
) -> Result<AssessmentStatus, Refused> {
    use AssessmentMove::*;
    use AssessmentStatus::*;
    if !exercise.accepts_answers() {
        return Err(Refused(format!(
            "The exercise is {}: assessments can change only while it is open or in review.",
            exercise.label().to_lowercase()
        )));
    }
    match (from, requested) {
        (Draft, Submit) if exercise == ExerciseStatus::InReview => Err(Refused(
            "The exercise is in review: only questionnaires returned to their owners can still \
             change."
                .to_owned(),
        )),
        (Draft | Returned, Submit) => Ok(Submitted),
        // In review a draft is frozen; a manager can hand it back so its owner finishes it.
        (Draft, Return) if exercise == ExerciseStatus::InReview => Ok(Returned),
        (Submitted, Return) => Ok(Returned),
        (Submitted, Approve) => Ok(Approved),
        (status, requested) => Err(Refused(format!(
            "A {} assessment cannot be {}.",
            status.label().to_lowercase(),
            match requested {
                Submit => "submitted",
                Return => "returned",
                Approve => "approved",
            }
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exercise_moves_one_step_at_a_time() {
        assert_eq!(
            advance_exercise(ExerciseStatus::Planned, ExerciseStatus::Open),
            Ok(ExerciseStatus::Open)
        );
        assert!(advance_exercise(ExerciseStatus::Planned, ExerciseStatus::Approved).is_err());
        assert!(advance_exercise(ExerciseStatus::Closed, ExerciseStatus::Planned).is_err());
        assert!(advance_exercise(ExerciseStatus::Open, ExerciseStatus::Open).is_err());
    }

    #[test]
    fn every_illegal_exercise_move_is_refused() {
        for from in ExerciseStatus::ALL {
            for to in ExerciseStatus::ALL {
                assert_eq!(
                    advance_exercise(from, to).is_ok(),
                    from.next() == Some(to),
                    "{from:?} → {to:?}"
                );
            }
        }
    }

    #[test]
    fn assessments_follow_submit_return_approve() {
        use AssessmentMove::*;
        use AssessmentStatus::*;
        let open = ExerciseStatus::Open;
        assert_eq!(move_assessment(open, Draft, Submit), Ok(Submitted));
        assert_eq!(move_assessment(open, Submitted, Return), Ok(Returned));
        assert_eq!(move_assessment(open, Returned, Submit), Ok(Submitted));
        assert_eq!(move_assessment(open, Submitted, Approve), Ok(Approved));
        assert!(move_assessment(open, Draft, Approve).is_err());
        assert!(move_assessment(open, Approved, Submit).is_err());
        assert!(move_assessment(open, Returned, Return).is_err());
    }

    #[test]
    fn in_review_only_returned_questionnaires_can_still_change() {
        use AssessmentStatus::*;
        let review = ExerciseStatus::InReview;
        assert!(Returned.answerable_in(review));
        assert!(!Draft.answerable_in(review));
        assert!(Draft.answerable_in(ExerciseStatus::Open));
        assert!(!Submitted.answerable_in(ExerciseStatus::Open));
        let refused = move_assessment(review, Draft, AssessmentMove::Submit).unwrap_err();
        assert!(refused.0.contains("in review"), "{refused}");
        assert_eq!(
            move_assessment(review, Returned, AssessmentMove::Submit),
            Ok(Submitted)
        );
        // … and a manager can hand a frozen draft back to its owner.
        assert_eq!(
            move_assessment(review, Draft, AssessmentMove::Return),
            Ok(Returned)
        );
        assert!(move_assessment(ExerciseStatus::Open, Draft, AssessmentMove::Return).is_err());
    }

    #[test]
    fn only_an_exercise_in_review_goes_back_to_open() {
        for from in ExerciseStatus::ALL {
            assert_eq!(
                reopen_exercise(from).is_ok(),
                from == ExerciseStatus::InReview,
                "{from:?}"
            );
        }
    }

    #[test]
    fn nothing_moves_in_a_planned_or_closed_exercise() {
        for exercise in [
            ExerciseStatus::Planned,
            ExerciseStatus::Approved,
            ExerciseStatus::Closed,
        ] {
            let refused =
                move_assessment(exercise, AssessmentStatus::Draft, AssessmentMove::Submit)
                    .unwrap_err();
            assert!(refused.0.contains("only while it is open"), "{refused}");
        }
    }
}
