//! The next version of a phase, following the project's own numbering: VRSS-style phase
//! blocks (phase N's versions are N×1000+1, N×1000+2, …), timestamps (YYYYMMDDHHMMSS), or
//! plain sequence numbers. The rule is read from the versions already there.

use serde::Serialize;

/// How a project numbers its migrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Numbering {
    /// Every version of phase N lies in N×1000+1 ..= N×1000+999 (also the rule of a project
    /// with no migrations yet).
    PhaseBlocks,
    /// Versions are UTC timestamps, YYYYMMDDHHMMSS (any version of 14 digits).
    Timestamp,
    /// Anything else: one more than the last version of the phase or the phases before it.
    Sequence,
}

const TIMESTAMP_MIN: i64 = 10_000_000_000_000; // 14 digits

/// The next version for `phase` (1-based; may be one past the last phase, for a new one),
/// given the existing `(version, phase, path)` triples, or why there is none: the version is
/// taken, or it would break phase order (versions increase with phase order).
pub fn next_version(
    existing: &[(i64, u32, String)],
    phase: u32,
    now: chrono::NaiveDateTime,
) -> Result<(i64, Numbering), String> {
    let numbering = if existing.iter().any(|(v, _, _)| *v >= TIMESTAMP_MIN) {
        Numbering::Timestamp
    } else if existing
        .iter()
        .all(|(v, p, _)| *v / 1000 == i64::from(*p) && *v % 1000 != 0)
    {
        Numbering::PhaseBlocks
    } else {
        Numbering::Sequence
    };
    let last_up_to = existing
        .iter()
        .filter(|(_, p, _)| *p <= phase)
        .map(|(v, _, _)| *v)
        .max();
    let version = match numbering {
        Numbering::PhaseBlocks => {
            let last_in_phase = existing
                .iter()
                .filter(|(_, p, _)| *p == phase)
                .map(|(v, _, _)| *v)
                .max();
            let next = last_in_phase.map_or(i64::from(phase) * 1000 + 1, |v| v + 1);
            if next % 1000 == 0 {
                return Err(format!(
                    "phase {phase} is full: its versions are {}..={} (phase × 1000 + 1 to 999)",
                    i64::from(phase) * 1000 + 1,
                    i64::from(phase) * 1000 + 999
                ));
            }
            next
        }
        Numbering::Timestamp => {
            let stamp: i64 = now
                .format("%Y%m%d%H%M%S")
                .to_string()
                .parse()
                .map_err(|_| "the clock gives no usable timestamp".to_string())?;
            stamp.max(last_up_to.map_or(0, |v| v + 1))
        }
        Numbering::Sequence => last_up_to.map_or(1, |v| v + 1),
    };
    if let Some((v, _, path)) = existing
        .iter()
        .filter(|(v, p, _)| *p > phase && *v <= version)
        .min_by_key(|(v, _, _)| *v)
    {
        let taken = if *v == version { " (taken)" } else { "" };
        return Err(format!(
            "version {version} for phase {phase} would not be below {v}{taken} ({path}) of a later phase: versions increase with phase order"
        ));
    }
    if let Some((_, _, path)) = existing.iter().find(|(v, _, _)| *v == version) {
        return Err(format!(
            "version {version} is taken by {path}; numbering collision refused"
        ));
    }
    Ok((version, numbering))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 4)
            .and_then(|d| d.and_hms_opt(13, 5, 9))
            .expect("a date")
    }

    fn set(list: &[(i64, u32)]) -> Vec<(i64, u32, String)> {
        list.iter().map(|&(v, p)| (v, p, format!("m{v}"))).collect()
    }

    #[test]
    fn phase_blocks_continue_the_phase() {
        let s = set(&[(1001, 1), (1002, 1), (4006, 4), (4007, 4)]);
        assert_eq!(
            next_version(&s, 4, now()),
            Ok((4008, Numbering::PhaseBlocks))
        );
        assert_eq!(
            next_version(&s, 2, now()),
            Ok((2001, Numbering::PhaseBlocks))
        );
        assert_eq!(
            next_version(&[], 1, now()),
            Ok((1001, Numbering::PhaseBlocks))
        );
        let full = set(&[(1999, 1)]);
        assert!(next_version(&full, 1, now()).unwrap_err().contains("full"));
    }

    #[test]
    fn timestamps_follow_the_clock_and_never_go_back() {
        let s = set(&[(20240101000000, 1)]);
        assert_eq!(
            next_version(&s, 1, now()),
            Ok((20261204130509, Numbering::Timestamp))
        );
        let future = set(&[(20300101000000, 1)]);
        assert_eq!(
            next_version(&future, 1, now()),
            Ok((20300101000001, Numbering::Timestamp))
        );
    }

    #[test]
    fn sequences_and_collisions() {
        let s = set(&[(1, 1), (2, 1), (3, 2)]);
        assert_eq!(next_version(&s, 2, now()), Ok((4, Numbering::Sequence)));
        let err = next_version(&s, 1, now()).unwrap_err();
        assert!(err.contains("below 3 (taken) (m3)"), "{err}");
        let gap = set(&[(1, 1), (5, 2)]);
        assert_eq!(next_version(&gap, 1, now()), Ok((2, Numbering::Sequence)));
        let s = set(&[(1, 1), (2, 2)]);
        let later = set(&[(20240101000000, 1), (20250101000000, 2)]);
        assert!(next_version(&later, 1, now())
            .unwrap_err()
            .contains("later phase"));
        assert!(next_version(&s, 1, now()).unwrap_err().contains("(taken)"));
    }
}
