//! Everything a person or a client sends is cleaned here, once, before a handler sees it: form
//! bodies ([`Form`]) and query strings ([`Query`]) refuse control characters that make no sense
//! there, and any input that cannot be read — bad characters, a field sent twice, a hidden field
//! of the wrong type, an unknown choice — is answered by one page ([`InputRefused`]) that says
//! which field was wrong and why, and shows everything that was typed so nothing is lost.

mod decode;
mod extract;
mod refusal;

pub use extract::{Form, Query};
pub use refusal::{InputRefused, Problem, Source};
