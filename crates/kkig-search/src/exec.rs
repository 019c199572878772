//! The query executor: what a search does after the text has been analysed.
//!
//! tantivy finds and scores the matches of each query word (stemming, compound parts, one
//! edit, BM25: see `Catalogue::word_query`). Everything after that is plain integer work on
//! structures built once per catalogue:
//!
//! - **Filters** (school type, form, occupation area, start term, pace) are one bitset per
//!   value ([`Facets`]), intersected word by word (1,563 `u64`s for 100,000 offerings).
//! - **Word matches** ([`WordHits`]): the offerings a word matches with the word's score, in
//!   offering order, as a bitset, and in relevance order. They depend only on the word and the
//!   catalogue, so they are kept ([`WordMemo`], least recently used out, bounded in bytes) for
//!   as long as the catalogue lives; a new catalogue starts empty.
//! - **Travel** is computed per group of offerings with the same meeting place and number of
//!   meetings ([`Groups`]): a query computes one burden per group, not per offering, and the
//!   travel order walks the groups from the lowest burden, each group already in title order.
//!
//! The result is the same as evaluating the whole query in tantivy and collecting every match
//! (`Catalogue::search_reference`, kept as the oracle of the tests), up to the order in
//! which a multi-word query's word scores are added (f32).

use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::ops::Bound;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// A set of offerings (by ord) as a bitset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Bits {
    words: Vec<u64>,
}

impl Bits {
    pub(crate) fn empty(n: usize) -> Bits {
        Bits {
            words: vec![0; n.div_ceil(64)],
        }
    }

    /// Every ord below `n`.
    pub(crate) fn full(n: usize) -> Bits {
        let mut words = vec![u64::MAX; n.div_ceil(64)];
        if !n.is_multiple_of(64) {
            if let Some(last) = words.last_mut() {
                *last = (1u64 << (n % 64)) - 1;
            }
        }
        Bits { words }
    }

    pub(crate) fn insert(&mut self, i: u32) {
        self.words[(i / 64) as usize] |= 1 << (i % 64);
    }

    pub(crate) fn remove(&mut self, i: u32) {
        self.words[(i / 64) as usize] &= !(1 << (i % 64));
    }

    #[inline]
    pub(crate) fn contains(&self, i: u32) -> bool {
        self.words[(i / 64) as usize] & (1 << (i % 64)) != 0
    }

    pub(crate) fn and_with(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    pub(crate) fn or_with(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    pub(crate) fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The members in ascending order.
    pub(crate) fn ones(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &w)| {
            let base = (i * 64) as u32;
            let mut w = w;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let bit = w.trailing_zeros();
                    w &= w - 1;
                    base + bit
                })
            })
        })
    }

    fn bytes(&self) -> usize {
        self.words.len() * 8
    }
}

/// One bitset per value of each filter.
pub(crate) struct Facets {
    pub(crate) school_type: Vec<Bits>,
    pub(crate) form: Vec<Bits>,
    pub(crate) area: Vec<Bits>,
    pub(crate) licence: Vec<Bits>,
    pub(crate) level: Vec<Bits>,
    pub(crate) start_term: HashMap<u64, Bits>,
    pub(crate) pace: BTreeMap<u32, Bits>,
    n: usize,
}

/// The filter values of one offering, as the index stores them.
pub(crate) struct FacetValues {
    pub(crate) school_type: u64,
    pub(crate) form: u64,
    pub(crate) areas: Vec<u64>,
    pub(crate) licence: Option<u64>,
    pub(crate) level: Option<u64>,
    pub(crate) start_term: Option<u64>,
    pub(crate) pace: u32,
}

/// The filters of one query, as codes.
#[derive(Default)]
pub(crate) struct Filter {
    pub(crate) school_type: Option<u64>,
    pub(crate) form: Option<u64>,
    pub(crate) area: Option<u64>,
    pub(crate) licence: Option<u64>,
    pub(crate) level: Option<u64>,
    pub(crate) start_term: Option<u64>,
    pub(crate) min_pace: Option<u32>,
    pub(crate) max_pace: Option<u32>,
}

impl Facets {
    pub(crate) fn build(values: impl ExactSizeIterator<Item = FacetValues>) -> Facets {
        let n = values.len();
        let mut f = Facets {
            school_type: Vec::new(),
            form: Vec::new(),
            area: Vec::new(),
            licence: Vec::new(),
            level: Vec::new(),
            start_term: HashMap::new(),
            pace: BTreeMap::new(),
            n,
        };
        let slot = |v: &mut Vec<Bits>, code: u64| -> usize {
            let i = code as usize;
            while v.len() <= i {
                v.push(Bits::empty(n));
            }
            i
        };
        for (ord, v) in values.enumerate() {
            let ord = ord as u32;
            let i = slot(&mut f.school_type, v.school_type);
            f.school_type[i].insert(ord);
            let i = slot(&mut f.form, v.form);
            f.form[i].insert(ord);
            for a in v.areas {
                let i = slot(&mut f.area, a);
                f.area[i].insert(ord);
            }
            if let Some(l) = v.licence {
                let i = slot(&mut f.licence, l);
                f.licence[i].insert(ord);
            }
            if let Some(l) = v.level {
                let i = slot(&mut f.level, l);
                f.level[i].insert(ord);
            }
            if let Some(t) = v.start_term {
                f.start_term.entry(t).or_insert_with(|| Bits::empty(n)).insert(ord);
            }
            f.pace.entry(v.pace).or_insert_with(|| Bits::empty(n)).insert(ord);
        }
        f
    }

    /// The offerings that pass every filter of `q`; `None` when `q` has no filter.
    pub(crate) fn select(&self, q: &Filter) -> Option<Bits> {
        let empty = Bits::empty(self.n);
        let mut acc: Option<Bits> = None;
        let mut and = |b: &Bits| match &mut acc {
            None => acc = Some(b.clone()),
            Some(a) => a.and_with(b),
        };
        fn by_code<'a>(v: &'a [Bits], code: u64, empty: &'a Bits) -> &'a Bits {
            v.get(code as usize).unwrap_or(empty)
        }
        if let Some(c) = q.school_type {
            and(by_code(&self.school_type, c, &empty));
        }
        if let Some(c) = q.form {
            and(by_code(&self.form, c, &empty));
        }
        if let Some(c) = q.area {
            and(by_code(&self.area, c, &empty));
        }
        if let Some(c) = q.licence {
            and(by_code(&self.licence, c, &empty));
        }
        if let Some(c) = q.level {
            and(by_code(&self.level, c, &empty));
        }
        if let Some(t) = q.start_term {
            and(self.start_term.get(&t).unwrap_or(&empty));
        }
        if q.min_pace.is_some() || q.max_pace.is_some() {
            let mut pace = Bits::empty(self.n);
            let lo = q.min_pace.map_or(Bound::Unbounded, Bound::Included);
            let hi = q.max_pace.map_or(Bound::Unbounded, Bound::Included);
            // BTreeMap::range panics on an empty range given backwards; that range is empty.
            if q.min_pace.zip(q.max_pace).is_none_or(|(lo, hi)| lo <= hi) {
                for b in self.pace.range((lo, hi)).map(|(_, b)| b) {
                    pace.or_with(b);
                }
            }
            and(&pace);
        }
        acc
    }
}

/// The offerings one query word matches, with the word's score.
pub(crate) struct WordHits {
    /// Matching ords, ascending.
    pub(crate) ords: Vec<u32>,
    /// The word's score for each of `ords`.
    pub(crate) scores: Vec<f32>,
    pub(crate) bits: Bits,
    /// Positions in `ords` by relevance (score descending, then id), sorted the second time
    /// the word is searched for: a first search selects its page with a heap instead, so a
    /// word searched for once costs no sort.
    by_relevance: OnceLock<Vec<u32>>,
    /// Searches that used this word.
    uses: AtomicU32,
}

impl WordHits {
    /// From (ord, score) pairs in any order, each ord at most once.
    pub(crate) fn new(mut hits: Vec<(u32, f32)>, n: usize) -> WordHits {
        hits.sort_unstable_by_key(|h| h.0);
        let mut bits = Bits::empty(n);
        for &(ord, _) in &hits {
            bits.insert(ord);
        }
        let (ords, scores) = hits.into_iter().unzip();
        WordHits {
            ords,
            scores,
            bits,
            by_relevance: OnceLock::new(),
            uses: AtomicU32::new(0),
        }
    }

    /// Count a search that uses this word; true from its second search on.
    pub(crate) fn used_before(&self) -> bool {
        self.uses.fetch_add(1, Ordering::Relaxed) > 0
    }

    /// Positions in `ords` by relevance: score descending, then id.
    pub(crate) fn by_relevance(&self, id_rank: &[u32]) -> &[u32] {
        self.by_relevance.get_or_init(|| {
            let mut keys: Vec<(u64, u32)> = self
                .ords
                .iter()
                .zip(&self.scores)
                .enumerate()
                .map(|(i, (&ord, &score))| (score_key(score, id_rank[ord as usize]), i as u32))
                .collect();
            keys.sort_unstable();
            keys.into_iter().map(|(_, i)| i).collect()
        })
    }

    pub(crate) fn len(&self) -> usize {
        self.ords.len()
    }

    fn bytes(&self) -> usize {
        // ords, scores and (once sorted) the relevance order: 4 bytes each per match.
        self.ords.len() * 12 + self.bits.bytes() + 64
    }

    /// The score of `ord`, searching forward from `*from` (ords are visited ascending), or
    /// `None` when the word does not match it.
    #[inline]
    pub(crate) fn score_from(&self, from: &mut usize, ord: u32) -> Option<f32> {
        let rest = &self.ords[*from..];
        // Gallop: cheap when the next match is near, logarithmic when it is far.
        let mut step = 1;
        while step < rest.len() && rest[step - 1] < ord {
            step *= 2;
        }
        let window = &rest[..step.min(rest.len())];
        let i = *from + window.partition_point(|&o| o < ord);
        *from = i;
        (self.ords.get(i) == Some(&ord)).then(|| self.scores[i])
    }
}

/// The relevance key: score descending (a non-negative f32's bits order like the float,
/// inverted), then id rank. Unique per offering, so the order is total.
#[inline]
pub(crate) fn score_key(score: f32, id_rank: u32) -> u64 {
    (u64::from(!(if score > 0.0 { score } else { 0.0 }).to_bits()) << 32) | u64::from(id_rank)
}

/// The score a relevance key was made from.
pub(crate) fn key_score(key: u64) -> f32 {
    f32::from_bits(!((key >> 32) as u32))
}

/// The travel key: burden ascending (unknown last), then title rank.
#[inline]
pub(crate) fn travel_key(burden: Option<i64>, title_rank: u32) -> u64 {
    let b = burden.map_or(u64::from(u32::MAX), |b| b.clamp(0, i64::from(u32::MAX) - 1) as u64);
    (b << 32) | u64::from(title_rank)
}

/// Word matches kept for reuse while the catalogue lives: least recently used out when the
/// total exceeds the byte budget.
pub(crate) struct WordMemo {
    inner: Mutex<MemoInner>,
    budget: usize,
}

#[derive(Default)]
struct MemoInner {
    map: HashMap<String, (Arc<WordHits>, u64)>,
    tick: u64,
    bytes: usize,
}

impl WordMemo {
    pub(crate) fn new(budget: usize) -> WordMemo {
        WordMemo {
            inner: Mutex::new(MemoInner::default()),
            budget,
        }
    }

    /// The kept matches for `key`, or `make`'s (kept for next time).
    pub(crate) fn get_or<E>(&self, key: &str, make: impl FnOnce() -> Result<WordHits, E>) -> Result<Arc<WordHits>, E> {
        {
            let mut m = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            m.tick += 1;
            let tick = m.tick;
            if let Some((hits, used)) = m.map.get_mut(key) {
                *used = tick;
                return Ok(hits.clone());
            }
        }
        // Made outside the lock: two threads may make the same word at once; both results
        // are equal and the second insert replaces the first.
        let hits = Arc::new(make()?);
        let mut m = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        m.tick += 1;
        let tick = m.tick;
        m.bytes += hits.bytes();
        if let Some((old, _)) = m.map.insert(key.to_string(), (hits.clone(), tick)) {
            m.bytes -= old.bytes();
        }
        while m.bytes > self.budget && m.map.len() > 1 {
            let Some(oldest) = m
                .map
                .iter()
                .filter(|(k, _)| k.as_str() != key)
                .min_by_key(|(_, v)| v.1)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some((old, _)) = m.map.remove(&oldest) {
                m.bytes -= old.bytes();
            }
        }
        Ok(hits)
    }

    pub(crate) fn clear(&self) {
        let mut m = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        m.map.clear();
        m.bytes = 0;
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.inner.lock().unwrap().map.len()
    }
}

/// Offerings grouped by meeting place and meetings per term: every offering of a group has
/// the same travel burden from any home.
pub(crate) struct Groups {
    /// Per ord: its group.
    pub(crate) of: Vec<u32>,
    pub(crate) list: Vec<Group>,
}

pub(crate) struct Group {
    /// Index into the catalogue's meeting places, or `None` without a meeting place.
    pub(crate) place: Option<u16>,
    pub(crate) per_term: u32,
    /// The group's ords in title order (title rank ascending).
    pub(crate) by_title: Vec<u32>,
}

impl Group {
    /// The travel burden per term from the home whose one-way minutes to each meeting place
    /// are `minutes` (as `kkig_core::catalogue::reach` computes it).
    #[inline]
    pub(crate) fn burden(&self, minutes: &[Option<i64>]) -> Option<i64> {
        match self.place {
            None => Some(0),
            Some(p) => minutes[p as usize].map(|m| i64::from(self.per_term).saturating_mul(2).saturating_mul(m)),
        }
    }
}

impl Groups {
    pub(crate) fn build(place: &[Option<u16>], per_term: &[u32], title_rank: &[u32]) -> Groups {
        let mut index: HashMap<(Option<u16>, u32), u32> = HashMap::new();
        let mut list: Vec<Group> = Vec::new();
        let mut of = Vec::with_capacity(place.len());
        for (ord, (&p, &m)) in place.iter().zip(per_term).enumerate() {
            let g = *index.entry((p, m)).or_insert_with(|| {
                list.push(Group {
                    place: p,
                    per_term: m,
                    by_title: Vec::new(),
                });
                (list.len() - 1) as u32
            });
            list[g as usize].by_title.push(ord as u32);
            of.push(g);
        }
        for g in &mut list {
            g.by_title.sort_unstable_by_key(|&o| title_rank[o as usize]);
        }
        Groups { of, list }
    }

    /// Restrict `cand` (None = every offering) to the offerings whose group `ok` says yes,
    /// visiting whichever is fewest: the candidates, the members of the groups that pass, or
    /// the members of those that do not.
    pub(crate) fn restrict(&self, cand: Option<Bits>, n: usize, ok: &[bool]) -> Bits {
        let out: usize = self
            .list
            .iter()
            .zip(ok)
            .filter(|(_, ok)| !**ok)
            .map(|(g, _)| g.by_title.len())
            .sum();
        let inside = n - out;
        let cand_size = cand.as_ref().map_or(n, Bits::count);
        let mut c = cand.unwrap_or_else(|| Bits::full(n));
        if out <= inside && out <= cand_size {
            for g in self.list.iter().zip(ok).filter(|(_, ok)| !**ok).map(|(g, _)| g) {
                g.by_title.iter().for_each(|&o| c.remove(o));
            }
            c
        } else if inside <= cand_size {
            let mut kept = Bits::empty(n);
            for g in self.list.iter().zip(ok).filter(|(_, ok)| **ok).map(|(g, _)| g) {
                g.by_title
                    .iter()
                    .filter(|&&o| c.contains(o))
                    .for_each(|&o| kept.insert(o));
            }
            kept
        } else {
            let mut kept = Bits::empty(n);
            c.ones()
                .filter(|&o| ok[self.of[o as usize] as usize])
                .for_each(|o| kept.insert(o));
            kept
        }
    }

    /// The burden of every group from one home.
    pub(crate) fn burdens(&self, minutes: &[Option<i64>]) -> Vec<Option<i64>> {
        self.list.iter().map(|g| g.burden(minutes)).collect()
    }

    /// The first `k` offerings that `accept` in travel order (burden ascending, unknown last,
    /// then title), as (travel key, ord), walking the groups from the lowest burden.
    pub(crate) fn first_by_travel(
        &self,
        burdens: &[Option<i64>],
        title_rank: &[u32],
        accept: impl Fn(u32) -> bool,
        k: usize,
    ) -> Vec<(u64, u32)> {
        let mut order: Vec<(u64, usize)> = burdens
            .iter()
            .enumerate()
            .map(|(g, &b)| (travel_key(b, 0), g))
            .collect();
        order.sort_unstable();
        let mut out = Vec::with_capacity(k);
        let mut i = 0;
        while i < order.len() && out.len() < k {
            let level = order[i].0;
            let j = i + order[i..].iter().take_while(|(key, _)| *key == level).count();
            if j - i == 1 {
                for &ord in &self.list[order[i].1].by_title {
                    if accept(ord) {
                        out.push((level | u64::from(title_rank[ord as usize]), ord));
                        if out.len() == k {
                            break;
                        }
                    }
                }
                i = j;
                continue;
            }
            // Several groups with the same burden: the first `want` accepted of the level are
            // among the first `want` accepted of each group (each is in title order).
            let want = k - out.len();
            let mut level_hits: Vec<(u32, u32)> = Vec::new();
            for &(_, g) in &order[i..j] {
                level_hits.extend(
                    self.list[g]
                        .by_title
                        .iter()
                        .filter(|&&o| accept(o))
                        .take(want)
                        .map(|&o| (title_rank[o as usize], o)),
                );
            }
            level_hits.sort_unstable();
            out.extend(
                level_hits
                    .into_iter()
                    .take(want)
                    .map(|(rank, o)| (level | u64::from(rank), o)),
            );
            i = j;
        }
        out
    }
}

/// Keeps the `k` smallest (key, ord) pairs offered.
pub(crate) struct TopK {
    k: usize,
    heap: BinaryHeap<(u64, u32)>,
}

impl TopK {
    pub(crate) fn new(k: usize) -> TopK {
        TopK {
            k,
            heap: BinaryHeap::with_capacity(k.min(4096) + 1),
        }
    }

    #[inline]
    pub(crate) fn offer(&mut self, key: u64, ord: u32) {
        if self.heap.len() < self.k {
            self.heap.push((key, ord));
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if key < worst.0 {
                *worst = (key, ord);
            }
        }
    }

    /// The kept pairs, in key order.
    pub(crate) fn into_sorted(self) -> Vec<(u64, u32)> {
        self.heap.into_sorted_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits(n: usize, members: &[u32]) -> Bits {
        let mut b = Bits::empty(n);
        for &m in members {
            b.insert(m);
        }
        b
    }

    #[test]
    fn bitset_operations() {
        let a = bits(130, &[0, 1, 63, 64, 129]);
        let b = bits(130, &[1, 64, 100]);
        assert_eq!(a.ones().collect::<Vec<_>>(), [0, 1, 63, 64, 129]);
        assert_eq!(a.count(), 5);
        let mut c = a.clone();
        c.and_with(&b);
        assert_eq!(c.ones().collect::<Vec<_>>(), [1, 64]);
        let mut d = a.clone();
        d.or_with(&b);
        assert_eq!(d.ones().collect::<Vec<_>>(), [0, 1, 63, 64, 100, 129]);
        assert!(d.contains(100) && !d.contains(99));
        d.remove(100);
        assert!(!d.contains(100));
        assert_eq!(Bits::full(130).count(), 130);
        assert_eq!(Bits::full(128).count(), 128);
        assert_eq!(Bits::full(130).ones().last(), Some(129));
        assert_eq!(Bits::empty(0).ones().count(), 0);
    }

    #[test]
    fn score_from_gallops_forward() {
        let hits = WordHits::new(vec![(9, 1.0), (2, 3.0), (5, 2.0), (40, 0.5)], 64);
        assert_eq!(hits.ords, [2, 5, 9, 40]);
        let mut at = 0;
        assert_eq!(hits.score_from(&mut at, 2), Some(3.0));
        assert_eq!(hits.score_from(&mut at, 3), None);
        assert_eq!(hits.score_from(&mut at, 9), Some(1.0));
        assert_eq!(hits.score_from(&mut at, 40), Some(0.5));
        assert_eq!(hits.score_from(&mut at, 41), None);
        // By relevance: 3.0 (ord 2), 2.0 (ord 5), 1.0 (ord 9), 0.5 (ord 40).
        let by: Vec<u32> = hits
            .by_relevance(&(0..64).collect::<Vec<_>>())
            .iter()
            .map(|&i| hits.ords[i as usize])
            .collect();
        assert_eq!(by, [2, 5, 9, 40]);
    }

    #[test]
    fn keys_order_like_the_values() {
        assert!(score_key(2.0, 9) < score_key(1.0, 0));
        assert!(score_key(1.0, 1) < score_key(1.0, 2));
        assert_eq!(key_score(score_key(12.5, 3)), 12.5);
        assert!(travel_key(Some(0), 5) < travel_key(Some(1), 0));
        assert!(travel_key(Some(i64::MAX), 0) < travel_key(None, 0));
    }

    #[test]
    fn memo_evicts_least_recently_used() {
        let make = |n: u32| move || Ok::<_, ()>(WordHits::new((0..n).map(|o| (o, 1.0)).collect(), 1024));
        // Each entry is 128 bytes of bitset + 12 per hit + 64.
        let memo = WordMemo::new(3 * (128 + 64 + 12 * 10));
        for w in ["a", "b", "c"] {
            memo.get_or(w, make(10)).unwrap();
        }
        assert_eq!(memo.len(), 3);
        memo.get_or("a", make(10)).unwrap(); // a is now the most recent
        memo.get_or("d", make(10)).unwrap(); // b goes
        assert_eq!(memo.len(), 3);
        let mut made = false;
        memo.get_or("b", || {
            made = true;
            make(10)()
        })
        .unwrap();
        assert!(made, "b was evicted");
        let mut made = false;
        memo.get_or("a", || {
            made = true;
            make(10)()
        })
        .unwrap();
        assert!(!made, "a was kept");
    }

    #[test]
    fn travel_walk_merges_equal_burdens_by_title() {
        // Ords 0..6; places: 0,1 at place 0 (1 meeting), 2,3 without a place, 4,5 at place 1.
        let place = [Some(0), Some(0), None, None, Some(1), Some(1)];
        let per_term = [1, 1, 0, 0, 1, 1];
        let title_rank = [5, 0, 3, 1, 4, 2];
        let g = Groups::build(&place, &per_term, &title_rank);
        // Place 0 is 0 minutes away (burden 0, like no place); place 1 unknown.
        let burdens = g.burdens(&[Some(0), None]);
        let all = bits(6, &[0, 1, 2, 3, 4, 5]);
        let got: Vec<u32> = g
            .first_by_travel(&burdens, &title_rank, |o| all.contains(o), 6)
            .into_iter()
            .map(|x| x.1)
            .collect();
        // Burden 0: ords 1 (rank 0), 3 (1), 2 (3), 0 (5); then unknown: 5 (2), 4 (4).
        assert_eq!(got, [1, 3, 2, 0, 5, 4]);
        let some = bits(6, &[0, 4, 5]);
        let got: Vec<u32> = g
            .first_by_travel(&burdens, &title_rank, |o| some.contains(o), 2)
            .into_iter()
            .map(|x| x.1)
            .collect();
        assert_eq!(got, [0, 5]);
    }

    #[test]
    fn restrict_visits_the_fewest_and_agrees() {
        let n = 300;
        let place: Vec<Option<u16>> = (0..n).map(|i| Some((i % 3) as u16)).collect();
        let per_term = vec![1; n];
        let title_rank: Vec<u32> = (0..n as u32).collect();
        let g = Groups::build(&place, &per_term, &title_rank);
        for ok in [
            [true, true, false],
            [true, false, false],
            [false, false, false],
            [true, true, true],
        ] {
            let cands = [None, Some(bits(n, &[0, 1, 2, 3, 4, 5, 200])), Some(Bits::full(n))];
            for cand in cands {
                let want: Vec<u32> = (0..n as u32)
                    .filter(|&o| cand.as_ref().is_none_or(|c| c.contains(o)) && ok[(o % 3) as usize])
                    .collect();
                let got: Vec<u32> = g.restrict(cand.clone(), n, &ok).ones().collect();
                assert_eq!(got, want, "ok {ok:?}");
            }
        }
    }

    #[test]
    fn filters_intersect_and_pace_ranges() {
        let values = (0..4u32).map(|i| FacetValues {
            school_type: u64::from(i % 2),
            form: 0,
            areas: if i == 3 { vec![1, 2] } else { vec![] },
            licence: [None, Some(0), Some(1), Some(0)][i as usize],
            level: [Some(0), Some(1), None, Some(0)][i as usize],
            start_term: (i < 2).then_some(4053),
            pace: [25, 50, 75, 100][i as usize],
        });
        let f = Facets::build(values);
        assert!(f.select(&Filter::default()).is_none());
        let sel = |q: Filter| f.select(&q).unwrap().ones().collect::<Vec<_>>();
        assert_eq!(
            sel(Filter {
                school_type: Some(1),
                ..Default::default()
            }),
            [1, 3]
        );
        assert_eq!(
            sel(Filter {
                area: Some(2),
                ..Default::default()
            }),
            [3]
        );
        assert_eq!(
            sel(Filter {
                area: Some(7),
                ..Default::default()
            }),
            Vec::<u32>::new()
        );
        assert_eq!(
            sel(Filter {
                licence: Some(0),
                ..Default::default()
            }),
            [1, 3]
        );
        assert_eq!(
            sel(Filter {
                licence: Some(0),
                level: Some(0),
                ..Default::default()
            }),
            [3]
        );
        assert_eq!(
            sel(Filter {
                start_term: Some(4053),
                school_type: Some(0),
                ..Default::default()
            }),
            [0]
        );
        assert_eq!(
            sel(Filter {
                min_pace: Some(50),
                ..Default::default()
            }),
            [1, 2, 3]
        );
        assert_eq!(
            sel(Filter {
                min_pace: Some(50),
                max_pace: Some(75),
                ..Default::default()
            }),
            [1, 2]
        );
        assert_eq!(
            sel(Filter {
                min_pace: Some(80),
                max_pace: Some(60),
                ..Default::default()
            }),
            Vec::<u32>::new()
        );
    }
}
