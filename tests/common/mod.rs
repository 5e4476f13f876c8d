#![allow(dead_code)]

pub mod cluster;
pub mod sshd;
pub mod zkserver;
