//! The known-failures list (tests/corpus/known-failures.txt): round trips that fail today,
//! one line each with the reason. A listed round trip that fails is reported as ignored with
//! its reason; one that passes is a failure, so the list can only shrink.
//!
//! A line: `CASE TRIP [pgN,pgM…] reason…` — TRIP is create, drop or modify; the versions,
//! when given, limit the line to those PostgreSQL major versions.

use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Known {
    pub versions: Option<Vec<u32>>,
    pub reason: String,
    pub line: usize,
}

pub type List = BTreeMap<(String, String), Vec<Known>>;

pub const TRIPS: [&str; 3] = ["create", "drop", "modify"];

pub fn parse(text: &str) -> Result<List, String> {
    let mut list = List::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let (Some(case), Some(trip)) = (words.next(), words.next()) else {
            return Err(format!("line {}: CASE TRIP reason expected: {raw}", i + 1));
        };
        if !TRIPS.contains(&trip) {
            return Err(format!(
                "line {}: unknown round trip '{trip}' (create, drop or modify)",
                i + 1
            ));
        }
        let rest: Vec<&str> = words.collect();
        let (versions, reason) = match rest.first() {
            Some(w) if w.starts_with("pg") => {
                let versions = w
                    .split(',')
                    .map(|v| v.strip_prefix("pg").and_then(|n| n.parse().ok()))
                    .collect::<Option<Vec<u32>>>()
                    .ok_or_else(|| format!("line {}: bad version list '{w}'", i + 1))?;
                (Some(versions), rest[1..].join(" "))
            }
            _ => (None, rest.join(" ")),
        };
        if reason.is_empty() {
            return Err(format!("line {}: a reason is needed: {raw}", i + 1));
        }
        list.entry((case.to_string(), trip.to_string()))
            .or_default()
            .push(Known {
                versions,
                reason,
                line: i + 1,
            });
    }
    Ok(list)
}

/// The entry for this round trip on this server version, if listed.
pub fn lookup<'a>(list: &'a List, case: &str, trip: &str, major: u32) -> Option<&'a Known> {
    list.get(&(case.to_string(), trip.to_string()))?
        .iter()
        .find(|k| k.versions.as_ref().is_none_or(|v| v.contains(&major)))
}
