//! The indicatif implementation of the core's [`Reporter`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::core::reporter::Reporter;

use super::Printer;

/// Progress bars per host on stderr; plain status lines when bars are off.
pub struct ProgressReporter {
    printer: Printer,
    multi: MultiProgress,
    bars: Mutex<HashMap<String, ProgressBar>>,
    waiting: Mutex<Option<ProgressBar>>,
}

impl ProgressReporter {
    /// For `printer` (bars only when `printer.progress`).
    pub fn new(printer: Printer) -> ProgressReporter {
        let target = if printer.progress {
            ProgressDrawTarget::stderr_with_hz(8)
        } else {
            ProgressDrawTarget::hidden()
        };
        ProgressReporter {
            printer,
            multi: MultiProgress::with_draw_target(target),
            bars: Mutex::new(HashMap::new()),
            waiting: Mutex::new(None),
        }
    }

    fn bar(&self, host: &str) -> ProgressBar {
        let mut bars = self.bars.lock().expect("bars lock");
        bars.entry(host.to_string())
            .or_insert_with(|| {
                let b = self.multi.add(ProgressBar::new_spinner());
                b.set_style(
                    ProgressStyle::with_template("{spinner:.cyan} {prefix:12.bold} {msg}")
                        .expect("static template"),
                );
                b.set_prefix(host.to_string());
                b.enable_steady_tick(Duration::from_millis(120));
                b
            })
            .clone()
    }

    fn line(&self, text: &str) {
        if self.printer.progress {
            let _ = self.multi.println(text);
        } else {
            self.printer.status(text);
        }
    }

    /// Remove every bar (call before printing results).
    pub fn finish(&self) {
        for (_, b) in self.bars.lock().expect("bars lock").drain() {
            b.finish_and_clear();
        }
        if let Some(w) = self.waiting.lock().expect("wait lock").take() {
            w.finish_and_clear();
        }
        let _ = self.multi.clear();
    }
}

impl Reporter for ProgressReporter {
    fn phase(&self, name: &str) {
        if let Some(w) = self.waiting.lock().expect("wait lock").take() {
            w.finish_and_clear();
        }
        self.line(&format!("{} {name}", console::style("==>").cyan().bold()));
    }

    fn host_started(&self, host: &str, what: &str) {
        if self.printer.progress {
            let b = self.bar(host);
            b.set_style(
                ProgressStyle::with_template("{spinner:.cyan} {prefix:12.bold} {msg}")
                    .expect("static template"),
            );
            b.set_message(what.to_string());
        }
    }

    fn host_bytes(&self, host: &str, done: u64, total: u64) {
        if self.printer.progress {
            let b = self.bar(host);
            if b.length() != Some(total) {
                b.set_length(total);
                b.set_style(
                    ProgressStyle::with_template(
                        "{spinner:.cyan} {prefix:12.bold} {msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}",
                    )
                    .expect("static template")
                    .progress_chars("=> "),
                );
            }
            b.set_position(done);
        }
    }

    fn host_finished(&self, host: &str, ok: bool, message: &str) {
        if let Some(b) = self.bars.lock().expect("bars lock").remove(host) {
            b.finish_and_clear();
        }
        let mark = if ok {
            console::style("ok").green().bold()
        } else {
            console::style("FAILED").red().bold()
        };
        self.line(&format!("    {host:12} {mark} {message}"));
    }

    fn warning(&self, message: &str) {
        self.line(&format!(
            "{} {message}",
            console::style("warning:").yellow().bold()
        ));
    }

    fn waiting(&self, what: &str, detail: &str) {
        if !self.printer.progress {
            return;
        }
        let mut w = self.waiting.lock().expect("wait lock");
        let b = w.get_or_insert_with(|| {
            let b = self.multi.add(ProgressBar::new_spinner());
            b.set_style(
                ProgressStyle::with_template(
                    "{spinner:.yellow} waiting for {prefix} ({elapsed}): {msg}",
                )
                .expect("static template"),
            );
            b.enable_steady_tick(Duration::from_millis(120));
            b
        });
        b.set_prefix(what.to_string());
        b.set_message(detail.to_string());
    }
}
