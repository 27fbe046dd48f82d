//! Rights follow from roles and ownership a manager grants, never from data a person writes:
//! supplier contracts seen only through dependencies a manager vouched for, the directory
//! entries an owner may change (and how a change shows on the plans that print them), and
//! other owners' unfinished plan versions and hidden contracts kept out of sight.

mod contracts;
mod people;
mod plans;
