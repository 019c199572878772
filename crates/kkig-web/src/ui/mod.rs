//! What every HTML page shares, whichever capability it belongs to: the layout and rendering
//! ([`page`]), the languages ([`i18n`]), field errors in the page's language, the region's maps
//! drawn from municipal borders ([`map`]), the region
//! [`overview`] of read-mostly facts (the layout's demo notice, the region's pages and API, the
//! catalogue), and the memory of public pages computed from many rows ([`public_cache`]).

pub mod become_form;
pub mod field_errors;
pub mod form;
pub mod i18n;
pub mod map;
pub mod overview;
pub mod page;
pub mod public_cache;
