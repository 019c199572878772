//! An independent proof that an allocation is optimal.
//!
//! Written apart from the solver and the graph builder: it reads the raw [`Instance`], finds
//! every allowed (student, site) pair by brute force over all sites (so it also checks that the
//! spatial pruning dropped nothing), and computes costs with its own copy of the formula.
//!
//! With site prices `p_j`, let `u_i = min(U, min over allowed sites j of cost(i,j) + p_j)` for
//! every student that is not locked. The allocation is optimal if (linear-programming duality,
//! complementary slackness):
//!
//! 1. it is feasible: locks kept, only allowed pairs, no site over capacity;
//! 2. `p_j ≥ 0`, and `p_j = 0` for every site with a place left;
//! 3. a placed student's site attains `u_i` (`cost(i,j) + p_j = u_i`); an unplaced student has
//!    `u_i = U`;
//! 4. then the dual objective `Σ u_i − Σ free_capacity_j · p_j` (plus the locked students'
//!    fixed costs) equals the primal objective — checked too, as arithmetic.
//!
//! Sites whose capacity is used up by locks take no one else, and their prices do not matter.

use std::collections::HashMap;

use super::Instance;
use crate::geo::Position;

/// Check that `site_of` (per student, site index or `None`) with `prices` (per site) is an
/// optimal allocation of `inst` with objective `objective`. The error says what failed.
pub fn check(inst: &Instance, site_of: &[Option<u32>], prices: &[i64], objective: i64) -> Result<(), String> {
    let r = &inst.rules;
    let model = r.travel_model();
    let (n, m) = (inst.students.len(), inst.sites.len());
    if site_of.len() != n || prices.len() != m {
        return Err("wrong lengths".into());
    }
    let ids: HashMap<&str, usize> = inst.sites.iter().enumerate().map(|(j, s)| (s.id.as_str(), j)).collect();
    let mut locked_here = vec![0i64; m];
    let mut placed_here = vec![0i64; m];
    let mut locked: Vec<Option<usize>> = Vec::with_capacity(n);
    for (i, s) in inst.students.iter().enumerate() {
        let l = s.locked_site.as_ref().map(|id| ids[id.as_str()]);
        if let Some(j) = l {
            locked_here[j] += 1;
            if site_of[i] != Some(j as u32) {
                return Err(format!("student {} is not at its locked site", s.id));
            }
        } else if let Some(j) = site_of[i] {
            placed_here[j as usize] += 1;
        }
        locked.push(l);
    }
    let free: Vec<i64> = (0..m).map(|j| inst.sites[j].capacity - locked_here[j]).collect();
    for j in 0..m {
        if free[j] < 0 || placed_here[j] > free[j] {
            return Err(format!("site {} over capacity", inst.sites[j].id));
        }
        if free[j] > 0 {
            if prices[j] < 0 {
                return Err(format!("site {} has a negative price", inst.sites[j].id));
            }
            if placed_here[j] < free[j] && prices[j] != 0 {
                return Err(format!(
                    "site {} has a place left but price {}",
                    inst.sites[j].id, prices[j]
                ));
            }
        }
    }
    let cost = |i: usize, j: usize| -> (i64, i64) {
        let (st, si) = (&inst.students[i], &inst.sites[j]);
        let t = model.minutes(
            Position {
                lat: st.lat,
                lon: st.lon,
            },
            Position {
                lat: si.lat,
                lon: si.lon,
            },
        );
        let mut c = t;
        if st.municipality.is_some() && st.municipality == si.municipality {
            c -= r.home_municipality_bonus;
        }
        if let Some(prefs) = &st.preferences {
            for (k, p) in prefs.iter().enumerate() {
                if *p == si.id && k < r.preference_bonus.len() {
                    c -= r.preference_bonus[k];
                }
            }
        }
        if st.current_site.as_ref().is_some_and(|cur| *cur != si.id) {
            c += r.move_penalty;
        }
        (t, c)
    };
    let mut primal = 0i64;
    let mut dual = 0i64;
    for i in 0..n {
        if let Some(j) = locked[i] {
            let c = cost(i, j).1;
            primal += c;
            dual += c;
            continue;
        }
        let st = &inst.students[i];
        let mut u = r.unplaced_penalty;
        let mut own: Option<i64> = None;
        for j in 0..m {
            if free[j] <= 0 || inst.sites[j].field != st.field {
                continue;
            }
            let (t, c) = cost(i, j);
            if t > r.max_travel_minutes {
                continue;
            }
            u = u.min(c + prices[j]);
            if site_of[i] == Some(j as u32) {
                own = Some(c);
            }
        }
        match (site_of[i], own) {
            (Some(j), None) => {
                return Err(format!(
                    "student {} is at a site it may not be placed at ({})",
                    st.id, inst.sites[j as usize].id
                ))
            }
            (Some(j), Some(c)) => {
                if c + prices[j as usize] != u {
                    return Err(format!(
                        "student {} at {} pays {} + {} but could have {u}",
                        st.id, inst.sites[j as usize].id, c, prices[j as usize]
                    ));
                }
                primal += c;
            }
            (None, _) => {
                if u != r.unplaced_penalty {
                    return Err(format!(
                        "student {} is unplaced but a site costs {u} < {}",
                        st.id, r.unplaced_penalty
                    ));
                }
                primal += r.unplaced_penalty;
            }
        }
        dual += u;
    }
    for j in 0..m {
        if free[j] > 0 {
            dual -= free[j] * prices[j];
        }
    }
    if primal != objective {
        return Err(format!("objective {objective} but the assignment costs {primal}"));
    }
    if dual != primal {
        return Err(format!("dual objective {dual} differs from primal {primal}"));
    }
    Ok(())
}
