//! The catalogue: offerings and their tantivy index, held in memory.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap};
use std::ops::Bound;
use std::sync::Arc;

use kkig_core::catalogue::{reach, Level, Licence, Offering, SchoolType, StudyForm, TravelTimes};
use kkig_core::region::OccupationArea;
use kkig_core::text::swedish_cmp;
use kkig_core::{Kommunkod, Ssyk};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::indexer::NoMergePolicy;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions};
use tantivy::store::Compressor;
use tantivy::{
    DocId, Index, IndexSettings, ReloadPolicy, Score, Searcher, SegmentOrdinal, SegmentReader, TantivyDocument, Term,
};

use crate::analysis::{self, QueryWord, SWEDISH};
use crate::exec::{
    key_score, score_key, travel_key, Bits, FacetValues, Facets, Filter, Groups, TopK, WordHits, WordMemo,
};
use crate::plus::{PlusQuery, SetQuery, Terms};
use crate::query::{Hit, SearchError, SearchQuery, SearchResult, Sort, StartTerm, MAX_PER_PAGE};

/// Score floor of a query word matched exactly (its stem is in one of the fields); its BM25
/// score is added on top.
pub const TIER_EXACT: Score = 10_000.0;
/// Score of a query word found as part of a compound in a title ("sjuksköterska" in
/// "Sjuksköterskeprogrammet"), plus [`TITLE_BONUS`].
pub const TIER_COMPOUND: Score = 5_000.0;
/// Score of a query word found only with one edit, plus [`TITLE_BONUS`] when in the title.
pub const TIER_FUZZY: Score = 1_000.0;
/// Added to the compound and fuzzy tiers when the match is in the title.
pub const TITLE_BONUS: Score = 3.0;
/// Weight of an optional function word's BM25 score.
pub const STOP_WORD_WEIGHT: Score = 0.1;

/// The searched text fields and the weight of each field's BM25 score in an exact match.
pub const TEXT_FIELDS: [(&str, Score); 6] = [
    ("title", 3.0),
    ("code", 2.0),
    ("provider", 1.0),
    ("towns", 1.0),
    ("level", 0.5),
    ("eligibility", 0.5),
];

/// Indexing memory for the one indexing thread (tantivy flushes a segment when it is full).
const WRITER_HEAP_BYTES: usize = 256 * 1024 * 1024;
/// Marks an offering without a meeting place.
const NO_PLACE: u16 = u16::MAX;
/// At most this many title terms are used for the compound parts of one query word.
const MAX_COMPOUND_TERMS: usize = 256;
/// Memory for the kept matches of query words (see [`crate::exec`]).
const WORD_MEMO_BYTES: usize = 64 * 1024 * 1024;
/// A travel-ordered result with at most this many matches is selected with a heap over the
/// matches; a larger one by walking the groups of equal burden.
const SMALL_RESULT: usize = 4096;

#[derive(Clone, Copy)]
struct Fields {
    text: [(Field, Score); 6],
    title: Field,
    ord: Field,
    school_type: Field,
    form: Field,
    area: Field,
    licence: Field,
    level: Field,
    pace: Field,
    start_term: Field,
}

/// The searchable catalogue: every offering, and a tantivy index of them in memory.
///
/// Built once from a list of offerings (rebuild it when they change); searching is read-only
/// and can run from many threads at once.
pub struct Catalogue {
    /// In default order: start date, title (Swedish order), id. The position is the
    /// offering's *ord*, stored in the index as a fast field.
    offerings: Vec<Offering>,
    by_id: HashMap<String, u32>,
    /// Per ord: the sort ranks and the meeting place (shared with the collectors).
    table: Arc<Table>,
    /// The distinct meeting places.
    places: Vec<Kommunkod>,
    /// Every distinct term of the title field, sorted: where compound parts are looked for.
    title_terms: TermList,
    /// Per segment: doc id → ord.
    doc_ords: Vec<Arc<[u32]>>,
    fields: Fields,
    searcher: Searcher,
    /// One bitset per filter value.
    facets: Facets,
    /// The offerings by meeting place and meetings per term, each group in title order.
    groups: Groups,
    /// The matches of query words, kept while this catalogue lives.
    memo: WordMemo,
}

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogue")
            .field("offerings", &self.offerings.len())
            .field("segments", &self.doc_ords.len())
            .finish()
    }
}

fn school_type_code(t: SchoolType) -> u64 {
    SchoolType::ALL.iter().position(|x| *x == t).unwrap_or(0) as u64
}

fn form_code(f: StudyForm) -> u64 {
    StudyForm::ALL.iter().position(|x| *x == f).unwrap_or(0) as u64
}

fn area_code(a: OccupationArea) -> u64 {
    OccupationArea::ALL.iter().position(|x| *x == a).unwrap_or(0) as u64
}

fn licence_code(l: Licence) -> u64 {
    Licence::ALL.iter().position(|x| *x == l).unwrap_or(0) as u64
}

fn level_code(l: Level) -> u64 {
    Level::ALL.iter().position(|x| *x == l).unwrap_or(0) as u64
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text_options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(SWEDISH)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let text = TEXT_FIELDS.map(|(name, weight)| (b.add_text_field(name, text_options.clone()), weight));
    let indexed = NumericOptions::default().set_indexed();
    let ord = b.add_u64_field("ord", NumericOptions::default().set_fast());
    let school_type = b.add_u64_field("school_type", indexed.clone());
    let form = b.add_u64_field("form", indexed.clone());
    let area = b.add_u64_field("area", indexed.clone());
    let licence = b.add_u64_field("licence_code", indexed.clone());
    let level = b.add_u64_field("level_code", indexed.clone());
    let pace = b.add_u64_field("pace", indexed.clone().set_fast());
    let start_term = b.add_u64_field("start_term", indexed);
    let fields = Fields {
        text,
        title: text[0].0,
        ord,
        school_type,
        form,
        area,
        licence,
        level,
        pace,
        start_term,
    };
    (b.build(), fields)
}

/// A permutation of `0..n` sorted by `cmp`, and its inverse (position → rank).
fn ranks(n: usize, cmp: impl Fn(usize, usize) -> Ordering) -> Vec<u32> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    let mut rank = vec![0u32; n];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r as u32;
    }
    rank
}

impl Catalogue {
    /// Index `offerings`. `occupation_areas` maps SSYK codes to the shortage areas (the
    /// occupation-area filter). Ids must be unique.
    pub fn build(
        offerings: Vec<Offering>,
        occupation_areas: &BTreeMap<Ssyk, OccupationArea>,
    ) -> Result<Catalogue, SearchError> {
        if offerings.len() >= u32::MAX as usize {
            return Err(SearchError::TooMany(offerings.len()));
        }
        // Titles in Swedish order, once per distinct title (swedish_cmp is total, so distinct
        // titles never compare equal); then every order below compares integers.
        let title_key: Vec<u32> = {
            let mut distinct: Vec<&str> = offerings.iter().map(|o| o.title.as_str()).collect();
            distinct.sort_unstable();
            distinct.dedup();
            distinct.sort_by(|a, b| swedish_cmp(a, b));
            let position: HashMap<&str, u32> = distinct.iter().enumerate().map(|(i, t)| (*t, i as u32)).collect();
            offerings.iter().map(|o| position[o.title.as_str()]).collect()
        };
        // Default order: start date, title, id. The id makes it total (ids are unique).
        let mut order: Vec<usize> = (0..offerings.len()).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&offerings[a], &offerings[b]);
            x.start
                .cmp(&y.start)
                .then(title_key[a].cmp(&title_key[b]))
                .then_with(|| x.id.cmp(&y.id))
        });
        let title_key: Vec<u32> = order.iter().map(|&i| title_key[i]).collect();
        let mut slots: Vec<Option<Offering>> = offerings.into_iter().map(Some).collect();
        let offerings: Vec<Offering> = order.iter().map(|&i| slots[i].take().expect("a permutation")).collect();
        let mut by_id = HashMap::with_capacity(offerings.len());
        for (i, o) in offerings.iter().enumerate() {
            if by_id.insert(o.id.clone(), i as u32).is_some() {
                return Err(SearchError::DuplicateId(o.id.clone()));
            }
        }
        let n = offerings.len();
        let id_rank = ranks(n, |a, b| offerings[a].id.cmp(&offerings[b].id));
        let title_rank = ranks(n, |a, b| {
            title_key[a]
                .cmp(&title_key[b])
                .then_with(|| offerings[a].id.cmp(&offerings[b].id))
        });

        let mut places: Vec<Kommunkod> = Vec::new();
        let mut place_index: HashMap<Kommunkod, u16> = HashMap::new();
        let mut place = Vec::with_capacity(n);
        for o in &offerings {
            place.push(match o.meeting_place() {
                None => NO_PLACE,
                Some(site) => *place_index.entry(site.municipality).or_insert_with(|| {
                    places.push(site.municipality);
                    (places.len() - 1) as u16
                }),
            });
        }
        let per_term: Vec<u32> = offerings.iter().map(|o| o.meetings.per_term).collect();
        let facets = Facets::build(offerings.iter().map(|o| FacetValues {
            school_type: school_type_code(o.school_type),
            form: form_code(o.form),
            areas: o.areas(occupation_areas).into_iter().map(area_code).collect(),
            licence: Licence::of(o, occupation_areas).map(licence_code),
            level: Level::of(o).map(level_code),
            start_term: StartTerm::of_date(&o.start).map(StartTerm::key),
            pace: o.pace_percent,
        }));
        let group_place: Vec<Option<u16>> = place.iter().map(|&p| (p != NO_PLACE).then_some(p)).collect();
        let groups = Groups::build(&group_place, &per_term, &title_rank);

        let (schema, fields) = schema();
        let settings = IndexSettings {
            docstore_compression: Compressor::None,
            docstore_compress_dedicated_thread: false,
            ..IndexSettings::default()
        };
        let index = Index::builder().schema(schema).settings(settings).create_in_ram()?;
        index.tokenizers().register(SWEDISH, analysis::swedish_analyzer());
        {
            let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, WRITER_HEAP_BYTES)?;
            writer.set_merge_policy(Box::new(NoMergePolicy));
            for (ord, o) in offerings.iter().enumerate() {
                writer.add_document(document(&fields, ord as u64, o, occupation_areas))?;
            }
            writer.commit()?;
            writer.wait_merging_threads()?;
        }
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let searcher = reader.searcher();

        let mut doc_ords = Vec::new();
        let mut title_terms = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().u64("ord")?;
            let ords: Vec<u32> = (0..segment.max_doc())
                .map(|d| column.first(d).unwrap_or(u64::from(u32::MAX)) as u32)
                .collect();
            doc_ords.push(Arc::from(ords));
            let inverted = segment.inverted_index(fields.title)?;
            let mut stream = inverted.terms().stream().map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                if let Ok(s) = std::str::from_utf8(stream.key()) {
                    title_terms.insert(s.to_string());
                }
            }
        }

        Ok(Catalogue {
            offerings,
            by_id,
            table: Arc::new(Table {
                id_rank,
                title_rank,
                place,
                per_term,
            }),
            places,
            title_terms: TermList::new(title_terms),
            doc_ords,
            fields,
            searcher,
            facets,
            groups,
            memo: WordMemo::new(WORD_MEMO_BYTES),
        })
    }

    /// How many offerings there are.
    pub fn len(&self) -> usize {
        self.offerings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.offerings.is_empty()
    }

    /// The offering with this id.
    pub fn get(&self, id: &str) -> Option<&Offering> {
        self.by_id.get(id).map(|&ord| &self.offerings[ord as usize])
    }

    /// Every offering, in default order (start date, title, id).
    pub fn iter(&self) -> impl Iterator<Item = &Offering> {
        self.offerings.iter()
    }

    /// Answer `q`; `travel` gives the minutes between municipalities for the travel filter,
    /// the travel sort and each hit's `reach`.
    pub fn search(&self, q: &SearchQuery, travel: &TravelTimes) -> Result<SearchResult<'_>, SearchError> {
        check(q)?;
        let words = query_words(q);
        let (total, top, order) = self.execute(q, &words, travel)?;
        Ok(self.result(q, travel, total, top, order))
    }

    /// The same answer as [`Catalogue::search`], computed the plain way: the whole query in
    /// tantivy, every match through one collector. Slower; kept as the oracle that tests hold
    /// the executor to.
    #[doc(hidden)]
    pub fn search_reference(&self, q: &SearchQuery, travel: &TravelTimes) -> Result<SearchResult<'_>, SearchError> {
        check(q)?;
        let words = query_words(q);
        let order = order_of(q, &words);
        let query = self.query(q, &words)?;
        let minutes: Option<Arc<[Option<i64>]>> = q.home.map(|home| self.minutes_from(home, travel).into());
        let k = q.page.saturating_mul(q.per_page).min(self.offerings.len());
        let collector = TopCollector {
            doc_ords: &self.doc_ords,
            table: &self.table,
            minutes,
            max_travel: q.max_travel_minutes_per_term,
            order,
            k,
            scored: order == Order::Score,
        };
        let (total, top) = self.searcher.search(&*query, &collector)?;
        Ok(self.result(q, travel, total, top, order))
    }

    /// Forget the kept matches of query words, so that the next query of each word is found
    /// by tantivy again (benchmarks measure that first-use cost with it).
    #[doc(hidden)]
    pub fn forget_words(&self) {
        self.memo.clear();
    }

    /// One-way minutes from `home` to each meeting place.
    fn minutes_from(&self, home: Kommunkod, travel: &TravelTimes) -> Vec<Option<i64>> {
        self.places.iter().map(|&p| travel.minutes(home, p)).collect()
    }

    /// The page of `q` from the first `page × per_page` matches in order.
    fn result(
        &self,
        q: &SearchQuery,
        travel: &TravelTimes,
        total: usize,
        top: Vec<(u64, u32)>,
        order: Order,
    ) -> SearchResult<'_> {
        let start = (q.page - 1).saturating_mul(q.per_page).min(top.len());
        let hits = top[start..]
            .iter()
            .map(|&(key, ord)| {
                let offering = &self.offerings[ord as usize];
                Hit {
                    offering,
                    ord,
                    score: if order == Order::Score { key_score(key) } else { 0.0 },
                    reach: q.home.and_then(|home| reach(offering, home, travel)),
                }
            })
            .collect();
        SearchResult {
            total,
            page: q.page,
            per_page: q.per_page,
            hits,
        }
    }

    /// The matches of one query word (see [`crate::exec`]), kept for the next query.
    /// `optional`: a function word among other words, which only adds to the score.
    fn word_hits(&self, w: &QueryWord, optional: bool) -> Result<Arc<WordHits>, SearchError> {
        let key = format!(
            "{}\u{1}{}\u{1}{}\u{1}{}",
            u8::from(optional),
            w.stem,
            u8::from(w.fuzzy),
            w.compound_forms.join("\u{2}")
        );
        self.memo.get_or(&key, || {
            let query = if optional {
                self.optional_word_query(w)
            } else {
                self.word_query(w)?
            };
            let hits = self.searcher.search(
                &*query,
                &AllHits {
                    doc_ords: &self.doc_ords,
                },
            )?;
            Ok::<_, SearchError>(WordHits::new(hits, self.offerings.len()))
        })
    }

    /// The total and the first `page × per_page` matches of `q` as (key, ord), in order.
    fn execute(&self, q: &SearchQuery, words: &[QueryWord], travel: &TravelTimes) -> Result<Executed, SearchError> {
        let n = self.offerings.len();
        let order = order_of(q, words);
        let all_stop = words.iter().all(|w| w.stop);
        let mut must = Vec::new();
        let mut optional = Vec::new();
        for w in words {
            if w.stop && !all_stop {
                optional.push(self.word_hits(w, true)?);
            } else {
                must.push(self.word_hits(w, false)?);
            }
        }
        // The candidates: every filter and every required word; None = every offering.
        let mut cand = self.facets.select(&Filter {
            school_type: q.school_type.map(school_type_code),
            form: q.form.map(form_code),
            area: q.area.map(area_code),
            licence: q.licence.map(licence_code),
            level: q.level.map(level_code),
            start_term: q.start_term.map(StartTerm::key),
            min_pace: q.min_pace,
            max_pace: q.max_pace,
        });
        for w in &must {
            match &mut cand {
                None => cand = Some(w.bits.clone()),
                Some(c) => c.and_with(&w.bits),
            }
        }
        // Burdens only when the query filters or sorts by travel (each hit's own `reach` is
        // computed for the page alone).
        let needs_travel = q.max_travel_minutes_per_term.is_some() || order == Order::Travel;
        let burdens = q
            .home
            .filter(|_| needs_travel)
            .map(|home| self.groups.burdens(&self.minutes_from(home, travel)));
        let burden = |b: &[Option<i64>], ord: u32| b[self.groups.of[ord as usize] as usize];
        if let (Some(limit), Some(b)) = (q.max_travel_minutes_per_term, &burdens) {
            let ok: Vec<bool> = b.iter().map(|b| b.is_some_and(|x| x <= limit)).collect();
            cand = Some(self.groups.restrict(cand, n, &ok));
        }
        let total = cand.as_ref().map_or(n, Bits::count);
        let k = q.page.saturating_mul(q.per_page).min(total);
        if k == 0 {
            return Ok((total, Vec::new(), order));
        }
        let accept = |ord: u32| cand.as_ref().is_none_or(|c| c.contains(ord));
        let id_rank = &self.table.id_rank;
        let title_rank = &self.table.title_rank;
        let top = match order {
            Order::Ord => match &cand {
                None => (0..k as u32).map(|o| (u64::from(o), o)).collect(),
                Some(c) => c.ones().take(k).map(|o| (u64::from(o), o)).collect(),
            },
            // One word searched for before: walk its matches in relevance order, unless few of
            // them are left.
            Order::Score
                if must.len() == 1 && optional.is_empty() && total * 8 >= must[0].len() && must[0].used_before() =>
            {
                let w = &must[0];
                let mut out = Vec::with_capacity(k);
                for &i in w.by_relevance(id_rank) {
                    let ord = w.ords[i as usize];
                    if accept(ord) {
                        out.push((score_key(w.scores[i as usize], id_rank[ord as usize]), ord));
                        if out.len() == k {
                            break;
                        }
                    }
                }
                out
            }
            Order::Score => {
                let mut at = vec![0usize; must.len()];
                let mut opt_at = vec![0usize; optional.len()];
                let mut top = TopK::new(k);
                let mut offer = |ord: u32| {
                    let mut score: Score = 0.0;
                    for (w, at) in must.iter().zip(&mut at) {
                        score += w.score_from(at, ord).unwrap_or(0.0);
                    }
                    for (w, at) in optional.iter().zip(&mut opt_at) {
                        score += w.score_from(at, ord).unwrap_or(0.0);
                    }
                    top.offer(score_key(score, id_rank[ord as usize]), ord);
                };
                match &cand {
                    Some(c) => c.ones().for_each(&mut offer),
                    None => (0..n as u32).for_each(&mut offer),
                }
                top.into_sorted()
            }
            Order::Travel => {
                let b = burdens.as_deref().ok_or(SearchError::NeedsHome("sorting by travel"))?;
                match &cand {
                    Some(c) if total <= SMALL_RESULT => {
                        let mut top = TopK::new(k);
                        for ord in c.ones() {
                            top.offer(travel_key(burden(b, ord), title_rank[ord as usize]), ord);
                        }
                        top.into_sorted()
                    }
                    _ => self.groups.first_by_travel(b, title_rank, accept, k),
                }
            }
        };
        Ok((total, top, order))
    }

    /// The tantivy query for `q`: every non-function word must match, every filter must hold.
    fn query(&self, q: &SearchQuery, words: &[QueryWord]) -> tantivy::Result<Box<dyn Query>> {
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let all_stop = words.iter().all(|w| w.stop);
        for w in words {
            if w.stop && !all_stop {
                clauses.push((Occur::Should, self.optional_word_query(w)));
            } else {
                clauses.push((Occur::Must, self.word_query(w)?));
            }
        }
        let filter = |clauses: &mut Vec<(Occur, Box<dyn Query>)>, q: Box<dyn Query>| {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))));
        };
        if let Some(t) = q.school_type {
            filter(&mut clauses, u64_query(f.school_type, school_type_code(t)));
        }
        if let Some(form) = q.form {
            filter(&mut clauses, u64_query(f.form, form_code(form)));
        }
        if let Some(a) = q.area {
            filter(&mut clauses, u64_query(f.area, area_code(a)));
        }
        if let Some(l) = q.licence {
            filter(&mut clauses, u64_query(f.licence, licence_code(l)));
        }
        if let Some(l) = q.level {
            filter(&mut clauses, u64_query(f.level, level_code(l)));
        }
        if let Some(t) = q.start_term {
            filter(&mut clauses, u64_query(f.start_term, t.key()));
        }
        if q.min_pace.is_some() || q.max_pace.is_some() {
            let bound = |v: Option<u32>| match v {
                Some(v) => Bound::Included(Term::from_field_u64(f.pace, u64::from(v))),
                None => Bound::Unbounded,
            };
            filter(
                &mut clauses,
                Box::new(RangeQuery::new(bound(q.min_pace), bound(q.max_pace))),
            );
        }
        Ok(if clauses.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(BooleanQuery::new(clauses))
        })
    }

    /// A function word among other words: its BM25 score in any field, weighted down; it
    /// does not have to match.
    fn optional_word_query(&self, w: &QueryWord) -> Box<dyn Query> {
        let optional: Vec<(Occur, Box<dyn Query>)> = self
            .fields
            .text
            .iter()
            .map(|&(field, _)| (Occur::Should, term_query(field, &w.stem)))
            .collect();
        Box::new(BoostQuery::new(Box::new(BooleanQuery::new(optional)), STOP_WORD_WEIGHT))
    }

    /// One query word: the best of an exact match (tier + weighted BM25 over the fields), a
    /// compound part in a title, and a match with one edit.
    fn word_query(&self, w: &QueryWord) -> tantivy::Result<Box<dyn Query>> {
        let f = &self.fields;
        let mut alternatives: Vec<Box<dyn Query>> = Vec::new();

        // Exact: the stem in any field gives the tier; each field adds its weighted BM25.
        let exact: Vec<(Occur, Box<dyn Query>)> = f
            .text
            .iter()
            .map(|&(field, weight)| {
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(term_query(field, &w.stem), weight)) as Box<dyn Query>,
                )
            })
            .collect();
        alternatives.push(Box::new(PlusQuery::new(Box::new(BooleanQuery::new(exact)), TIER_EXACT)));

        // Compound parts: title terms that contain one of the word's compound forms.
        let parts = self
            .title_terms
            .containing(&w.compound_forms, &w.stem, MAX_COMPOUND_TERMS);
        let parts_empty = parts.is_empty();
        if !parts_empty {
            let terms = Terms::List(parts.into());
            alternatives.push(Box::new(SetQuery::new(
                vec![f.title],
                terms,
                &w.stem,
                TIER_COMPOUND + TITLE_BONUS,
            )));
        }

        // One edit (substitution, insertion, deletion or transposition of neighbours).
        if w.fuzzy {
            let dfa = Arc::new(FuzzyTermQuery::new(Term::from_field_text(f.title, &w.stem), 1, true).automaton()?);
            let rest: Vec<Field> = f.text.iter().skip(1).map(|&(field, _)| field).collect();
            alternatives.push(Box::new(SetQuery::new(
                vec![f.title],
                Terms::Dfa(dfa.clone()),
                &w.stem,
                TIER_FUZZY + TITLE_BONUS,
            )));
            alternatives.push(Box::new(SetQuery::new(rest, Terms::Dfa(dfa), &w.stem, TIER_FUZZY)));
            // One edit inside a compound ("sjukskoterska" in "Sjuksköterskeprogrammet"): only
            // looked for when the word is no exact compound part, as typos usually are not.
            if parts_empty {
                let near = self
                    .title_terms
                    .containing_within_one_edit(&w.compound_forms, MAX_COMPOUND_TERMS);
                if !near.is_empty() {
                    alternatives.push(Box::new(SetQuery::new(
                        vec![f.title],
                        Terms::List(near.into()),
                        &w.stem,
                        TIER_FUZZY + TITLE_BONUS,
                    )));
                }
            }
        }
        Ok(Box::new(DisjunctionMaxQuery::new(alternatives)))
    }
}

/// What the executor answers: the total, and the first matches as (key, ord) in `Order`.
type Executed = (usize, Vec<(u64, u32)>, Order);

/// The checks every search makes before doing anything.
fn check(q: &SearchQuery) -> Result<(), SearchError> {
    if q.page == 0 {
        return Err(SearchError::Page);
    }
    if q.per_page == 0 || q.per_page > MAX_PER_PAGE {
        return Err(SearchError::PerPage);
    }
    if q.home.is_none() {
        if q.max_travel_minutes_per_term.is_some() {
            return Err(SearchError::NeedsHome("a maximum travel time"));
        }
        if q.sort == Sort::Travel {
            return Err(SearchError::NeedsHome("sorting by travel"));
        }
    }
    Ok(())
}

fn query_words(q: &SearchQuery) -> Vec<QueryWord> {
    q.text.as_deref().map(analysis::query_words).unwrap_or_default()
}

fn order_of(q: &SearchQuery, words: &[QueryWord]) -> Order {
    match (q.sort, words.is_empty()) {
        (Sort::Relevance, false) => Order::Score,
        (Sort::Relevance, true) => Order::Ord,
        (Sort::Travel, _) => Order::Travel,
    }
}

/// Every match of a query with its score, as (ord, score).
struct AllHits<'a> {
    doc_ords: &'a [Arc<[u32]>],
}

struct AllHitsSegment {
    ords: Arc<[u32]>,
    hits: Vec<(u32, Score)>,
}

impl Collector for AllHits<'_> {
    type Fruit = Vec<(u32, Score)>;
    type Child = AllHitsSegment;

    fn for_segment(&self, segment: SegmentOrdinal, _reader: &SegmentReader) -> tantivy::Result<AllHitsSegment> {
        Ok(AllHitsSegment {
            ords: self.doc_ords[segment as usize].clone(),
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(u32, Score)>>) -> tantivy::Result<Vec<(u32, Score)>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for AllHitsSegment {
    type Fruit = Vec<(u32, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.hits.push((self.ords[doc as usize], score));
    }

    fn harvest(self) -> Vec<(u32, Score)> {
        self.hits
    }
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn u64_query(field: Field, value: u64) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_u64(field, value),
        IndexRecordOption::Basic,
    ))
}

fn document(f: &Fields, ord: u64, o: &Offering, occupation_areas: &BTreeMap<Ssyk, OccupationArea>) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_u64(f.ord, ord);
    let [title, code, provider, towns, level, eligibility] = f.text.map(|(field, _)| field);
    d.add_text(title, &o.title);
    d.add_text(code, &o.code);
    d.add_text(provider, &o.provider_name);
    for site in &o.sites {
        d.add_text(towns, &site.town);
    }
    d.add_text(level, &o.level);
    d.add_text(eligibility, &o.eligibility);
    d.add_u64(f.school_type, school_type_code(o.school_type));
    d.add_u64(f.form, form_code(o.form));
    for a in o.areas(occupation_areas) {
        d.add_u64(f.area, area_code(a));
    }
    if let Some(l) = Licence::of(o, occupation_areas) {
        d.add_u64(f.licence, licence_code(l));
    }
    if let Some(l) = Level::of(o) {
        d.add_u64(f.level, level_code(l));
    }
    d.add_u64(f.pace, u64::from(o.pace_percent));
    if let Some(t) = StartTerm::of_date(&o.start) {
        d.add_u64(f.start_term, t.key());
    }
    d
}

/// A sorted list of distinct terms, searchable by substring: the terms joined by newlines in
/// one string, so that one fast substring search covers the whole vocabulary.
struct TermList {
    joined: String,
    /// Where each term starts in `joined`.
    starts: Vec<usize>,
}

impl TermList {
    fn new(terms: BTreeSet<String>) -> TermList {
        let mut joined = String::new();
        let mut starts = Vec::with_capacity(terms.len());
        for t in terms {
            starts.push(joined.len());
            joined.push_str(&t);
            joined.push('\n');
        }
        TermList { joined, starts }
    }

    fn term(&self, i: usize) -> &str {
        let end = self.starts.get(i + 1).map_or(self.joined.len(), |&e| e) - 1;
        &self.joined[self.starts[i]..end]
    }

    /// The terms (in sorted order, at most `max`) that contain a substring within one edit
    /// (substitution, insertion, deletion, transposition of neighbours) of one of `needles`
    /// of five letters or more.
    fn containing_within_one_edit(&self, needles: &[String], max: usize) -> Vec<String> {
        let needles: Vec<Vec<char>> = needles
            .iter()
            .map(|n| n.chars().collect::<Vec<_>>())
            .filter(|n| n.len() >= 5)
            .collect();
        if needles.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for i in 0..self.starts.len() {
            let term: Vec<char> = self.term(i).chars().collect();
            let hit = needles.iter().any(|n| {
                let l = n.len();
                (l - 1..=l + 1)
                    .any(|w| w <= term.len() && (0..=term.len() - w).any(|p| within_one_edit(&term[p..p + w], n)))
            });
            if hit {
                out.push(self.term(i).to_string());
                if out.len() >= max {
                    break;
                }
            }
        }
        out
    }

    /// The terms (in sorted order, at most `max`) that contain one of `needles`, except `skip`.
    fn containing(&self, needles: &[String], skip: &str, max: usize) -> Vec<String> {
        let mut hits = BTreeSet::new();
        for needle in needles {
            if needle.is_empty() || needle.contains('\n') {
                continue;
            }
            for (pos, _) in self.joined.match_indices(needle.as_str()) {
                hits.insert(self.starts.partition_point(|&s| s <= pos) - 1);
            }
        }
        hits.into_iter()
            .map(|i| self.term(i))
            .filter(|t| *t != skip)
            .take(max)
            .map(str::to_string)
            .collect()
    }
}

/// Whether `a` and `b` differ by at most one substitution, insertion, deletion or
/// transposition of neighbouring letters.
fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if prefix == la && prefix == lb {
        return true;
    }
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match la.cmp(&lb) {
        std::cmp::Ordering::Equal => {
            ra[1..] == rb[1..] || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        std::cmp::Ordering::Greater => ra[1..] == *rb,
        std::cmp::Ordering::Less => *ra == rb[1..],
    }
}

/// Per ord: what the collectors need to filter by travel and to sort.
struct Table {
    /// Rank in id order.
    id_rank: Vec<u32>,
    /// Rank in (title, id) order.
    title_rank: Vec<u32>,
    /// Index into the catalogue's meeting places, or NO_PLACE.
    place: Vec<u16>,
    /// On-site meetings per term.
    per_term: Vec<u32>,
}

impl Table {
    /// The travel burden per term, as `kkig_core::catalogue::reach` computes it, from the
    /// one-way minutes to each meeting place.
    fn burden(&self, ord: u32, minutes: &[Option<i64>]) -> Option<i64> {
        let p = self.place[ord as usize];
        if p == NO_PLACE {
            return Some(0);
        }
        minutes[p as usize].map(|m| {
            i64::from(self.per_term[ord as usize])
                .saturating_mul(2)
                .saturating_mul(m)
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    /// Score descending, then id.
    Score,
    /// Default order: the ord itself.
    Ord,
    /// Burden ascending (unknown last), then title, then id.
    Travel,
}

/// Counts the matches that pass the travel filter and keeps the first `k` in order, as
/// (key, ord) with a unique u64 key per ord, so the order is total and needs no float compare.
struct TopCollector<'a> {
    doc_ords: &'a [Arc<[u32]>],
    table: &'a Arc<Table>,
    minutes: Option<Arc<[Option<i64>]>>,
    max_travel: Option<i64>,
    order: Order,
    k: usize,
    scored: bool,
}

struct TopSegment {
    ords: Arc<[u32]>,
    table: Arc<Table>,
    minutes: Option<Arc<[Option<i64>]>>,
    max_travel: Option<i64>,
    order: Order,
    k: usize,
    total: usize,
    heap: BinaryHeap<(u64, u32)>,
}

type Top = (usize, Vec<(u64, u32)>);

impl Collector for TopCollector<'_> {
    type Fruit = Top;
    type Child = TopSegment;

    fn for_segment(&self, segment: SegmentOrdinal, _reader: &SegmentReader) -> tantivy::Result<TopSegment> {
        Ok(TopSegment {
            ords: self.doc_ords[segment as usize].clone(),
            table: self.table.clone(),
            minutes: self.minutes.clone(),
            max_travel: self.max_travel,
            order: self.order,
            k: self.k,
            total: 0,
            heap: BinaryHeap::with_capacity(self.k.min(4096) + 1),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scored
    }

    fn merge_fruits(&self, fruits: Vec<Top>) -> tantivy::Result<Top> {
        let total = fruits.iter().map(|f| f.0).sum();
        let mut top: Vec<(u64, u32)> = fruits.into_iter().flat_map(|f| f.1).collect();
        top.sort_unstable();
        top.truncate(self.k);
        Ok((total, top))
    }
}

impl TopSegment {
    #[inline]
    fn offer(&mut self, doc: DocId, score: Score) {
        let ord = self.ords[doc as usize];
        let burden = match &self.minutes {
            Some(m) if self.max_travel.is_some() || self.order == Order::Travel => self.table.burden(ord, m),
            _ => None,
        };
        if let Some(limit) = self.max_travel {
            if burden.is_none_or(|b| b > limit) {
                return;
            }
        }
        self.total += 1;
        let key = match self.order {
            Order::Score => score_key(score, self.table.id_rank[ord as usize]),
            Order::Ord => u64::from(ord),
            Order::Travel => travel_key(burden, self.table.title_rank[ord as usize]),
        };
        if self.heap.len() < self.k {
            self.heap.push((key, ord));
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if key < worst.0 {
                *worst = (key, ord);
            }
        }
    }
}

impl SegmentCollector for TopSegment {
    type Fruit = Top;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.offer(doc, score);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for &doc in docs {
            self.offer(doc, 0.0);
        }
    }

    fn harvest(self) -> Top {
        (self.total, self.heap.into_vec())
    }
}

#[cfg(test)]
mod edit_tests {
    use super::within_one_edit;

    #[test]
    fn one_edit_cases() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        for (a, b, want) in [
            ("sjukskötersk", "sjukskotersk", true),
            ("barnmorsk", "barnmosk", true),
            ("socionom", "scoionom", true),
            ("lärar", "lärar", true),
            ("lärar", "lärarx", true),
            ("lärar", "lrrar", true),
            ("lärar", "lrraa", false),
            ("abcde", "badce", false),
        ] {
            assert_eq!(within_one_edit(&c(a), &c(b)), want, "{a} {b}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_list_substrings() {
        let terms: BTreeSet<String> = [
            "förskollärarprogrammet",
            "lär",
            "lärarutbildning",
            "matematik",
            "sjuksköterskeprogrammet",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        let list = TermList::new(terms);
        assert_eq!(list.term(0), "förskollärarprogrammet");
        assert_eq!(list.term(4), "sjuksköterskeprogrammet");
        let lärar = list.containing(&["lärar".to_string()], "lär", 10);
        assert_eq!(lärar, ["förskollärarprogrammet", "lärarutbildning"]);
        assert_eq!(
            list.containing(&["lär".to_string()], "lär", 10),
            ["förskollärarprogrammet", "lärarutbildning"]
        );
        assert_eq!(
            list.containing(&["lär".to_string()], "lär", 1),
            ["förskollärarprogrammet"]
        );
        assert_eq!(
            list.containing(&["programmet".to_string(), "matematik".to_string()], "x", 10)
                .len(),
            3
        );
        assert!(list.containing(&["xyz".to_string(), String::new()], "x", 10).is_empty());
        assert!(TermList::new(BTreeSet::new())
            .containing(&["a".to_string()], "", 5)
            .is_empty());
    }
}
