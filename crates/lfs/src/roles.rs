//! The input variables the engine understands (ILO harmonised microdata names), and the
//! optional mapping file that renames and recodes other datasets' columns into them.
//! Nothing here reads data: readers use [`ColumnPlan`] to know what to look for.

use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

/// A coded variable of the ILO harmonised microdata conventions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Sex,
    Age,
    Geo,
    Wap,
    Lfs,
    Isic4,
    EcoAggregate,
    Tru,
    OlfDlma,
    EduAttendance,
    Neet,
}

impl Role {
    pub const ALL: [Role; 11] = [
        Role::Sex,
        Role::Age,
        Role::Geo,
        Role::Wap,
        Role::Lfs,
        Role::Isic4,
        Role::EcoAggregate,
        Role::Tru,
        Role::OlfDlma,
        Role::EduAttendance,
        Role::Neet,
    ];

    /// The ILO harmonised variable name, which is also the default column name.
    pub fn ilo_name(self) -> &'static str {
        match self {
            Role::Sex => "ilo_sex",
            Role::Age => "ilo_age",
            Role::Geo => "ilo_geo",
            Role::Wap => "ilo_wap",
            Role::Lfs => "ilo_lfs",
            Role::Isic4 => "ilo_job1_eco_isic4",
            Role::EcoAggregate => "ilo_job1_eco_aggregate",
            Role::Tru => "ilo_joball_tru",
            Role::OlfDlma => "ilo_olf_dlma",
            Role::EduAttendance => "ilo_edu_attendance",
            Role::Neet => "ilo_neet",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_ilo_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.ilo_name() == name)
    }
}

pub const WEIGHT_NAME: &str = "ilo_wgt";

/// Where one role's values come from: a column, and an optional recode of its values.
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub column: String,
    /// Source value (as written in the file, or the integer) to ILO code. Values not listed
    /// pass through unchanged.
    pub recode_int: HashMap<i64, i64>,
    pub recode_str: HashMap<String, i64>,
}

impl Source {
    fn plain(column: &str) -> Source {
        Source { column: column.to_string(), ..Default::default() }
    }
}

/// Which file columns feed which roles, after applying the mapping file and the flags.
#[derive(Debug, Clone)]
pub struct ColumnPlan {
    pub weight: String,
    /// Indexed by [`Role::index`]; `None` where the file has no such column.
    pub roles: Vec<Option<Source>>,
    pub strata: Option<String>,
    pub psu: Option<String>,
    pub by: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    #[error("reading the mapping file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("the mapping file {path} is not valid TOML for a mapping: {source}")]
    Parse { path: String, source: toml::de::Error },
    #[error("the mapping file names `{0}`, which is not an ILO variable this tool reads (ilo_wgt, ilo_sex, ilo_age, ilo_geo, ilo_wap, ilo_lfs, ilo_job1_eco_isic4, ilo_job1_eco_aggregate, ilo_joball_tru, ilo_olf_dlma, ilo_edu_attendance, ilo_neet)")]
    UnknownVariable(String),
    #[error("the recode of `{variable}` maps `{from}` to a value that is not an integer code")]
    BadRecode { variable: String, from: String },
}

/// The mapping file: `[columns]` maps an ILO variable to a column name, or to a table
/// `{ column = "...", recode = { "0" = 1, "1" = 2 } }`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingFile {
    #[serde(default)]
    pub columns: HashMap<String, MappedColumn>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum MappedColumn {
    Name(String),
    Recoded {
        column: String,
        #[serde(default)]
        recode: HashMap<String, i64>,
    },
}

impl MappingFile {
    pub fn load(path: &Path) -> Result<MappingFile, MappingError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| MappingError::Read { path: path.display().to_string(), source })?;
        Self::parse(&text).map_err(|e| match e {
            MappingError::Parse { source, .. } => MappingError::Parse { path: path.display().to_string(), source },
            other => other,
        })
    }

    pub fn parse(text: &str) -> Result<MappingFile, MappingError> {
        let file: MappingFile =
            toml::from_str(text).map_err(|source| MappingError::Parse { path: String::new(), source })?;
        for name in file.columns.keys() {
            if name != WEIGHT_NAME && Role::from_ilo_name(name).is_none() {
                return Err(MappingError::UnknownVariable(name.clone()));
            }
        }
        Ok(file)
    }
}

impl ColumnPlan {
    /// Resolves every role against the file's header: the mapping file first, else the ILO name.
    pub fn resolve(
        mapping: &MappingFile,
        header: &[String],
        strata: Option<String>,
        psu: Option<String>,
        by: Vec<String>,
    ) -> Result<ColumnPlan, MappingError> {
        let has = |c: &str| header.iter().any(|h| h == c);
        let source_for = |name: &str| -> Result<Option<Source>, MappingError> {
            match mapping.columns.get(name) {
                Some(MappedColumn::Name(c)) => Ok(Some(Source::plain(c))),
                Some(MappedColumn::Recoded { column, recode }) => {
                    let mut s = Source::plain(column);
                    for (from, to) in recode {
                        match from.trim().parse::<i64>() {
                            Ok(v) => {
                                s.recode_int.insert(v, *to);
                            }
                            Err(_) => {
                                s.recode_str.insert(from.clone(), *to);
                            }
                        }
                    }
                    Ok(Some(s))
                }
                None if has(name) => Ok(Some(Source::plain(name))),
                None => Ok(None),
            }
        };
        let weight = source_for(WEIGHT_NAME)?.map(|s| s.column).unwrap_or_else(|| WEIGHT_NAME.to_string());
        let mut roles = Vec::with_capacity(Role::ALL.len());
        for role in Role::ALL {
            roles.push(source_for(role.ilo_name())?);
        }
        Ok(ColumnPlan { weight, roles, strata, psu, by })
    }

    /// Drops the roles `keep` rejects, so that their columns are neither read nor checked.
    pub fn keep_roles(&mut self, keep: impl Fn(Role) -> bool) {
        for role in Role::ALL {
            if !keep(role) {
                self.roles[role.index()] = None;
            }
        }
    }

    pub fn role(&self, role: Role) -> Option<&Source> {
        self.roles[role.index()].as_ref()
    }

    /// Every column the plan reads, without repeats, for projection.
    pub fn columns(&self) -> Vec<String> {
        let mut out = vec![self.weight.clone()];
        out.extend(self.roles.iter().flatten().map(|s| s.column.clone()));
        out.extend(self.strata.iter().cloned());
        out.extend(self.psu.iter().cloned());
        out.extend(self.by.iter().cloned());
        let mut seen = std::collections::HashSet::new();
        out.retain(|c| seen.insert(c.clone()));
        out
    }
}
