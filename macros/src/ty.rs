//! Syntactic classification of field types (`Option<T>`, `Vec<T>`, `String`, integers...), so
//! that a rule that cannot fit a field is reported under the attribute, not as a trait error in
//! generated code. Types the macro cannot recognise (aliases, user types) are `Base::Other` and
//! left to the compiler.

use syn::{GenericArgument, PathArguments, Type};

/// The innermost type, as far as the macro can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    Str,
    Int { signed: bool, bits: u8 },
    Float,
    Bool,
    Other,
}

impl Base {
    pub fn is_number(self) -> bool {
        matches!(self, Base::Int { .. } | Base::Float)
    }

    /// The smallest and largest value of an integer type, to check literals against.
    pub fn int_bounds(self) -> Option<(i128, i128)> {
        match self {
            Base::Int { signed: true, bits } => {
                let max = (1i128 << (bits - 1)) - 1;
                Some((-max - 1, max))
            }
            Base::Int {
                signed: false,
                bits,
            } => Some((0, (1i128 << bits) - 1)),
            _ => None,
        }
    }
}

/// A field's type: `Option<...>` stripped, then `Vec<...>` stripped.
#[derive(Debug, Clone)]
pub struct FieldType {
    pub optional: bool,
    /// The type inside `Option`, or the field type.
    pub inner: Type,
    /// The element type when `inner` is a `Vec`.
    pub elem: Option<Type>,
    /// What `inner` (or the `Vec` element) is.
    pub base: Base,
    /// The last path segment of `inner`, for messages (`String`, `Vec`, `i64`).
    pub name: String,
}

impl FieldType {
    pub fn of(ty: &Type) -> FieldType {
        let (optional, inner) = match generic_arg(ty, "Option") {
            Some(inner) => (true, inner.clone()),
            None => (false, ty.clone()),
        };
        let elem = generic_arg(&inner, "Vec").cloned();
        let base = base(elem.as_ref().unwrap_or(&inner));
        let name = last_ident(&inner).unwrap_or_else(|| "this type".to_owned());
        FieldType {
            optional,
            inner,
            elem,
            base,
            name,
        }
    }

    pub fn is_vec(&self) -> bool {
        self.elem.is_some()
    }
}

fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| s.ident.to_string()),
        Type::Group(g) => last_ident(&g.elem),
        Type::Paren(p) => last_ident(&p.elem),
        _ => None,
    }
}

/// `T` when `ty` is `wrapper<T>` (by its last path segment: `Option`, `std::option::Option`).
fn generic_arg<'t>(ty: &'t Type, wrapper: &str) -> Option<&'t Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if p.qself.is_some() || last.ident != wrapper {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(inner) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

fn base(ty: &Type) -> Base {
    let name = last_ident(ty).unwrap_or_default();
    let int = |signed, bits| Base::Int { signed, bits };
    match name.as_str() {
        "String" | "str" => Base::Str,
        "i8" => int(true, 8),
        "i16" => int(true, 16),
        "i32" => int(true, 32),
        "i64" | "isize" => int(true, 64),
        "u8" => int(false, 8),
        "u16" => int(false, 16),
        "u32" => int(false, 32),
        "u64" | "usize" => int(false, 64),
        "f32" | "f64" => Base::Float,
        "bool" => Base::Bool,
        _ => Base::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(src: &str) -> FieldType {
        FieldType::of(&syn::parse_str(src).unwrap())
    }

    #[test]
    fn strips_option_then_vec() {
        let t = of("Option<Vec<String>>");
        assert!(t.optional && t.is_vec());
        assert_eq!(t.base, Base::Str);
        assert_eq!(t.name, "Vec");
        let t = of("::core::option::Option<i32>");
        assert!(t.optional && !t.is_vec());
        assert_eq!(
            t.base.int_bounds(),
            Some((i32::MIN.into(), i32::MAX.into()))
        );
        assert_eq!(of("MenuKeyMap").base, Base::Other);
        assert_eq!(of("u8").base.int_bounds(), Some((0, 255)));
    }
}
