//! Progress of long commands (`kkig sync …`): on a terminal an indicatif spinner with the count
//! and the rate; otherwise (a log, a pipe, CI) one plain line per step on standard error.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

pub struct Progress {
    bar: Option<ProgressBar>,
    label: String,
}

impl Progress {
    /// Progress of `label` (e.g. the URL being fetched), counting `unit`s (e.g. "values").
    pub fn new(label: &str, unit: &str) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new_spinner();
            let template = format!("{{spinner}} {{prefix}}: {{pos}} {unit} ({{per_sec}}) {{msg}}");
            if let Ok(style) = ProgressStyle::with_template(&template) {
                bar.set_style(style);
            }
            bar.set_prefix(label.to_string());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Self {
            bar,
            label: label.to_string(),
        }
    }

    /// One step done: `n` more units, and what the step was.
    pub fn step(&self, n: u64, what: &str) {
        match &self.bar {
            Some(bar) => {
                bar.inc(n);
                bar.set_message(what.to_string());
            }
            None => eprintln!("{}: {what}", self.label),
        }
    }

    /// A note that must stay visible (a retry), above the spinner on a terminal.
    pub fn note(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.println(text),
            None => eprintln!("{text}"),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
