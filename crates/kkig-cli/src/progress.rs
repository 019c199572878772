//! Progress of long commands (`kkig sync …`, `kkig import …`): on a terminal an indicatif bar or
//! spinner with the count and the rate; otherwise (a log, a pipe, CI) one plain line per step on
//! standard error. A [`Report`] also keeps the latest step for whoever shows a running sync (the
//! store, and from it the administration's sync page); inside `kkig serve` the steps go to the
//! log at debug level instead of standard error.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// The latest step of a running job, shared with whoever reports it.
#[derive(Clone, Default)]
pub struct Report {
    latest: Arc<Mutex<String>>,
    /// Run inside `kkig serve`: no bar, no lines on standard error.
    background: bool,
}

impl Report {
    /// The report of a job run inside `kkig serve`.
    pub fn background() -> Self {
        Self {
            background: true,
            ..Self::default()
        }
    }

    fn set(&self, what: &str) {
        if let Ok(mut latest) = self.latest.lock() {
            what.clone_into(&mut latest);
        }
    }

    /// The latest step ("" before the first).
    pub fn get(&self) -> String {
        self.latest.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

pub struct Progress {
    bar: Option<ProgressBar>,
    label: String,
    report: Option<Report>,
}

impl Progress {
    /// Progress of `label` (e.g. the URL being fetched), counting `unit`s (e.g. "values"), when
    /// the total is not known: a spinner.
    pub fn new(label: &str, unit: &str) -> Self {
        Self::with_bar(label, unit, None)
    }

    /// Progress towards `total` `unit`s: a bar.
    pub fn counting(label: &str, unit: &str, total: u64) -> Self {
        Self::with_bar(label, unit, Some(total))
    }

    fn with_bar(label: &str, unit: &str, total: Option<u64>) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let (bar, template) = match total {
                None => (
                    ProgressBar::new_spinner(),
                    format!("{{spinner}} {{prefix}}: {{pos}} {unit} ({{per_sec}}) {{msg}}"),
                ),
                Some(n) => (
                    ProgressBar::new(n),
                    format!("{{prefix}} [{{bar:30}}] {{pos}}/{{len}} {unit} ({{per_sec}}, {{eta}} left) {{msg}}"),
                ),
            };
            if let Ok(style) = ProgressStyle::with_template(&template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_prefix(label.to_string());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Self {
            bar,
            label: label.to_string(),
            report: None,
        }
    }

    /// Keep the latest step in `report` too; a background report also silences the bar and the
    /// lines (the steps go to the log at debug level).
    pub fn reporting(mut self, report: &Report) -> Self {
        if report.background {
            if let Some(bar) = self.bar.take() {
                bar.finish_and_clear();
            }
        }
        self.report = Some(report.clone());
        self
    }

    fn background(&self) -> bool {
        self.report.as_ref().is_some_and(|r| r.background)
    }

    /// One step done: `n` more units, and what the step was.
    pub fn step(&self, n: u64, what: &str) {
        if let Some(report) = &self.report {
            report.set(what);
        }
        match &self.bar {
            Some(bar) => {
                bar.inc(n);
                bar.set_message(what.to_string());
            }
            None if self.background() => tracing::debug!("{}: {what}", self.label),
            None => eprintln!("{}: {what}", self.label),
        }
    }

    /// `n` more units on the bar, without a line of its own (for many small steps, such as the
    /// chunks of a file).
    pub fn advance(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// A note that must stay visible (a retry), above the bar on a terminal.
    pub fn note(&self, text: &str) {
        if let Some(report) = &self.report {
            report.set(text);
        }
        match &self.bar {
            Some(bar) => bar.println(text),
            None if self.background() => tracing::info!("{text}"),
            None => eprintln!("{text}"),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
