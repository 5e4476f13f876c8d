//! Operations on a resolved [`crate::core::model::Cluster`].

pub mod check;
pub mod daemons;
pub mod deployment;
pub mod doctor;
pub mod drill;
pub mod health;
pub mod install;
pub mod jobs;
pub mod leader;
pub mod leader_rest;
pub mod lifecycle;
#[cfg(test)]
mod proptests;
pub mod shadow;
pub mod status;
pub mod steps;
pub mod sync;
pub mod upgrade;
