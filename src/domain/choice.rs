//! Closed sets of stored values (a status, a kind, a source) with the label people read, in the
//! order forms offer them: one macro, so every such set parses, prints and lists the same way.

/// Defines a closed set of stored values with their labels, in the order forms offer them.
macro_rules! choice_set {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $value:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $value),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(value: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|choice| choice.as_str() == value)
            }
        }
    };
}
pub(crate) use choice_set;
