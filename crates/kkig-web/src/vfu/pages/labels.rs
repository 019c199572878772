//! The VFU pages' labels in the page's language: fields, kinds, statuses, terms, and the fields of a
//! site as coordinators write them.

use super::*;

pub(super) fn l_field(c: &Chrome, f: VfuField) -> String {
    c.t(&format!("vfu-field-{}", f.code()))
}
pub(super) fn l_kind(c: &Chrome, k: SiteKind) -> String {
    c.t(&format!("vfu-kind-{}", k.as_str()))
}
pub(super) fn l_training(c: &Chrome, t: TrainingLevel) -> String {
    c.t(&format!("vfu-training-{}", t.as_str()))
}
pub(super) fn l_invite(c: &Chrome, i: InviteStatus) -> String {
    c.t(&format!("vfu-invite-{}", i.as_str()))
}
pub(super) fn l_status(c: &Chrome, s: PlacementStatus) -> String {
    c.t(&format!("vfu-status-{}", s.as_str()))
}
pub(super) fn l_interest(c: &Chrome, i: Interest) -> String {
    c.t(&format!("vfu-interest-{}", i.as_str()))
}
pub(super) fn l_programme(c: &Chrome, p: ProgrammeType) -> String {
    c.t(&format!("vfu-programme-{}", p.as_str()))
}
pub(super) fn l_term(c: &Chrome, t: Term) -> String {
    let season = if t.season == Season::Spring {
        c.t("vfu-term-spring")
    } else {
        c.t("vfu-term-autumn")
    };
    format!("{season} {}", t.year)
}
/// Fields as coordinators write them in the form (`F-3:svenska,matematik|4-6`); parses back
/// with `FieldSpec::parse_list`.
pub(super) fn fields_text(list: &[FieldSpec]) -> String {
    use kkig_core::vfu::TeacherLevel::*;
    list.iter()
        .map(|f| {
            let word = match f.field {
                VfuField::Teacher(Forskola) => "förskola",
                VfuField::Teacher(F3) => "F-3",
                VfuField::Teacher(Ar46) => "4-6",
                VfuField::Teacher(Ar79) => "7-9",
                VfuField::Teacher(Gymnasium) => "gymnasium",
                VfuField::Nurse => "sjuksköterska",
                VfuField::SocialWork => "socionom",
            };
            if f.subjects.is_empty() {
                word.to_string()
            } else {
                format!("{word}:{}", f.subjects.join(","))
            }
        })
        .collect::<Vec<_>>()
        .join("|")
}

pub(super) fn l_fields(c: &Chrome, list: &[FieldSpec]) -> String {
    list.iter()
        .map(|f| {
            if f.subjects.is_empty() {
                l_field(c, f.field)
            } else {
                format!("{} ({})", l_field(c, f.field), f.subjects.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_as_written_in_the_form_parse_back() {
        let mut list: Vec<FieldSpec> = VfuField::ALL.iter().map(|f| FieldSpec::new(*f)).collect();
        list[1].subjects = vec!["svenska".into(), "matematik".into()];
        list[5].subjects = vec!["äldrevård".into()];
        let text = fields_text(&list);
        assert_eq!(FieldSpec::parse_list(&text).unwrap(), list, "{text}");
        assert!(text.starts_with("förskola|F-3:svenska,matematik|4-6"), "{text}");
    }
}
