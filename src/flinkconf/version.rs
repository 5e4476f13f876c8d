//! Flink release versions.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A Flink release version `major.minor.patch` (e.g. `2.1.0`, `1.20.3`).
///
/// Parses `"2.1.0"`, `"1.20"` (patch 0) and `"1.19.1"`; displays and serializes as
/// `major.minor.patch`. Ordered numerically (`1.9.0 < 1.19.0 < 2.0.0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Major version (`1` or `2`).
    pub major: u32,
    /// Minor version.
    pub minor: u32,
    /// Patch version (0 when not given).
    pub patch: u32,
}

impl Version {
    /// `Version { major, minor, patch }`.
    pub const fn new(major: u32, minor: u32, patch: u32) -> Version {
        Version {
            major,
            minor,
            patch,
        }
    }

    /// True for `major.minor` at or after the given one, whatever the patch.
    pub fn at_least(&self, major: u32, minor: u32) -> bool {
        (self.major, self.minor) >= (major, minor)
    }
}

/// Why a version string did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a Flink version: write `major.minor[.patch]`, e.g. `2.1.0` or `1.20`")]
pub struct VersionParseError {
    /// The string given.
    pub input: String,
}

impl FromStr for Version {
    type Err = VersionParseError;

    fn from_str(s: &str) -> Result<Version, VersionParseError> {
        let err = || VersionParseError {
            input: s.to_string(),
        };
        let parts: Vec<&str> = s.trim().split('.').collect();
        if !(2..=3).contains(&parts.len()) {
            return Err(err());
        }
        let num = |p: &str| -> Result<u32, VersionParseError> {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
            p.parse().map_err(|_| err())
        };
        Ok(Version {
            major: num(parts[0])?,
            minor: num(parts[1])?,
            patch: match parts.get(2) {
                Some(p) => num(p)?,
                None => 0,
            },
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl Serialize for Version {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Version, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_orders() {
        let v: Version = "2.1.0".parse().unwrap();
        assert_eq!(v, Version::new(2, 1, 0));
        assert_eq!("1.20".parse::<Version>().unwrap(), Version::new(1, 20, 0));
        assert_eq!("1.19.1".parse::<Version>().unwrap(), Version::new(1, 19, 1));
        assert!(Version::new(1, 9, 0) < Version::new(1, 19, 0));
        assert!(Version::new(1, 20, 5) < Version::new(2, 0, 0));
        assert_eq!(Version::new(1, 20, 0).to_string(), "1.20.0");
        for bad in ["", "2", "2.x", "2.1.0.1", "v2.1", "2..1", "-1.2"] {
            assert!(bad.parse::<Version>().is_err(), "{bad}");
        }
        assert!(Version::new(1, 19, 3).at_least(1, 19));
        assert!(!Version::new(1, 18, 9).at_least(1, 19));
    }

    #[test]
    fn serde_as_string() {
        let v = Version::new(2, 1, 0);
        assert_eq!(serde_json::to_string(&v).unwrap(), "\"2.1.0\"");
        let back: Version = serde_json::from_str("\"1.20\"").unwrap();
        assert_eq!(back, Version::new(1, 20, 0));
    }
}
