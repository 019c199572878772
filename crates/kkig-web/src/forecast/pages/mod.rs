//! The competence-supply forecast's pages (issue 7): the regional table (`/prognos`), one
//! municipality and occupation with its chart, flows, scenarios and input form
//! (`/prognos/kommun/{kod}/{ssyk}`), the map of need per 1,000 inhabitants (`/prognos/karta`),
//! clusters of municipalities (`/prognos/kluster/{id}`), and every table as CSV and XLSX.
//!
//! Everyone reads; a municipality's staff (and admin) edit its inputs; regional coordinators
//! (and admin) keep the clusters — `Principal::may` with `Target::ForecastInput` and
//! `Target::ForecastCluster`.

mod clusters;
mod map;
mod municipality;
mod region;

use clusters::*;
use map::*;
use municipality::*;
use region::*;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::http::guard::{Guard, Op, Routes, Surface};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use kkig_core::access::{Action, Target};
use kkig_core::forecast::product::{DriverSource, ForecastInput, HORIZON, SHORTAGE_OCCUPATIONS};
use kkig_core::forecast::{forecast, Driver, Forecast, Scenario};
use kkig_core::vfu::FieldError;
use kkig_core::{Kommunkod, Municipality, MunicipalityRole, Occupation, Ssyk};
use kkig_formats::{Cell, Table};
use kkig_store::{Actor, ForecastCluster, StoreError, UserRecord};
use serde::Deserialize;

use crate::http::auth::MaybeUser;
use crate::ui::form::Field;
use crate::ui::i18n::{format_decimal, Lang};
use crate::ui::page::signed_in;
use crate::ui::page::{forbidden, nf, render, unavailable, Chrome, OrUnavailable, PageResult};
use crate::ui::public_cache::public_page;
use crate::AppState;

pub fn routes() -> Routes {
    Routes::new(Surface::Page)
        .get("/prognos", regional_page)
        .get("/prognos/export/{file}", regional_export)
        .get("/prognos/karta", map_page)
        .get("/prognos/karta/export/{file}", map_export)
        .get("/prognos/kommun/{code}/{ssyk}", municipality_page)
        .post("/prognos/kommun/{code}/{ssyk}", Op::ForecastInputSave, save_input)
        .get("/prognos/kommun/{code}/{ssyk}/export/{file}", municipality_export)
        .post("/prognos/kluster", Op::ForecastClusterCreate, create_cluster)
        .get("/prognos/kluster/{id}", cluster_page)
        .get("/prognos/kluster/{id}/export/{file}", cluster_export)
        .post(
            "/prognos/kluster/{id}/ta-bort",
            Op::ForecastClusterDelete,
            delete_cluster,
        )
}

// ---------------------------------------------------------------------------------------------
// The computation shared by pages and API

pub use kkig_core::forecast::computed::{Computed, ForecastData as Data};

/// The occupations in forecast order: the shortage occupations first, then any other by code.
pub fn occupation_order(ssyks: impl IntoIterator<Item = Ssyk>) -> Vec<Ssyk> {
    let set: BTreeSet<Ssyk> = ssyks.into_iter().collect();
    let rank = |s: &Ssyk| {
        SHORTAGE_OCCUPATIONS
            .iter()
            .position(|c| c.to_string() == s.to_string())
            .unwrap_or(usize::MAX)
    };
    let mut v: Vec<Ssyk> = set.into_iter().collect();
    v.sort_by_key(|s| (rank(s), *s));
    v
}

/// The scenarios shown side by side: "+N local VFU students a year", retirement age 67, exit
/// rate − 1 percentage point. N students are N × completion share more graduates.
pub fn scenarios(extra_students: f64, completion_share: f64) -> [(&'static str, Scenario); 3] {
    [
        (
            "extra",
            Scenario::ExtraLocalGraduates {
                per_year: extra_students * completion_share,
            },
        ),
        ("retire67", Scenario::RetirementAge { age: 67 }),
        (
            "exit-1",
            Scenario::ExitRateChange {
                percentage_points: -1.0,
            },
        ),
    ]
}

fn name_of(occupations: &[Occupation], ssyk: Ssyk) -> String {
    occupations
        .iter()
        .find(|o| o.ssyk == ssyk)
        .map(|o| o.name.clone())
        .unwrap_or_else(|| ssyk.to_string())
}

fn dec(lang: Lang, x: f64) -> String {
    // One decimal; −0,0 reads as 0,0.
    let x = if (x * 10.0).round() == 0.0 { 0.0 } else { x };
    format_decimal(lang, x, 1)
}

// ---------------------------------------------------------------------------------------------
// Exports

fn export_response(table: &Table, file: &str, stem: &str, sheet: &str) -> Response {
    if file == format!("{stem}.csv") {
        (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{stem}.csv\""),
                ),
            ],
            table.to_swedish_csv(),
        )
            .into_response()
    } else if file == format!("{stem}.xlsx") {
        match table.to_xlsx(sheet) {
            Ok(bytes) => (
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{stem}.xlsx\""),
                    ),
                ],
                bytes,
            )
                .into_response(),
            Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        }
    } else {
        (
            StatusCode::NOT_FOUND,
            format!("no export {file:?}: use {stem}.csv or {stem}.xlsx"),
        )
            .into_response()
    }
}

fn flows_table(f: &Forecast) -> Table {
    let mut t = Table::new(&[
        "år",
        "efterfrågan",
        "pensioneringar",
        "övriga avgångar",
        "kvar",
        "rekryteringsbehov",
        "lokalt utbud",
        "lokalt bidrag",
        "externt behov",
        "personal",
    ]);
    for y in &f.years {
        let mut row = vec![Cell::Int(i64::from(y.year))];
        row.extend(y.values()[1..].iter().map(|v| Cell::Decimal(*v, 1)));
        t.push(row);
    }
    t
}
