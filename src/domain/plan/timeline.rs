//! The recovery steps drawn as a timeline (in progress).
