use std::process::ExitCode;

fn main() -> ExitCode {
    limit_malloc_arenas();
    flinkha::cli::main()
}

/// glibc gives each thread that allocates concurrently its own malloc arena (up to 8 per
/// core), and flinkha runs one thread per host (`ssh.parallelism`, default 32): at 30 hosts
/// that was a third of its peak RSS (27 MB for a sync, 21 MB with one arena; benches/scale.sh).
/// Two arenas keep most of the gain without making every host thread contend for one lock.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a glibc tunable; called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}
