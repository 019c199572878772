//! kkig-search: the education catalogue's search engine.
//!
//! A [`Catalogue`] holds the offerings and a [tantivy](https://docs.rs/tantivy) index of them,
//! in memory only: no file or network I/O, no clock, no randomness. The same offerings and the
//! same query always give the same hits in the same order.
//!
//! - **Text** is Swedish: Snowball Swedish stemming, lower-casing, å/ä/ö kept distinct
//!   ([`analysis`]). Every word of the query must match in one of the fields title, code,
//!   provider, study-site towns, level or eligibility; function words ("och", "i", …) are
//!   optional when there are other words.
//! - **Per word** the best of three kinds of match counts: exact (the stem is indexed; score
//!   [`TIER_EXACT`] + BM25 weighted per field, title highest), a compound part of a title word
//!   ([`TIER_COMPOUND`]; "sjuksköterska" in "Sjuksköterskeprogrammet", "lärare" in
//!   "Förskollärarprogrammet"), and one edit for words of five letters or more
//!   ([`TIER_FUZZY`]). The tiers are far apart, so an exact match always ranks above a compound
//!   or fuzzy one.
//! - **Filters** on school type, form, occupation area, pace and start term are bitsets made
//!   once per catalogue; the travel filter and travel sort are computed per group of offerings
//!   with the same meeting place and number of meetings, once per query. tantivy finds and
//!   scores each query word's matches, which are kept while the catalogue lives (`exec`).
//! - **Order**: relevance (score, then id), without text start date, title, id; or travel
//!   burden from home, then title, then id.
//!
//! [`generate`] makes realistic offerings for benchmarks and tests.

pub mod analysis;
mod catalogue;
mod exec;
pub mod generate;
mod plus;
mod query;

pub use catalogue::{Catalogue, TEXT_FIELDS, TIER_COMPOUND, TIER_EXACT, TIER_FUZZY, TITLE_BONUS};
pub use query::{Hit, SearchError, SearchQuery, SearchResult, Sort, StartTerm, DEFAULT_PER_PAGE, MAX_PER_PAGE};
