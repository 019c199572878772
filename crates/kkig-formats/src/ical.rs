//! iCalendar feeds (RFC 5545): application deadlines of offerings.

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
        let Some(date) = o.application_closes.as_deref().and_then(|d| NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok()) else {
            continue;
        };
        let mut e = Event::new();
        e.uid(&format!("{}@kkig", o.id))
            .summary(&format!("Sista ansökningsdag: {} ({})", o.title, o.provider_name))
            .description(&format!("Start {}. {}", o.start, source))
            .starts(date)
            // All-day events end on the next day (DTEND is exclusive).
            .ends(date.succ_opt().unwrap_or(date));
        if let Some(url) = &o.application_url {
            e.url(url);
        }
        cal.push(e.done());
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
            meetings: Meetings { per_term: 0, days_each: 0, place: None },
            application_opens: None,
            application_closes: closes.map(String::from),
            application_url: Some("https://www.antagning.se/".into()),
            occupations: vec![],
            eligibility: String::new(),
        }
    }

    #[test]
    fn one_all_day_event_per_deadline() {
        let ics = application_deadlines(&[offering("e.1", Some("2026-04-15")), offering("e.2", None)], "https://kkig.example/utbildning?q=sjuk");
        assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1, "{ics}");
        assert!(ics.contains("UID:e.1@kkig"), "{ics}");
        assert!(ics.contains("DTSTART;VALUE=DATE:20260415"), "{ics}");
        assert!(ics.contains("DTEND;VALUE=DATE:20260416"), "{ics}");
        assert!(ics.contains("SUMMARY:Sista ansökningsdag: Sjuksköterskeprogrammet (Umeå universitet)"), "{ics}");
        assert!(ics.trim_end().ends_with("END:VCALENDAR"));
    }
}
