//! The life of a plan version (in progress).
