#![allow(dead_code)]

pub mod cluster;
pub mod counts;
pub mod kdc;
pub mod minijm;
pub mod sshd;
pub mod upgrade;
pub mod zkserver;
