//! iCalendar feeds (RFC 5545): application deadlines of offerings, VFU periods and the
//! coordinators' timeline before each.

use chrono::NaiveDate;
use icalendar::{Calendar, Component, Event, EventLike};
use kkig_core::catalogue::Offering;

/// A calendar with one all-day event per offering that has an application deadline: on the
/// last day to apply, titled "Sista ansökningsdag: TITLE (PROVIDER)", with the application URL.
/// `source` is the saved search the feed was made from (its URL), put in the description.
pub fn application_deadlines(offerings: &[Offering], source: &str) -> String {
    let mut cal = Calendar::new();
    cal.name("kkig – ansökningsdatum");
    cal.description(source);
    for o in offerings {
        let Some(date) = o
            .application_closes
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok())
        else {
            continue;
        };
        let mut e = Event::new();
        e.uid(&format!("{}@kkig", o.id))
            .summary(&format!("Sista ansökningsdag: {} ({})", o.title, o.provider_name))
            .description(&format!("Start {}. {}", o.start, source))
            .starts(date)
            // All-day events end on the next day (DTEND is exclusive).
            .ends(date.succ_opt().unwrap_or(date));
        // Only an http(s) address: calendar programs show the URL as a link.
        if let Some(url) = o.application_link() {
            e.url(url.as_str());
        }
        cal.push(e.done());
    }
    cal.done().to_string()
}

/// A calendar of VFU periods: one all-day event over each period ("VFU: PROGRAMME (COURSE,
/// UNIVERSITY)") and one all-day event per timeline milestone before it (capacity confirmed,
/// allocation, publication, last day to appeal, final lists), with stable UIDs
/// (`PERIOD@kkig`, `PERIOD-MILESTONE@kkig`) so that calendar programs update rather than
/// duplicate events.
pub fn vfu_periods(periods: &[kkig_core::vfu::VfuPeriod], rules: &kkig_core::vfu::lifecycle::TimelineRules) -> String {
    use kkig_core::vfu::lifecycle::Timeline;
    let day = |d: kkig_core::vfu::Day| {
        NaiveDate::from_ymd_opt(d.0.year(), u32::from(d.0.month() as u8), u32::from(d.0.day()))
    };
    let mut cal = Calendar::new();
    cal.name("kkig – VFU-perioder");
    for p in periods {
        let title = format!("{} ({}, {})", p.programme, p.course_code, p.university);
        if let (Some(start), Some(end)) = (day(p.start), day(p.end)) {
            let mut e = Event::new();
            e.uid(&format!("{}@kkig", p.id))
                .summary(&format!("VFU: {title}"))
                .description(&format!(
                    "{} – {}, {} studenter, {}",
                    p.start,
                    p.end,
                    p.students,
                    p.field.label_sv()
                ))
                .starts(start)
                .ends(end.succ_opt().unwrap_or(end));
            cal.push(e.done());
        }
        for (code, label, d) in Timeline::for_period(p, rules).milestones() {
            if code == "start" {
                continue;
            }
            let Some(date) = day(d) else { continue };
            let mut e = Event::new();
            e.uid(&format!("{}-{code}@kkig", p.id))
                .summary(&format!("{label}: {title}"))
                .starts(date)
                .ends(date.succ_opt().unwrap_or(date));
            cal.push(e.done());
        }
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kkig_core::catalogue::{Meetings, SchoolType, StudyForm};

    fn offering(id: &str, closes: Option<&str>) -> Offering {
        Offering {
            id: id.into(),
            education_id: "i.x".into(),
            provider_id: "p.umu".into(),
            provider_name: "Umeå universitet".into(),
            title: "Sjuksköterskeprogrammet".into(),
            code: "VSJUK".into(),
            school_type: SchoolType::Hs,
            level: "grundnivå".into(),
            credits: 180.0,
            credit_system: "hp".into(),
            pace_percent: 100,
            start: "2026-08-31".into(),
            end: "2029-06-07".into(),
            language: "swe".into(),
            form: StudyForm::Distance,
            sites: vec![],
            meetings: Meetings {
                per_term: 0,
                days_each: 0,
                place: None,
            },
            application_opens: None,
            application_closes: closes.map(String::from),
            application_url: Some("https://www.antagning.se/".into()),
            occupations: vec![],
            eligibility: String::new(),
        }
    }

    #[test]
    fn one_all_day_event_per_deadline() {
        let ics = application_deadlines(
            &[offering("e.1", Some("2026-04-15")), offering("e.2", None)],
            "https://kkig.example/utbildning?q=sjuk",
        );
        assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1, "{ics}");
        assert!(ics.contains("UID:e.1@kkig"), "{ics}");
        assert!(ics.contains("DTSTART;VALUE=DATE:20260415"), "{ics}");
        assert!(ics.contains("DTEND;VALUE=DATE:20260416"), "{ics}");
        assert!(
            ics.contains("SUMMARY:Sista ansökningsdag: Sjuksköterskeprogrammet (Umeå universitet)"),
            "{ics}"
        );
        assert!(ics.trim_end().ends_with("END:VCALENDAR"));
    }

    #[test]
    fn vfu_periods_with_their_timeline() {
        use kkig_core::vfu::*;
        let start = Day::ymd(2026, 1, 19);
        let p = VfuPeriod {
            id: "umu-vt26-f3".into(),
            university: "UmU".into(),
            programme: "Grundlärarprogrammet F–3".into(),
            course_code: "6PE123".into(),
            term: Term::of(start),
            start,
            end: Day::ymd(2026, 2, 20),
            field: VfuField::Teacher(TeacherLevel::F3),
            students: 40,
            requirements: vec![],
            capacity_deadline: Day::ymd(2025, 10, 20),
        };
        let ics = vfu_periods(&[p], &Default::default());
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 6, "{ics}");
        assert!(ics.contains("UID:umu-vt26-f3@kkig"), "{ics}");
        assert!(ics.contains("DTSTART;VALUE=DATE:20260119"), "{ics}");
        assert!(
            ics.contains("DTEND;VALUE=DATE:20260221"),
            "the day after the last: {ics}"
        );
        assert!(ics.contains("UID:umu-vt26-f3-capacity_confirmed@kkig"), "{ics}");
        assert!(
            ics.contains("DTSTART;VALUE=DATE:20251020"),
            "the period's own capacity deadline: {ics}"
        );
        assert!(
            ics.contains("DTSTART;VALUE=DATE:20251124"),
            "published 8 weeks before: {ics}"
        );
    }
}
