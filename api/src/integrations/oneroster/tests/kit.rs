//! Fixture builders for the reader's tests: a valid set, changed one file at a time, written
//! as a folder or a zip in a temporary directory.

use std::{collections::BTreeMap, io::Write, path::PathBuf};

use tempfile::TempDir;
use zip::{ZipWriter, write::SimpleFileOptions};

use crate::integrations::oneroster::{OneRosterSet, ReadError, read_path};

pub(super) const ORGS: &str = "\
sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId
d1,,,Riverside District,district,RSD,
s1,,,Riverside High,school,RHS,d1
";

pub(super) const ACADEMIC_SESSIONS: &str = "\
sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear
y2027,,,2026-2027,schoolYear,2026-08-15,2027-06-10,,2027
t1,,,Fall,term,2026-08-15,2026-12-20,y2027,2027
";

pub(super) const USERS: &str = "\
sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,\
identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,\
resourceSourcedIds,preferredGivenName,preferredMiddleName,preferredFamilyName,\
primaryOrgSourcedId,pronouns
u1,,,true,jdoe,\"{LDAP:jd1},{SIS:123}\",Jane,Doe,Q,ID1,jane@example.org,555-0100,555-0101,\
\"g1,g2\",\"09,10\",secret,M1,\"r1,r2\",Janie,Quinn,Dough,s1,she/her
g1,,,false,gsmith,,Gail,Smith,,,,,,u1,,,,,,,,,
";

pub(super) const ROLES: &str = "\
sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,\
userProfileSourcedId
r1,,,u1,primary,student,2026-08-15,2027-06-10,s1,p1
r2,,,g1,secondary,ext:schoolSocialWorker,,,s1,
";

pub(super) const ENROLLMENTS: &str = "\
sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,\
beginDate,endDate
e1,,,c1,s1,u1,student,false,2026-08-15,2027-06-10
";

pub(super) const DEMOGRAPHICS: &str = "\
sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,asian,\
blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,\
hispanicOrLatinoEthnicity,countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,\
publicSchoolResidenceStatus
u1,,,2011-04-30,female,false,true,false,false,true,true,false,US,OR,Portland,01652
";

pub(super) const CLASSES: &str = "\
sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,\
schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods
c1,,,Biology,09,k1,BIO-1,scheduled,Room 4,s1,t1,,,1
";

pub(super) const TIMESTAMP: &str = "2026-09-01T12:00:00Z";

/// A set's files by name (as the manifest names them), and its manifest: written from
/// `modes` unless given by hand (`Some`), or left out (`Some(None)`).
pub(super) struct Set {
    modes: BTreeMap<&'static str, &'static str>,
    files: BTreeMap<&'static str, Vec<u8>>,
    manifest: Option<Option<Vec<u8>>>,
}

impl Set {
    /// A valid bulk set of the six files this reader keeps.
    pub(super) fn bulk() -> Self {
        let files: [(&str, &str); 6] = [
            ("orgs", ORGS),
            ("academicSessions", ACADEMIC_SESSIONS),
            ("users", USERS),
            ("roles", ROLES),
            ("enrollments", ENROLLMENTS),
            ("demographics", DEMOGRAPHICS),
        ];
        let mut set = Self {
            modes: BTreeMap::from([("classes", "absent"), ("courses", "absent")]),
            files: BTreeMap::new(),
            manifest: None,
        };
        for (name, content) in files {
            set = set.file(name, "bulk", content);
        }
        set
    }

    /// Adds or replaces the file `name` (as the manifest names it) and its mode.
    pub(super) fn file(
        mut self,
        name: &'static str,
        mode: &'static str,
        content: impl Into<Vec<u8>>,
    ) -> Self {
        self.modes.insert(name, mode);
        self.files.insert(name, content.into());
        self
    }

    /// Leaves a file out of the set (the manifest still lists it).
    pub(super) fn without(mut self, name: &'static str) -> Self {
        self.files.remove(name);
        self
    }

    /// Replaces the manifest written from `modes`; `None` leaves it out.
    pub(super) fn manifest(mut self, content: Option<&str>) -> Self {
        self.manifest = Some(content.map(Into::into));
        self
    }

    fn contents(&self) -> Vec<(String, Vec<u8>)> {
        let mut contents: Vec<_> = self
            .files
            .iter()
            .map(|(name, content)| (format!("{name}.csv"), content.clone()))
            .collect();
        let manifest = self.manifest.clone().unwrap_or_else(|| {
            let mut manifest =
                "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\n".to_owned();
            for (name, mode) in &self.modes {
                manifest.push_str(&format!("file.{name},{mode}\n"));
            }
            Some(manifest.into_bytes())
        });
        contents.extend(manifest.map(|content| ("manifest.csv".to_owned(), content)));
        contents
    }

    /// The set written as a folder.
    pub(super) fn folder(&self) -> TempDir {
        let dir = TempDir::new().unwrap();
        for (name, content) in self.contents() {
            std::fs::write(dir.path().join(name), content).unwrap();
        }
        dir
    }

    /// The set written as `set.zip`, deflated, in a temporary directory.
    pub(super) fn zip(&self) -> (TempDir, PathBuf) {
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("set.zip");
        let mut zip = ZipWriter::new(std::fs::File::create(&path).unwrap());
        for (name, content) in self.contents() {
            zip.start_file(name, SimpleFileOptions::default()).unwrap();
            zip.write_all(&content).unwrap();
        }
        zip.finish().unwrap();
        (dir, path)
    }

    /// Reads the set from a folder.
    pub(super) fn read(&self) -> Result<OneRosterSet, Vec<ReadError>> {
        read_path(self.folder().path(), &mut |_| {})
    }

    /// Reads a set that must be valid.
    pub(super) fn valid(&self) -> OneRosterSet {
        self.read()
            .unwrap_or_else(|errors| panic!("{}", lines(&errors)))
    }

    /// Where each error of a set that must be invalid is: `file:line:column`.
    pub(super) fn error_places(&self) -> Vec<String> {
        let Err(errors) = self.read() else {
            panic!("the set read without errors")
        };
        errors
            .iter()
            .map(|error| error.to_string().split(": ").next().unwrap().to_owned())
            .collect()
    }

    /// The one error of a set that must fail with exactly one, as displayed.
    pub(super) fn only_error(&self) -> String {
        match self.read() {
            Err(errors) if errors.len() == 1 => errors[0].to_string(),
            Err(errors) => panic!("expected one error, got:\n{}", lines(&errors)),
            Ok(_) => panic!("the set read without errors"),
        }
    }
}

fn lines(errors: &[ReadError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// `content` as a delta file: each row's empty `status,dateLastModified` filled.
pub(super) fn delta(content: &str, status: &str, timestamp: &str) -> String {
    let mut lines = content.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for line in lines {
        out.push_str(&line.replacen(",,,", &format!(",{status},{timestamp},"), 1));
        out.push('\n');
    }
    out
}
