#![allow(dead_code)]

pub mod sshd;
pub mod zkserver;
