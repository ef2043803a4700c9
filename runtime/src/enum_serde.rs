//! serde for [`WireEnum`] types: they serialize as their wire string and deserialize from a
//! string (or a number, which the service sometimes sends for numeric codes). Generated enums
//! implement `Serialize`/`Deserialize` by calling these two functions.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;

use crate::params::WireEnum;

/// Serializes `value` as its wire string.
pub fn serialize<T: WireEnum, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.as_wire())
}

/// Deserializes a wire string (or number) into `T`; an unknown value is an error naming the
/// known ones, unless `T` keeps unknown values.
pub fn deserialize<'de, T: WireEnum, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_any(WireVisitor(std::marker::PhantomData))
}

struct WireVisitor<T>(std::marker::PhantomData<T>);

impl<T: WireEnum> WireVisitor<T> {
    fn parse<E: de::Error>(text: &str) -> Result<T, E> {
        T::from_wire_str(text).ok_or_else(|| {
            E::custom(format_args!(
                "unknown value `{text}`, expected one of: {}",
                T::VARIANTS.join(", ")
            ))
        })
    }
}

impl<T: WireEnum> Visitor<'_> for WireVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "one of: {}", T::VARIANTS.join(", "))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Self::parse(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Self::parse(&v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Self::parse(&v.to_string())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        Self::parse(if v { "true" } else { "false" })
    }
}
