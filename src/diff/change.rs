//! The change set: what differs between the expected and the live schema, object by
//! object — added (expected only: the script creates it), dropped (live only: the script
//! drops it) or altered (in both, with the fields that differ and both values). One walk
//! of the two models makes it ([`super::compare::changes`]); the report's differences and
//! the script's statements are both read from it, each statement naming the differences
//! it repairs. `generate` and `lint` read the same type.

use std::ops::Range;

use serde::Serialize;

/// What kind of object a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Schema,
    Extension,
    Type,
    Collation,
    Sequence,
    Table,
    ForeignTable,
    Column,
    Constraint,
    Index,
    Trigger,
    Rule,
    Policy,
    Function,
    Aggregate,
    Operator,
    OperatorFamily,
    OperatorClass,
    Cast,
    TextSearchParser,
    TextSearchTemplate,
    TextSearchDictionary,
    TextSearchConfiguration,
    ForeignDataWrapper,
    ForeignServer,
    UserMapping,
    Publication,
    EventTrigger,
    Statistics,
    AccessMethod,
    Conversion,
    ExtensionMember,
    DefaultPrivileges,
    View,
    MaterializedView,
}

impl ObjectKind {
    pub fn as_str(self) -> &'static str {
        use ObjectKind as K;
        match self {
            K::Schema => "schema",
            K::Extension => "extension",
            K::Type => "type",
            K::Collation => "collation",
            K::Sequence => "sequence",
            K::Table => "table",
            K::ForeignTable => "foreign_table",
            K::Column => "column",
            K::Constraint => "constraint",
            K::Index => "index",
            K::Trigger => "trigger",
            K::Rule => "rule",
            K::Policy => "policy",
            K::Function => "function",
            K::Aggregate => "aggregate",
            K::Operator => "operator",
            K::OperatorFamily => "operator_family",
            K::OperatorClass => "operator_class",
            K::Cast => "cast",
            K::TextSearchParser => "text_search_parser",
            K::TextSearchTemplate => "text_search_template",
            K::TextSearchDictionary => "text_search_dictionary",
            K::TextSearchConfiguration => "text_search_configuration",
            K::ForeignDataWrapper => "foreign_data_wrapper",
            K::ForeignServer => "server",
            K::UserMapping => "user_mapping",
            K::Publication => "publication",
            K::EventTrigger => "event_trigger",
            K::Statistics => "statistics",
            K::AccessMethod => "access_method",
            K::Conversion => "conversion",
            K::ExtensionMember => "extension_member",
            K::DefaultPrivileges => "default_privileges",
            K::View => "view",
            K::MaterializedView => "materialized_view",
        }
    }

    /// The words a report uses for it (`materialized view`).
    pub fn words(self) -> String {
        self.as_str().replace('_', " ")
    }
}

/// How an object differs, as the script sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Expected only: created.
    Added,
    /// Live only: dropped.
    Dropped,
    /// In both, with fields that differ.
    Altered,
}

/// One field that differs, with both values as text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub expected: String,
    pub live: String,
}

/// One object that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectChange {
    pub kind: ObjectKind,
    /// Qualified name (`public.users.email` for a column).
    pub name: String,
    /// The table or view a column, constraint, index, trigger, rule or policy belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The group the report shows it under (`table public.users`).
    pub object: String,
    pub change: ChangeKind,
    /// For added and dropped objects: their definition or a summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// For altered objects: what differs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
}

impl ObjectChange {
    /// The field named `field`, if it differs.
    pub fn field(&self, field: &str) -> Option<&FieldChange> {
        self.fields.iter().find(|f| f.field == field)
    }

    pub fn has(&self, field: &str) -> bool {
        self.field(field).is_some()
    }
}

/// Every change, in the order of the walk; each one is one or more numbered differences.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChangeSet {
    pub changes: Vec<ObjectChange>,
    /// Where each change's differences start in [`ChangeSet::differences`].
    #[serde(skip)]
    starts: Vec<usize>,
}

impl ChangeSet {
    pub(crate) fn new(changes: Vec<ObjectChange>) -> ChangeSet {
        let mut starts = Vec::with_capacity(changes.len());
        let mut n = 0;
        for c in &changes {
            starts.push(n);
            n += c.fields.len().max(1);
        }
        ChangeSet { changes, starts }
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The numbers of the differences change `index` is made of.
    pub fn ids(&self, index: usize) -> Range<usize> {
        let start = self.starts[index];
        start..start + self.changes[index].fields.len().max(1)
    }

    /// The number of the difference of `field` in change `index` (of the change itself
    /// when it is added or dropped).
    pub fn id(&self, index: usize, field: &str) -> Option<usize> {
        let c = &self.changes[index];
        if c.change != ChangeKind::Altered {
            return Some(self.starts[index]);
        }
        c.fields
            .iter()
            .position(|f| f.field == field)
            .map(|p| self.starts[index] + p)
    }

    /// How many differences there are.
    pub fn len(&self) -> usize {
        self.starts
            .last()
            .map(|s| s + self.changes.last().map_or(1, |c| c.fields.len().max(1)))
            .unwrap_or(0)
    }

    /// The differences as the report lists them, numbered as statements name them.
    pub fn differences(&self) -> Vec<Difference> {
        let mut out = Vec::with_capacity(self.len());
        for c in &self.changes {
            match c.change {
                ChangeKind::Added | ChangeKind::Dropped => {
                    let (change, expected, live) = if c.change == ChangeKind::Added {
                        (Change::Missing, c.definition.clone(), None)
                    } else {
                        (Change::Extra, None, c.definition.clone())
                    };
                    out.push(Difference {
                        object: c.object.clone(),
                        kind: c.kind,
                        name: c.name.clone(),
                        change,
                        field: None,
                        expected,
                        live,
                        diff: None,
                    });
                }
                ChangeKind::Altered => {
                    for f in &c.fields {
                        out.push(Difference {
                            object: c.object.clone(),
                            kind: c.kind,
                            name: c.name.clone(),
                            change: Change::Changed,
                            field: Some(f.field.clone()),
                            diff: long(&f.expected, &f.live),
                            expected: Some(f.expected.clone()),
                            live: Some(f.live.clone()),
                        });
                    }
                }
            }
        }
        out
    }
}

/// How an object differs, as the report says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Made by the migrations (expected), not in the live database.
    Missing,
    /// In the live database only.
    Extra,
    /// In both, with a different value of `field`.
    Changed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Missing => "missing",
            Change::Extra => "extra",
            Change::Changed => "changed",
        }
    }
}

/// One difference between the expected and the live schema.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    /// The top-level object it belongs to, e.g. `table public.users` (for a column,
    /// constraint, index, trigger, rule or policy: its table or view).
    pub object: String,
    pub kind: ObjectKind,
    /// Qualified name of the object that differs (`public.users.email` for a column).
    pub name: String,
    pub change: Change,
    /// For `changed`: which property differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The expected value (the definition, for `missing`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// The live value (the definition, for `extra`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<String>,
    /// For long text (view and function bodies): a unified diff, expected to live.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// Counts by change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub missing: usize,
    pub extra: usize,
    pub changed: usize,
    pub total: usize,
}

pub fn count(differences: &[Difference]) -> Counts {
    let mut c = Counts::default();
    for d in differences {
        match d.change {
            Change::Missing => c.missing += 1,
            Change::Extra => c.extra += 1,
            Change::Changed => c.changed += 1,
        }
        c.total += 1;
    }
    c
}

/// Text longer than this, or on several lines, gets a unified diff.
const LONG_TEXT: usize = 80;

fn with_newline(s: &str) -> String {
    if s.ends_with('\n') {
        s.to_string()
    } else {
        format!("{s}\n")
    }
}

/// A unified diff, expected to live, of long or multi-line values.
fn long(e: &str, l: &str) -> Option<String> {
    (e.len() > LONG_TEXT || l.len() > LONG_TEXT || e.contains('\n') || l.contains('\n')).then(
        || {
            similar::TextDiff::from_lines(&with_newline(e), &with_newline(l))
                .unified_diff()
                .context_radius(3)
                .header("expected", "live")
                .to_string()
        },
    )
}
