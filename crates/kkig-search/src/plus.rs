//! `PlusQuery`: the inner query's matches and scores, plus a constant. Used to lift an exact
//! match into its tier while keeping its BM25 score for the order within the tier.

use std::fmt;

use std::sync::Arc;

use tantivy::postings::TermInfo;
use tantivy::query::{
    BitSetDocSet, ConstScorer, DfaWrapper, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, InvertedIndexReader};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, Term, COLLECT_BLOCK_BUFFER_LEN};

pub(crate) struct PlusQuery {
    inner: Box<dyn Query>,
    add: Score,
}

impl PlusQuery {
    pub(crate) fn new(inner: Box<dyn Query>, add: Score) -> PlusQuery {
        PlusQuery { inner, add }
    }
}

impl Clone for PlusQuery {
    fn clone(&self) -> Self {
        PlusQuery {
            inner: self.inner.box_clone(),
            add: self.add,
        }
    }
}

impl fmt::Debug for PlusQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Plus({}, {:?})", self.add, self.inner)
    }
}

impl Query for PlusQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let scoring = enable_scoring.is_scoring_enabled();
        let inner = self.inner.weight(enable_scoring)?;
        Ok(if scoring {
            Box::new(PlusWeight { inner, add: self.add })
        } else {
            inner
        })
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct PlusWeight {
    inner: Box<dyn Weight>,
    add: Score,
}

impl Weight for PlusWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(PlusScorer {
            inner: self.inner.scorer(reader, boost)?,
            add: boost * self.add,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let mut e = Explanation::new("Plus", inner.value() + self.add);
        e.add_const("tier", self.add);
        e.add_detail(inner);
        Ok(e)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }
}

struct PlusScorer {
    inner: Box<dyn Scorer>,
    add: Score,
}

impl DocSet for PlusScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        self.inner.seek_danger(target)
    }

    fn fill_buffer(&mut self, buffer: &mut [DocId; COLLECT_BLOCK_BUFFER_LEN]) -> usize {
        self.inner.fill_buffer(buffer)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for PlusScorer {
    fn score(&mut self) -> Score {
        self.inner.score() + self.add
    }
}

/// Which terms a [`SetQuery`] takes.
#[derive(Clone)]
pub(crate) enum Terms {
    /// Every term the automaton accepts (one edit from a query word).
    Dfa(Arc<DfaWrapper>),
    /// These terms (compound parts found in the title vocabulary), sorted.
    List(Arc<[String]>),
}

/// The documents with any of a set of terms in any of several fields, at a constant score,
/// gathered into one bitset per segment (one cheap scorer however many terms match).
///
/// For the fuzzy tier the query word's own stem is skipped: the exact tier already has those
/// documents, and skipping it leaves nothing to do when no other term is near (the common case
/// for a correctly spelled word).
#[derive(Clone)]
pub(crate) struct SetQuery {
    fields: Vec<Field>,
    terms: Terms,
    skip: String,
    score: Score,
}

impl SetQuery {
    pub(crate) fn new(fields: Vec<Field>, terms: Terms, skip: &str, score: Score) -> SetQuery {
        SetQuery {
            fields,
            terms,
            skip: skip.to_string(),
            score,
        }
    }
}

impl fmt::Debug for SetQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.terms {
            Terms::Dfa(_) => "one edit".to_string(),
            Terms::List(l) => format!("{l:?}"),
        };
        write!(
            f,
            "Set({kind}, skip {:?}, in {:?}, {})",
            self.skip, self.fields, self.score
        )
    }
}

impl Query for SetQuery {
    fn weight(&self, _enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

fn add_postings(inverted: &InvertedIndexReader, info: &TermInfo, docs: &mut BitSet) -> tantivy::Result<()> {
    let mut postings = inverted.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
    loop {
        let block = postings.docs();
        if block.is_empty() {
            return Ok(());
        }
        for &doc in block {
            docs.insert(doc);
        }
        postings.advance();
    }
}

impl Weight for SetQuery {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut docs = BitSet::with_max_value(reader.max_doc());
        let mut any = false;
        for &field in &self.fields {
            let inverted = reader.inverted_index(field)?;
            match &self.terms {
                Terms::Dfa(dfa) => {
                    let mut terms = inverted.terms().search(dfa.as_ref()).into_stream()?;
                    while terms.advance() {
                        if terms.key() != self.skip.as_bytes() {
                            add_postings(&inverted, terms.value(), &mut docs)?;
                            any = true;
                        }
                    }
                }
                Terms::List(list) => {
                    for t in list.iter() {
                        if let Some(info) = inverted.terms().get(t.as_bytes())? {
                            add_postings(&inverted, &info, &mut docs)?;
                            any = true;
                        }
                    }
                }
            }
        }
        if !any {
            return Ok(Box::new(EmptyScorer));
        }
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(docs), boost * self.score)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() <= doc && scorer.seek(doc) == doc {
            Ok(Explanation::new("Set", self.score))
        } else {
            Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )))
        }
    }
}
