//! Who a person is: when a registry record (supervisor, contact person, VFU student) that names
//! an e-mail may take the person who already has that e-mail, and when an account may be given
//! to a person the registry already has. The rule of `docs/accounts-and-privacy.md`, "Who a
//! person is: e-mail and scope"; the store gathers the facts ([`PersonTies`]) and asks here.
//!
//! A person is shared only within one scope: a student's records are all on periods of one
//! university, a supervisor's and contact's records all in one municipality, and an account
//! holder is taken only by records of the account's own kind (a municipality account only by
//! its own municipality's contacts). Anything else would let one scope rename, re-home or read
//! a person of another scope.

use crate::access::Role;
use crate::codes::Kommunkod;
use crate::ids::PersonId;

/// The kind of a person (`persons.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonKind {
    Staff,
    Student,
    Supervisor,
}

impl PersonKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Staff => "staff",
            Self::Student => "student",
            Self::Supervisor => "supervisor",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Staff, Self::Student, Self::Supervisor]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// The kind of person an account of `role` belongs to.
    pub fn of_role(role: Role) -> Self {
        match role {
            Role::Student => Self::Student,
            Role::Supervisor => Self::Supervisor,
            Role::Admin | Role::Regional | Role::Municipality | Role::University | Role::Provider => Self::Staff,
        }
    }
}

/// A registry record that names a person, with the scope it is kept in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordScope<'a> {
    /// A student on a period of this university.
    Student { university: &'a str },
    /// A supervisor kept by this municipality.
    Supervisor { municipality: Kommunkod },
    /// A contact person of this municipality.
    Contact { municipality: Kommunkod },
}

/// An account a person holds: its role and scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub role: Role,
    pub scope: Option<String>,
}

/// Everything that already refers to a person: their kind, accounts and registry records
/// (each by the scope it is kept in). The record being written is left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonTies {
    pub kind: PersonKind,
    pub accounts: Vec<Account>,
    /// The universities of the periods the person is a student on (one per student record).
    pub student_universities: Vec<String>,
    /// The municipalities of the person's supervisor records.
    pub supervisor_municipalities: Vec<Kommunkod>,
    /// The municipalities of the person's contact records.
    pub contact_municipalities: Vec<Kommunkod>,
}

impl PersonTies {
    /// A person of `kind` with no account and no record.
    pub fn new(kind: PersonKind) -> Self {
        Self {
            kind,
            accounts: Vec::new(),
            student_universities: Vec::new(),
            supervisor_municipalities: Vec::new(),
            contact_municipalities: Vec::new(),
        }
    }

    /// True when the person holds an account (enabled or not).
    pub fn holds_account(&self) -> bool {
        !self.accounts.is_empty()
    }

    /// The person's records, each as the scope it is kept in.
    pub fn records(&self) -> Vec<RecordScope<'_>> {
        let students = self
            .student_universities
            .iter()
            .map(|u| RecordScope::Student { university: u });
        let supervisors = self
            .supervisor_municipalities
            .iter()
            .map(|&m| RecordScope::Supervisor { municipality: m });
        let contacts = self
            .contact_municipalities
            .iter()
            .map(|&m| RecordScope::Contact { municipality: m });
        students.chain(supervisors).chain(contacts).collect()
    }
}

/// Whether a record kept in `record`'s scope may take this person (the person whose e-mail it
/// names): the kind fits, every other record of the person is in the same scope, and the person
/// holds no account or only one of the record's own kind. The answer to a refusal is the same
/// whatever the reason, so that it tells nothing about the other person.
pub fn may_take(person: &PersonTies, record: RecordScope<'_>) -> bool {
    kind_fits(person, record) && same_scope(person, record) && accounts_fit(person, record)
}

/// Rule 1: a student record takes a student; a supervisor record a supervisor, or a staff
/// person without an account (a contact who also supervises); a contact record a staff person.
fn kind_fits(person: &PersonTies, record: RecordScope<'_>) -> bool {
    match record {
        RecordScope::Student { .. } => person.kind == PersonKind::Student,
        RecordScope::Supervisor { .. } => {
            person.kind == PersonKind::Supervisor || (person.kind == PersonKind::Staff && !person.holds_account())
        }
        RecordScope::Contact { .. } => person.kind == PersonKind::Staff,
    }
}

/// Rule 2: every other record of the person is kept in the same scope.
fn same_scope(person: &PersonTies, record: RecordScope<'_>) -> bool {
    person.records().into_iter().all(|other| match (record, other) {
        (RecordScope::Student { university: a }, RecordScope::Student { university: b }) => a == b,
        (RecordScope::Student { .. }, _) | (_, RecordScope::Student { .. }) => false,
        (
            RecordScope::Supervisor { municipality: a } | RecordScope::Contact { municipality: a },
            RecordScope::Supervisor { municipality: b } | RecordScope::Contact { municipality: b },
        ) => a == b,
    })
}

/// Rule 3: no account, or only accounts of the record's own kind (a municipality account only
/// of the contact's own municipality); never an admin, regional, university or provider account.
fn accounts_fit(person: &PersonTies, record: RecordScope<'_>) -> bool {
    person.accounts.iter().all(|a| match record {
        RecordScope::Student { .. } => a.role == Role::Student,
        RecordScope::Supervisor { .. } => a.role == Role::Supervisor,
        RecordScope::Contact { municipality } => {
            a.role == Role::Municipality && a.scope.as_deref() == Some(municipality.to_string().as_str())
        }
    })
}

/// Whether a new account of `role` (with `scope`) may be given to this existing person: they hold
/// no account yet, the role fits their kind (student → student, supervisor → supervisor, every
/// staff role → staff), and each of their registry records would still take them with the
/// account (so a contact of Sorsele may get Sorsele's municipality account, never another
/// municipality's, nor an admin, regional, university or provider account).
pub fn may_attach_account(person: &PersonTies, role: Role, scope: Option<&str>) -> bool {
    if person.holds_account() || PersonKind::of_role(role) != person.kind {
        return false;
    }
    let mut with = person.clone();
    with.accounts.push(Account {
        role,
        scope: scope.map(String::from),
    });
    let records = person.records();
    records.iter().enumerate().all(|(i, &record)| {
        // The record itself is not "another record" of the person.
        let mut others = with.clone();
        remove_one(&mut others, i);
        may_take(&others, record)
    })
}

/// The ties without the `i`-th record of [`PersonTies::records`].
fn remove_one(t: &mut PersonTies, mut i: usize) {
    if i < t.student_universities.len() {
        t.student_universities.remove(i);
        return;
    }
    i -= t.student_universities.len();
    if i < t.supervisor_municipalities.len() {
        t.supervisor_municipalities.remove(i);
        return;
    }
    i -= t.supervisor_municipalities.len();
    t.contact_municipalities.remove(i);
}

/// Whether a registry write by `actor` may change the login data (name, e-mail) of a person:
/// always when the person holds no account; otherwise only by the person's own user or an
/// administrator. `actor` is the writing user's role and person, `None` for the command line
/// and jobs (an import of a file is never the person themself).
pub fn may_change_login_data(person_id: &PersonId, person: &PersonTies, actor: Option<(Role, &PersonId)>) -> bool {
    !person.holds_account()
        || matches!(actor, Some((Role::Admin, _)))
        || matches!(actor, Some((_, p)) if p == person_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> Kommunkod {
        Kommunkod::parse(s).unwrap()
    }

    fn acc(role: Role, scope: Option<&str>) -> Account {
        Account {
            role,
            scope: scope.map(String::from),
        }
    }

    /// Persons as the bug report names them, and who may take them.
    #[test]
    fn who_may_take_whom_as_a_table() {
        let (sorsele, pajala) = (code("2422"), code("2521"));
        let person = |kind, accounts: Vec<Account>, stu: &[&str], sup: &[Kommunkod], con: &[Kommunkod]| PersonTies {
            kind,
            accounts,
            student_universities: stu.iter().map(|s| s.to_string()).collect(),
            supervisor_municipalities: sup.to_vec(),
            contact_municipalities: con.to_vec(),
        };
        use PersonKind::*;
        let admin = person(Staff, vec![acc(Role::Admin, None)], &[], &[], &[]);
        let regional = person(Staff, vec![acc(Role::Regional, None)], &[], &[], &[]);
        let ltu_staff = person(Staff, vec![acc(Role::University, Some("LTU"))], &[], &[], &[]);
        let provider = person(Staff, vec![acc(Role::Provider, Some("yh"))], &[], &[], &[]);
        let coord_sorsele = person(Staff, vec![acc(Role::Municipality, Some("2422"))], &[], &[], &[sorsele]);
        let coord_pajala = person(Staff, vec![acc(Role::Municipality, Some("2521"))], &[], &[], &[]);
        let sup_pajala = person(Supervisor, vec![], &[], &[pajala], &[]);
        let sup_account = person(Supervisor, vec![acc(Role::Supervisor, None)], &[], &[], &[]);
        let sup_account_pajala = person(Supervisor, vec![acc(Role::Supervisor, None)], &[], &[pajala], &[]);
        let contact_sorsele = person(Staff, vec![], &[], &[], &[sorsele]);
        let contact_and_sup_sorsele = person(Staff, vec![], &[], &[sorsele], &[sorsele]);
        let student_umu = person(Student, vec![], &["UmU", "UmU"], &[], &[]);
        let student_account = person(Student, vec![acc(Role::Student, None)], &[], &[], &[]);
        let student_account_umu = person(Student, vec![acc(Role::Student, None)], &["UmU"], &[], &[]);
        let fresh_staff = person(Staff, vec![], &[], &[], &[]);

        let sup_s = RecordScope::Supervisor { municipality: sorsele };
        let con_s = RecordScope::Contact { municipality: sorsele };
        let stu_umu = RecordScope::Student { university: "UmU" };
        let stu_ltu = RecordScope::Student { university: "LTU" };
        //                                               sup Sorsele, contact Sorsele, student UmU, student LTU
        let cases: Vec<(&str, &PersonTies, [bool; 4])> = vec![
            ("admin", &admin, [false, false, false, false]),
            ("regional", &regional, [false, false, false, false]),
            ("university staff", &ltu_staff, [false, false, false, false]),
            ("provider", &provider, [false, false, false, false]),
            (
                "Sorsele's coordinator, a contact of Sorsele",
                &coord_sorsele,
                [false, true, false, false],
            ),
            ("Pajala's coordinator", &coord_pajala, [false, false, false, false]),
            ("a supervisor of Pajala", &sup_pajala, [false, false, false, false]),
            (
                "a supervisor account, no record yet",
                &sup_account,
                [true, false, false, false],
            ),
            (
                "a supervisor account kept by Pajala",
                &sup_account_pajala,
                [false, false, false, false],
            ),
            ("a contact of Sorsele", &contact_sorsele, [true, true, false, false]),
            (
                "a contact and supervisor of Sorsele",
                &contact_and_sup_sorsele,
                [true, true, false, false],
            ),
            ("a student of UmU", &student_umu, [false, false, true, false]),
            (
                "a student account, no record yet",
                &student_account,
                [false, false, true, true],
            ),
            (
                "a student account on a UmU period",
                &student_account_umu,
                [false, false, true, false],
            ),
            (
                "a staff person without account or record",
                &fresh_staff,
                [true, true, false, false],
            ),
        ];
        for (name, p, want) in cases {
            for (record, want) in [sup_s, con_s, stu_umu, stu_ltu].into_iter().zip(want) {
                assert_eq!(may_take(p, record), want, "{name} for {record:?}");
            }
        }
    }

    #[test]
    fn accounts_attach_only_where_the_records_would_take_them() {
        let sorsele = code("2422");
        let contact = PersonTies {
            contact_municipalities: vec![sorsele],
            ..PersonTies::new(PersonKind::Staff)
        };
        let supervisor = PersonTies {
            supervisor_municipalities: vec![sorsele],
            ..PersonTies::new(PersonKind::Supervisor)
        };
        let staff_supervisor = PersonTies {
            supervisor_municipalities: vec![sorsele],
            ..contact.clone()
        };
        let student = PersonTies {
            student_universities: vec!["UmU".into(), "UmU".into()],
            ..PersonTies::new(PersonKind::Student)
        };
        let fresh = PersonTies::new(PersonKind::Staff);
        let cases: Vec<(&PersonTies, Role, Option<&str>, bool)> = vec![
            (&contact, Role::Municipality, Some("2422"), true),
            (&contact, Role::Municipality, Some("2521"), false),
            (&contact, Role::Admin, None, false),
            (&contact, Role::Regional, None, false),
            (&contact, Role::University, Some("LTU"), false),
            (&contact, Role::Supervisor, None, false),
            (&supervisor, Role::Supervisor, None, true),
            (&supervisor, Role::Student, None, false),
            (&supervisor, Role::Municipality, Some("2422"), false),
            // A contact who also supervises keeps no account (rule 1).
            (&staff_supervisor, Role::Municipality, Some("2422"), false),
            (&student, Role::Student, None, true),
            (&student, Role::Supervisor, None, false),
            (&fresh, Role::Admin, None, true),
            (&fresh, Role::Provider, Some("yh"), true),
            (&fresh, Role::Student, None, false),
        ];
        for (p, role, scope, want) in cases {
            assert_eq!(may_attach_account(p, role, scope), want, "{role:?} {scope:?} for {p:?}");
        }
        let held = PersonTies {
            accounts: vec![acc(Role::Supervisor, None)],
            ..supervisor.clone()
        };
        assert!(
            !may_attach_account(&held, Role::Supervisor, None),
            "one account per person"
        );
    }

    #[test]
    fn login_data_of_an_account_holder_is_theirs_and_the_admins() {
        let holder = PersonTies {
            accounts: vec![acc(Role::Supervisor, None)],
            ..PersonTies::new(PersonKind::Supervisor)
        };
        let plain = PersonTies::new(PersonKind::Supervisor);
        let (p1, p9) = (PersonId::new("p1"), PersonId::new("p9"));
        assert!(may_change_login_data(&p1, &plain, Some((Role::Municipality, &p9))));
        assert!(may_change_login_data(&p1, &plain, None));
        assert!(!may_change_login_data(&p1, &holder, Some((Role::Municipality, &p9))));
        assert!(!may_change_login_data(&p1, &holder, Some((Role::Regional, &p9))));
        assert!(
            !may_change_login_data(&p1, &holder, None),
            "the command line is not the person"
        );
        assert!(may_change_login_data(&p1, &holder, Some((Role::Supervisor, &p1))));
        assert!(may_change_login_data(&p1, &holder, Some((Role::Admin, &p9))));
    }
}
