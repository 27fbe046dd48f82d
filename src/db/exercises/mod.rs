//! Plan tests and exercises as stored: the test with its scope ([`records`]), what was measured
//! and found ([`results`]), the programme's and the pages' views of the latest tests
//! ([`programme`]), training and the awareness register ([`awareness`]), and the evidence files
//! ([`documents`]).

pub mod awareness;
pub mod documents;
pub mod programme;
pub mod records;
pub mod results;
