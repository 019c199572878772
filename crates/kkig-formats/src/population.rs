//! Population from SCB's PxWeb API as JSON-stat 2.0 (docs/forecast.md): the tables
//! BefolkningNy/TAB638 (population by region, civil status, age, sex and year, to 2024),
//! BefolkningCKM/TAB5557 (the same from 2025, with the Cell Key Method) and projections of the
//! same shape (e.g. BefProgRegFakN). The two tables code the same things differently: the open
//! age class is `100+` in TAB638 and `100+1` in TAB5557, all ages `tot` and `TotSA`, both
//! sexes `1+2` and `TotSa`; all are read.
//!
//! A JSON-stat 2.0 dataset lists its dimensions in `id`, their sizes in `size`, each
//! dimension's categories in `dimension.<id>.category.index` (an object code → position or an
//! array of codes), and the cells in `value`, row-major over `id` (the last dimension varies
//! fastest). `value` may hold `null`, and may be an object position → value (sparse).
//!
//! Dimensions are recognised by id (case-insensitive) or by `role`: the region (`Region`, or a
//! `role.geo` dimension), the time (`Tid`, or `role.time`), the age (`Alder`, `Ålder`, `Age`,
//! or an id starting with `Alder`) and, optionally, the sex (`Kon`, `Kön`, `Sex`) and the civil
//! status (`Civilstand`, `Civilstånd`). Region, age and time are required. Civil status is
//! summed away: its total (`SC`, "samtliga civilstånd") is used when the table has it,
//! otherwise its categories (`OG`, `G`, `ÄNKL`, `SK`) are added up. Any other dimension (e.g.
//! `ContentsCode`) must have one category, or be fixed to one with [`PopulationQuery::select`].

use std::collections::HashMap;

use kkig_core::forecast::{AgeGroup, Driver, DriverError, DriverSeries};
use kkig_core::Kommunkod;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::FormatError;

/// Sex of a population cell: SCB's `Kon` codes `1` (män), `2` (kvinnor), and `1+2`/`T`/`tot`
/// (both), or `Total` when the table has no sex dimension or the sexes were summed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
    Total,
}

/// One cell: the population of a municipality, age (group) and sex in a year. `value` is
/// `None` where the response had `null`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PopulationRow {
    pub kommunkod: Kommunkod,
    pub age: AgeGroup,
    pub sex: Sex,
    pub year: i32,
    pub value: Option<f64>,
}

/// A parsed response: the dataset's own description and its cells in `value` order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PopulationTable {
    pub label: Option<String>,
    pub source: Option<String>,
    pub updated: Option<String>,
    pub rows: Vec<PopulationRow>,
}

/// What to read from a response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PopulationQuery {
    /// Sum the sexes: one row per municipality, age and year with `Sex::Total`. When the table
    /// has a both-sexes category (`1+2`), its rows are kept and the others dropped; otherwise
    /// men and women are added (`null` if either is `null`).
    pub sum_sexes: bool,
    /// Fix other dimensions to one category: `(dimension id, category code)`, e.g.
    /// `("ContentsCode", "BE0101N1")`.
    pub select: Vec<(String, String)>,
}

/// The most cells a sparse `value` object is expanded to (SCB's whole TAB638 for every
/// municipality, age, sex and year since 1968 is about 3.4 million).
const MAX_SPARSE_CELLS: usize = 20_000_000;

#[derive(Clone, Copy, PartialEq)]
enum Role {
    Region,
    Age,
    Sex,
    Time,
    /// Civil status (`Civilstand`): summed away, see the module documentation.
    Civil,
    Other,
}

struct Dim {
    id: String,
    role: Role,
    codes: Vec<String>,
}

/// Parse a JSON-stat 2.0 population response. Errors name the file and the position
/// (`size`, `dimension.Alder.category.index."x"`, `value[17]` with its categories, …).
pub fn parse_population(file: &str, bytes: &[u8], query: &PopulationQuery) -> Result<PopulationTable, FormatError> {
    let err = |column: &str, message: String| FormatError::new(file, None, Some(column), message);
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| {
        FormatError::new(
            file,
            Some(e.line() as u64),
            None,
            format!("not valid JSON (column {}): {e}", e.column()),
        )
    })?;
    let Value::Object(doc) = doc else {
        return Err(FormatError::new(
            file,
            None,
            None,
            "expected a JSON-stat 2.0 dataset (a JSON object)",
        ));
    };
    if doc.contains_key("dataset") && !doc.contains_key("class") {
        return Err(FormatError::new(
            file,
            None,
            Some("dataset"),
            "this is a JSON-stat 1.x bundle; ask PxWeb for JSON-stat 2.0 (response format \"json-stat2\")",
        ));
    }
    if let Some(c) = doc.get("class") {
        if c.as_str() != Some("dataset") {
            return Err(err("class", format!("expected \"dataset\", found {c}")));
        }
    }
    if let Some(v) = doc.get("version") {
        if v.as_str().is_none_or(|v| !v.starts_with('2')) {
            return Err(err("version", format!("expected JSON-stat \"2.0\", found {v}")));
        }
    }
    let text = |k: &str| doc.get(k).and_then(Value::as_str).map(str::to_string);

    // id and size
    let ids: Vec<String> = match doc.get("id") {
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| err(&format!("id[{i}]"), format!("expected a dimension id, found {v}")))
            })
            .collect::<Result<_, _>>()?,
        Some(v) => return Err(err("id", format!("expected an array of dimension ids, found {v}"))),
        None => {
            return Err(err(
                "id",
                "missing: a JSON-stat 2.0 dataset lists its dimensions in \"id\"".into(),
            ))
        }
    };
    let sizes: Vec<usize> = match doc.get("size") {
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_u64()
                    .and_then(|n| usize::try_from(n).ok())
                    .ok_or_else(|| err(&format!("size[{i}]"), format!("expected a whole number ≥ 0, found {v}")))
            })
            .collect::<Result<_, _>>()?,
        Some(v) => return Err(err("size", format!("expected an array of sizes, found {v}"))),
        None => return Err(err("size", "missing".into())),
    };
    if sizes.len() != ids.len() {
        return Err(err(
            "size",
            format!("{} sizes for {} dimensions in \"id\"", sizes.len(), ids.len()),
        ));
    }
    let Some(Value::Object(dimension)) = doc.get("dimension") else {
        return Err(err("dimension", "missing or not an object".into()));
    };
    let role_of = |role: &str, id: &str| -> bool {
        doc.get("role")
            .and_then(|r| r.get(role))
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(id)))
    };

    // dimensions
    let mut dims = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let codes = categories(dimension, id, sizes[i]).map_err(|(c, m)| err(&c, m))?;
        let l = id.to_lowercase();
        let role = if l == "region" || role_of("geo", id) {
            Role::Region
        } else if l == "tid" || l == "time" || l == "year" || role_of("time", id) {
            Role::Time
        } else if l == "alder" || l == "ålder" || l == "age" || l.starts_with("alder") {
            Role::Age
        } else if l == "kon" || l == "kön" || l == "sex" {
            Role::Sex
        } else if l == "civilstand" || l == "civilstånd" {
            Role::Civil
        } else {
            Role::Other
        };
        if role != Role::Other && dims.iter().any(|d: &Dim| d.role == role) {
            return Err(err(
                &format!("id[{i}]"),
                format!("a second {} dimension {id:?}", role_name(role)),
            ));
        }
        dims.push(Dim {
            id: id.clone(),
            role,
            codes,
        });
    }
    for (role, example) in [(Role::Region, "Region"), (Role::Age, "Alder"), (Role::Time, "Tid")] {
        if !dims.iter().any(|d| d.role == role) {
            return Err(err(
                "id",
                format!(
                    "no {} dimension ({example}); found {}; a population table needs Region, Alder and Tid",
                    role_name(role),
                    ids.join(", ")
                ),
            ));
        }
    }
    // selection of other dimensions
    let mut fixed: Vec<Option<usize>> = vec![None; dims.len()];
    for (dim_id, code) in &query.select {
        let Some(d) = dims.iter().position(|d| &d.id == dim_id) else {
            return Err(err(
                "id",
                format!(
                    "no dimension {dim_id:?} to select {code:?} from; found {}",
                    ids.join(", ")
                ),
            ));
        };
        let Some(c) = dims[d].codes.iter().position(|x| x == code) else {
            return Err(err(
                &format!("dimension.{dim_id}.category.index"),
                format!("no category {code:?}; found {}", dims[d].codes.join(", ")),
            ));
        };
        fixed[d] = Some(c);
    }
    // civil status: its total if the table has one (and nothing else was selected), else summed
    let mut sum_civil = false;
    for (d, dim) in dims.iter().enumerate() {
        if dim.role == Role::Civil && fixed[d].is_none() && dim.codes.len() > 1 {
            match dim.codes.iter().position(|c| is_civil_total(c)) {
                Some(t) => fixed[d] = Some(t),
                None => sum_civil = true,
            }
        }
    }
    for (d, dim) in dims.iter().enumerate() {
        if dim.role == Role::Other && dim.codes.len() > 1 && fixed[d].is_none() {
            return Err(err(
                &format!("dimension.{}", dim.id),
                format!(
                    "{} categories ({}); select one (e.g. {:?}) so cells are not mixed",
                    dim.codes.len(),
                    dim.codes.join(", "),
                    dim.codes[0]
                ),
            ));
        }
    }

    // categories → typed values
    let cat = |d: &Dim, c: &str| format!("dimension.{}.category.index.{c:?}", d.id);
    let mut regions = Vec::new();
    let mut ages = Vec::new();
    let mut sexes = Vec::new();
    let mut years = Vec::new();
    for d in &dims {
        match d.role {
            Role::Region => {
                for c in &d.codes {
                    regions.push(Kommunkod::parse(c).map_err(|e| err(&cat(d, c), format!("not a municipality: {e}")))?);
                }
            }
            Role::Age => {
                for c in &d.codes {
                    ages.push(parse_age(c).ok_or_else(|| {
                        err(
                            &cat(d, c),
                            "expected an age (\"0\"…\"99\"), a range (\"5-9\"), \"100+\" (or \"100+1\") or \"tot\" (or \"TotSA\")".into(),
                        )
                    })?);
                }
            }
            Role::Sex => {
                for c in &d.codes {
                    sexes.push(parse_sex(c).ok_or_else(|| {
                        err(
                            &cat(d, c),
                            "expected a sex code \"1\" (män), \"2\" (kvinnor) or \"1+2\"".into(),
                        )
                    })?);
                }
            }
            Role::Time => {
                for c in &d.codes {
                    let t = c.trim();
                    let y = (t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
                        .then(|| t.parse::<i32>().ok())
                        .flatten();
                    years.push(y.ok_or_else(|| err(&cat(d, c), "expected a year such as \"2024\"".into()))?);
                }
            }
            Role::Civil | Role::Other => {}
        }
    }

    // values
    let total = sizes
        .iter()
        .try_fold(1usize, |acc, &n| acc.checked_mul(n))
        .ok_or_else(|| err("size", "the sizes overflow".into()))?;
    let position = |idx: usize| -> String {
        let mut rest = idx;
        let mut parts = vec![String::new(); dims.len()];
        for (d, dim) in dims.iter().enumerate().rev() {
            let n = dim.codes.len().max(1);
            parts[d] = format!("{} {:?}", dim.id, dim.codes.get(rest % n).map_or("?", String::as_str));
            rest /= n;
        }
        parts.join(", ")
    };
    let number = |idx: usize, v: &Value| -> Result<Option<f64>, FormatError> {
        match v {
            Value::Null => Ok(None),
            Value::Number(n) => match n.as_f64() {
                Some(x) if x.is_finite() => Ok(Some(x)),
                _ => Err(err(
                    &format!("value[{idx}]"),
                    format!("({}): {n} is not a finite number", position(idx)),
                )),
            },
            other => Err(err(
                &format!("value[{idx}]"),
                format!("({}): expected a number or null, found {other}", position(idx)),
            )),
        }
    };
    let mut cells: Vec<Option<f64>> = match doc.get("value") {
        Some(Value::Array(a)) => {
            if a.len() != total {
                return Err(err(
                    "value",
                    format!(
                        "{} values, but the sizes {:?} of {} make {total}",
                        a.len(),
                        sizes,
                        ids.join(" × ")
                    ),
                ));
            }
            a.iter()
                .enumerate()
                .map(|(i, v)| number(i, v))
                .collect::<Result<_, _>>()?
        }
        Some(Value::Object(m)) => {
            if m.len() > total {
                return Err(err(
                    "value",
                    format!("{} values, but the sizes {sizes:?} make {total}", m.len()),
                ));
            }
            // A sparse object may describe a huge table in a small file; refuse to expand it.
            if total > MAX_SPARSE_CELLS {
                return Err(err(
                    "value",
                    format!(
                        "the sizes {sizes:?} make {total} cells; a sparse table may have at most {MAX_SPARSE_CELLS}"
                    ),
                ));
            }
            let mut out = vec![None; total];
            for (k, v) in m {
                let i = k.parse::<usize>().ok().filter(|&i| i < total).ok_or_else(|| {
                    err(
                        &format!("value.{k:?}"),
                        format!("expected a position 0…{}", total.saturating_sub(1)),
                    )
                })?;
                out[i] = number(i, v)?;
            }
            out
        }
        Some(v) => {
            return Err(err(
                "value",
                format!("expected an array (or object) of numbers, found {v}"),
            ))
        }
        None => return Err(err("value", "missing".into())),
    };

    // rows, in value order
    let mut rows = Vec::with_capacity(total);
    let mut at = vec![0usize; dims.len()];
    for value in cells.drain(..) {
        let keep = fixed.iter().zip(&at).all(|(f, &i)| f.is_none_or(|f| f == i));
        if keep {
            let mut row = PopulationRow {
                kommunkod: regions[0],
                age: AgeGroup::Total,
                sex: Sex::Total,
                year: 0,
                value,
            };
            for (d, &i) in dims.iter().zip(&at) {
                match d.role {
                    Role::Region => row.kommunkod = regions[i],
                    Role::Age => row.age = ages[i],
                    Role::Sex => row.sex = sexes[i],
                    Role::Time => row.year = years[i],
                    Role::Civil | Role::Other => {}
                }
            }
            rows.push(row);
        }
        // next position, the last dimension fastest
        for d in (0..at.len()).rev() {
            at[d] += 1;
            if at[d] < dims[d].codes.len() {
                break;
            }
            at[d] = 0;
        }
    }
    if sum_civil {
        rows = sum_civil_status(rows);
    }
    if query.sum_sexes {
        rows = sum_sexes(rows);
    }
    Ok(PopulationTable {
        label: text("label"),
        source: text("source"),
        updated: text("updated"),
        rows,
    })
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Region => "region",
        Role::Age => "age",
        Role::Sex => "sex",
        Role::Time => "time",
        Role::Civil => "civil status",
        Role::Other => "other",
    }
}

/// The category codes of dimension `id` by position, checked against its `size`.
fn categories(dimension: &Map<String, Value>, id: &str, size: usize) -> Result<Vec<String>, (String, String)> {
    let path = format!("dimension.{id}");
    let Some(dim) = dimension.get(id) else {
        return Err((
            path,
            "missing: every dimension in \"id\" needs an entry in \"dimension\"".into(),
        ));
    };
    let Some(category) = dim.get("category") else {
        return Err((format!("{path}.category"), "missing".into()));
    };
    let codes: Vec<String> = match category.get("index") {
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_str().map(str::to_string).ok_or_else(|| {
                    (
                        format!("{path}.category.index[{i}]"),
                        format!("expected a category code, found {v}"),
                    )
                })
            })
            .collect::<Result<_, _>>()?,
        Some(Value::Object(m)) => {
            let mut out: Vec<Option<String>> = vec![None; m.len()];
            for (code, pos) in m {
                let p = pos
                    .as_u64()
                    .and_then(|p| usize::try_from(p).ok())
                    .filter(|&p| p < m.len());
                let Some(p) = p else {
                    return Err((
                        format!("{path}.category.index.{code:?}"),
                        format!("expected a position 0…{}, found {pos}", m.len() - 1),
                    ));
                };
                if let Some(other) = &out[p] {
                    return Err((
                        format!("{path}.category.index.{code:?}"),
                        format!("position {p} is also {other:?}"),
                    ));
                }
                out[p] = Some(code.clone());
            }
            out.into_iter().map(|c| c.unwrap_or_default()).collect()
        }
        // A dimension with one category may omit the index.
        None => match category.get("label").and_then(Value::as_object) {
            Some(l) if l.len() == 1 => l.keys().cloned().collect(),
            _ => return Err((format!("{path}.category.index"), "missing".into())),
        },
        Some(v) => {
            return Err((
                format!("{path}.category.index"),
                format!("expected an object or an array, found {v}"),
            ))
        }
    };
    if codes.len() != size {
        return Err((
            format!("{path}.category.index"),
            format!("{} categories, but \"size\" says {size}", codes.len()),
        ));
    }
    let mut seen = HashMap::with_capacity(codes.len());
    for c in &codes {
        if seen.insert(c.as_str(), ()).is_some() {
            return Err((
                format!("{path}.category.index"),
                format!("category {c:?} appears twice"),
            ));
        }
    }
    Ok(codes)
}

/// SCB age codes: `"0"`…`"99"`, `"100+"` (TAB638) or `"100+1"` (TAB5557) for 100 and older,
/// ranges `"5-9"`, and `"tot"`/`"totalt"` (TAB638) or `"TotSA"` (TAB5557) for all ages.
pub fn parse_age(code: &str) -> Option<AgeGroup> {
    let t = code.trim();
    let num = |s: &str| {
        (!s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    if ["tot", "totalt", "total", "totsa"]
        .iter()
        .any(|x| t.eq_ignore_ascii_case(x))
    {
        Some(AgeGroup::Total)
    } else if t == "100+1" {
        Some(AgeGroup::AndOlder(100))
    } else if let Some(a) = t.strip_suffix('+') {
        num(a).map(AgeGroup::AndOlder)
    } else if let Some((a, b)) = t.split_once('-') {
        let (a, b) = (num(a)?, num(b)?);
        (a <= b).then_some(AgeGroup::Range(a, b))
    } else {
        num(t).map(AgeGroup::Age)
    }
}

fn parse_sex(code: &str) -> Option<Sex> {
    match code.trim() {
        "1" | "M" | "m" => Some(Sex::Male),
        "2" | "K" | "k" | "F" | "f" => Some(Sex::Female),
        "1+2" | "T" | "t" | "tot" | "totalt" => Some(Sex::Total),
        c if c.eq_ignore_ascii_case("totsa") => Some(Sex::Total),
        _ => None,
    }
}

/// Whether a civil-status code is the table's total ("samtliga civilstånd").
fn is_civil_total(code: &str) -> bool {
    ["sc", "tot", "totalt", "totsa"]
        .iter()
        .any(|x| code.trim().eq_ignore_ascii_case(x))
}

/// One row per (municipality, age, sex, year): the civil statuses added up, in first-seen
/// order. A missing value (`null`) in any part leaves the sum missing.
fn sum_civil_status(rows: Vec<PopulationRow>) -> Vec<PopulationRow> {
    let mut out: Vec<PopulationRow> = Vec::new();
    let mut at: HashMap<(Kommunkod, AgeGroup, Sex, i32), usize> = HashMap::new();
    for r in rows {
        match at.get(&(r.kommunkod, r.age, r.sex, r.year)) {
            Some(&i) => {
                let o = &mut out[i];
                o.value = o.value.zip(r.value).map(|(a, b)| a + b);
            }
            None => {
                at.insert((r.kommunkod, r.age, r.sex, r.year), out.len());
                out.push(r);
            }
        }
    }
    out
}

/// One row per (municipality, age, year) with `Sex::Total`, in first-seen order.
fn sum_sexes(rows: Vec<PopulationRow>) -> Vec<PopulationRow> {
    let has_total = rows.iter().any(|r| r.sex == Sex::Total);
    let mut out: Vec<PopulationRow> = Vec::new();
    let mut at: HashMap<(Kommunkod, AgeGroup, i32), usize> = HashMap::new();
    for r in rows {
        if has_total && r.sex != Sex::Total {
            continue;
        }
        match at.get(&(r.kommunkod, r.age, r.year)) {
            Some(&i) => {
                let o = &mut out[i];
                o.value = o.value.zip(r.value).map(|(a, b)| a + b);
            }
            None => {
                at.insert((r.kommunkod, r.age, r.year), out.len());
                out.push(PopulationRow { sex: Sex::Total, ..r });
            }
        }
    }
    out
}

impl PopulationTable {
    /// The municipalities in the table, in first-seen order.
    pub fn municipalities(&self) -> Vec<Kommunkod> {
        let mut out: Vec<Kommunkod> = Vec::new();
        for r in &self.rows {
            if !out.contains(&r.kommunkod) {
                out.push(r.kommunkod);
            }
        }
        out
    }

    /// A municipality's demand driver (e.g. children 1–5) for `first_year…=last_year`, summed
    /// over sexes; see [`DriverSeries::from_population`]. When the table has both-sexes rows
    /// (`1+2`) only those are used, so nothing is counted twice.
    pub fn driver(
        &self,
        kommunkod: Kommunkod,
        driver: Driver,
        first_year: i32,
        last_year: i32,
    ) -> Result<DriverSeries, DriverError> {
        let has_total = self
            .rows
            .iter()
            .any(|r| r.kommunkod == kommunkod && r.sex == Sex::Total);
        let cells = self
            .rows
            .iter()
            .filter(|r| r.kommunkod == kommunkod && (!has_total || r.sex == Sex::Total))
            .map(|r| (r.age, r.year, r.value));
        DriverSeries::from_population(cells, driver, first_year, last_year)
    }
}
