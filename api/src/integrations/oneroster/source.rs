//! Where a set's files come from: a folder, or a zip file read one entry at a time (the
//! archive's central directory is read once; each entry is inflated as it is read).

use std::{
    fs::File,
    io::{self, Read},
    path::{Path, PathBuf},
};

use zip::{ZipArchive, result::ZipError};

use super::ReadError;

pub(super) enum Source {
    Folder(PathBuf),
    Zip {
        name: String,
        archive: ZipArchive<File>,
    },
}

impl Source {
    /// A folder as it is; anything else must be a zip file.
    pub(super) fn open(path: &Path) -> Result<Self, ReadError> {
        let name = path.display().to_string();
        if path.is_dir() {
            return Ok(Self::Folder(path.to_owned()));
        }
        let file = File::open(path)
            .map_err(|error| ReadError::new(&name, 0, None, format!("cannot open: {error}")))?;
        let archive = ZipArchive::new(file).map_err(|error| {
            ReadError::new(&name, 0, None, format!("not a readable zip file: {error}"))
        })?;
        Ok(Self::Zip { name, archive })
    }

    /// The file named `file` at the top of the set, or `None` when there is none.
    pub(super) fn open_file(
        &mut self,
        file: &str,
    ) -> Result<Option<Box<dyn Read + '_>>, ReadError> {
        let unreadable = |error: &dyn std::fmt::Display| {
            ReadError::new(file, 0, None, format!("cannot read: {error}"))
        };
        match self {
            Self::Folder(folder) => match File::open(folder.join(file)) {
                Ok(input) => Ok(Some(Box::new(input))),
                Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(error) => Err(unreadable(&error)),
            },
            Self::Zip { name, archive } => match archive.by_name(file) {
                Ok(entry) => Ok(Some(Box::new(entry))),
                Err(ZipError::FileNotFound) => Ok(None),
                Err(error) => Err(unreadable(&format!("{error} (in {name})"))),
            },
        }
    }
}
