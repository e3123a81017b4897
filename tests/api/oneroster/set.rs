//! A OneRoster set written here: two schools, three students (one with a non-ASCII name), a
//! parent linked through `agentSourcedIds`, a school social worker (an `ext:` role) at both
//! schools, and class enrollments; changed one file at a time, zipped for upload.

use std::{collections::BTreeMap, io::Write};

use serde_json::Value;
use zip::{ZipWriter, write::SimpleFileOptions};

use crate::helpers::{Client, Response};

pub const ORGS: &str = "\
sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId
d1,,,Riverside District,district,RSD,
s1,,,Lincoln Elementary,school,ST-LIN,d1
s2,,,Adams Middle,school,ST-ADA,d1
";

pub const SESSIONS: &str = "\
sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear
y1,,,2026-2027,schoolYear,2026-08-15,2027-06-10,,2027
";

pub const USERS_HEADER: &str = "sourcedId,status,dateLastModified,enabledUser,username,userIds,\
givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,\
userMasterIdentifier,resourceSourcedIds,preferredGivenName,preferredMiddleName,\
preferredFamilyName,primaryOrgSourcedId,pronouns";

/// The users; the parent's phone has a quoted comma-free value, a student's name is quoted with
/// a comma in it.
pub fn users() -> String {
    format!(
        "{USERS_HEADER}
st1,,,true,aruiz,{{state:S-1}},Ana,Ruiz,,L-1,,,,p1,03,,,,Annie,,,s1,
st2,,,true,znguyen,,Zoë,Nguyễn,,L-2,,,,p1,04,,,,,,,s1,
st3,,,true,lokafor,,Li,\"Okafor, Jr.\",,L-3,,,,,07,,,,,,,s2,
p1,,,true,mruiz,,María,Ruiz,,,maria@example.org,,555-0100,\"st1,st2\",,,,,,,,s1,
sw1,,,true,srivera,,Sam,Rivera,,,sam@example.org,,,,,,,,,,,s1,
"
    )
}

pub const ROLES: &str = "\
sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId
r1,,,st1,primary,student,,,s1,
r2,,,st2,primary,student,,,s1,
r3,,,st3,primary,student,,,s2,
r4,,,p1,primary,parent,,,s1,
r5,,,sw1,primary,ext:schoolSocialWorker,,,s1,
r6,,,sw1,secondary,ext:schoolSocialWorker,,,s2,
";

pub const ENROLLMENTS_HEADER: &str = "sourcedId,status,dateLastModified,classSourcedId,\
schoolSourcedId,userSourcedId,role,primary,beginDate,endDate";

pub fn enrollments() -> String {
    format!(
        "{ENROLLMENTS_HEADER}
e1,,,c1,s1,st1,student,true,2026-08-20,
e2,,,c2,s1,st1,student,false,,
e3,,,c1,s1,st2,student,true,2026-08-20,
e4,,,c3,s2,st3,student,true,2026-08-21,
e5,,,c1,s1,sw1,teacher,true,,
"
    )
}

pub const DEMOGRAPHICS: &str = "\
sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,asian,\
blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,\
hispanicOrLatinoEthnicity,countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,\
publicSchoolResidenceStatus
st1,,,2016-05-04,female,,,,,,,true,US,IL,Chicago,
";

/// The files of a set (name without `.csv`), with the mode the manifest gives each.
pub struct Set {
    files: BTreeMap<&'static str, (&'static str, String)>,
    manifest: bool,
}

impl Set {
    /// The whole set, every file bulk.
    pub fn bulk() -> Self {
        let files = [
            ("orgs", ORGS.to_string()),
            ("academicSessions", SESSIONS.to_string()),
            ("users", users()),
            ("roles", ROLES.to_string()),
            ("enrollments", enrollments()),
            ("demographics", DEMOGRAPHICS.to_string()),
        ];
        Self {
            files: files.into_iter().map(|(n, c)| (n, ("bulk", c))).collect(),
            manifest: true,
        }
    }

    /// An empty set: each file added with [`Set::file`].
    pub fn empty() -> Self {
        Self {
            files: BTreeMap::new(),
            manifest: true,
        }
    }

    /// Adds or replaces file `name` with its mode.
    pub fn file(
        mut self,
        name: &'static str,
        mode: &'static str,
        content: impl Into<String>,
    ) -> Self {
        self.files.insert(name, (mode, content.into()));
        self
    }

    /// The set without its manifest.
    pub fn without_manifest(mut self) -> Self {
        self.manifest = false;
        self
    }

    /// The manifest and files, as (file name, content).
    pub fn contents(&self) -> Vec<(String, String)> {
        let mut manifest =
            "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\n".to_string();
        for name in [
            "academicSessions",
            "classes",
            "courses",
            "demographics",
            "enrollments",
            "orgs",
            "roles",
            "users",
        ] {
            let mode = self.files.get(name).map_or("absent", |f| f.0);
            manifest.push_str(&format!("file.{name},{mode}\n"));
        }
        let mut contents = Vec::new();
        if self.manifest {
            contents.push(("manifest.csv".to_string(), manifest));
        }
        for (name, (_, content)) in &self.files {
            contents.push((format!("{name}.csv"), content.clone()));
        }
        contents
    }

    /// The set as a zip.
    pub fn zip(&self) -> Vec<u8> {
        let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, content) in self.contents() {
            zip.start_file(name, SimpleFileOptions::default()).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    /// The set as a folder.
    pub fn folder(&self) -> tempfile::TempDir {
        let dir = tempfile::TempDir::new().unwrap();
        for (name, content) in self.contents() {
            std::fs::write(dir.path().join(name), content).unwrap();
        }
        dir
    }
}

/// Uploads `set` with the query string `query` (`?dryRun=true`, or empty).
pub async fn upload(client: &Client, set: &Set, query: &str) -> Response {
    let path = format!("/integrations/oneroster{query}");
    client.upload(&path, "application/zip", set.zip()).await
}

/// `(records, created, updated, unchanged, closed, errors)` of each summary of a report.
/// The figures of one kind of record (`enrollments`) in an import's report.
pub fn figure(report: &Value, records: &str) -> (String, i64, i64, i64, i64, i64) {
    figures(report)
        .into_iter()
        .find(|f| f.0 == records)
        .unwrap_or_else(|| panic!("no {records} in {report}"))
}

pub fn figures(report: &Value) -> Vec<(String, i64, i64, i64, i64, i64)> {
    let summaries = report["summaries"]
        .as_array()
        .unwrap_or_else(|| panic!("{report}"));
    summaries
        .iter()
        .map(|s| {
            let n = |key: &str| s[key].as_i64().unwrap();
            let records = s["records"].as_str().unwrap().to_string();
            (
                records,
                n("created"),
                n("updated"),
                n("unchanged"),
                n("closed"),
                n("errors"),
            )
        })
        .collect()
}

/// `file:line:column` of each error of a report.
pub fn places(report: &Value) -> Vec<String> {
    let errors = report["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("{report}"));
    errors
        .iter()
        .map(|e| {
            format!(
                "{}:{}:{}",
                e["file"].as_str().unwrap(),
                e["line"],
                e["column"].as_str().unwrap_or("-")
            )
        })
        .collect()
}
