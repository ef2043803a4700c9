//! The Rust side of a change: the generated items a spec path stands for, looked up in the IR
//! of each spec (`ir::build(old)` beside `ir::build(new)`), so every Rust name the diff prints is
//! the one the generator emits — suffixed names (`PingData2`, `Unknown2`) included. Nothing here
//! makes a name.

use crate::ir::{Api, EnumIr, FieldIr, StructIr, Ty};

/// The items generated for one action or receipt, with the API's named enums, in one IR.
#[derive(Clone, Copy)]
pub(super) struct Scope<'a> {
    api: &'a Api<'a>,
    structs: &'a [StructIr<'a>],
    enums: &'a [EnumIr<'a>],
}

impl<'a> Scope<'a> {
    fn structure(self, name: &str) -> Option<&'a StructIr<'a>> {
        self.structs.iter().find(|s| s.name == name)
    }

    fn enumeration(self, name: &str) -> Option<&'a EnumIr<'a>> {
        self.enums
            .iter()
            .chain(&self.api.enums)
            .find(|e| e.name == name)
    }
}

/// One item in the old IR and in the new one; either may be missing.
#[derive(Clone, Copy)]
pub(super) struct Both<T> {
    pub old: Option<T>,
    pub new: Option<T>,
}

impl<T> Default for Both<T> {
    fn default() -> Both<T> {
        Both {
            old: None,
            new: None,
        }
    }
}

impl<T: Copy> Both<T> {
    pub fn map<U>(self, f: impl Fn(T) -> Option<U>) -> Both<U> {
        Both {
            old: self.old.and_then(&f),
            new: self.new.and_then(&f),
        }
    }

    /// The new item, else the old one.
    pub fn either(self) -> Option<T> {
        self.new.or(self.old)
    }
}

/// The generated enums of a value (an inline enum's, or a named one's).
pub(super) type Enums<'a> = Both<&'a EnumIr<'a>>;

impl<'a> Enums<'a> {
    /// The named enum `enums.{name}` of each API.
    pub fn named(apis: Both<&'a Api<'a>>, name: &str) -> Enums<'a> {
        apis.map(|api| api.enums.iter().find(|e| e.named == Some(name)))
    }

    /// The enum's Rust name, in backticks (the new one when it was renamed).
    pub fn label(self) -> Option<String> {
        self.either().map(|e| format!("`{}`", e.name))
    }

    /// The variant for `value` in the old and the new enum.
    pub fn variant(self, value: &str) -> Both<&'a str> {
        let find = |e: &'a EnumIr<'a>| {
            e.variants
                .iter()
                .find(|(_, v)| v.value == value)
                .map(|(rust, _)| rust.as_str())
        };
        self.map(find)
    }
}

/// A generated struct that holds fields (a request, a response, an element, a JSON value).
pub(super) type Holder<'a> = Both<(Scope<'a>, &'a StructIr<'a>)>;

impl<'a> Holder<'a> {
    /// The request and response structs of action `name`.
    pub fn action(apis: Both<&'a Api<'a>>, name: &str) -> (Holder<'a>, Holder<'a>) {
        let action = apis.map(|api| {
            let a = api.actions.iter().find(|a| a.name == name)?;
            Some((api, a))
        });
        let part = |which: fn(&'a crate::ir::ActionIr<'a>) -> &'a str| {
            action.map(|(api, a)| {
                let scope = Scope {
                    api,
                    structs: &a.structs,
                    enums: &a.enums,
                };
                Some((scope, scope.structure(which(a))?))
            })
        };
        (part(|a| &a.request), part(|a| &a.response))
    }

    /// The record struct of receipt `name`.
    pub fn receipt(apis: Both<&'a Api<'a>>, name: &str) -> Holder<'a> {
        apis.map(|api| {
            let r = api.receipts.iter().find(|r| r.name == name)?;
            let scope = Scope {
                api,
                structs: &r.structs,
                enums: &r.enums,
            };
            Some((scope, r.structs.first()?))
        })
    }

    /// The struct's Rust name (the new one when it was renamed).
    pub fn name(self) -> Option<&'a str> {
        self.either().map(|(_, s)| s.name.as_str())
    }

    /// The member whose wire name is `wire`, when either IR has it.
    pub fn member(self, wire: &str) -> Option<Ctx<'a>> {
        let find = |(scope, parent): (Scope<'a>, &'a StructIr<'a>)| {
            let field = parent.fields.iter().find(|f| f.wire == wire)?;
            Some(Member {
                scope,
                parent,
                field,
            })
        };
        let ctx = Ctx(self.map(find));
        ctx.0.either().is_some().then_some(ctx)
    }
}

/// A field of a generated struct.
#[derive(Clone, Copy)]
pub(super) struct Member<'a> {
    scope: Scope<'a>,
    parent: &'a StructIr<'a>,
    field: &'a FieldIr<'a>,
}

/// A field in the old and the new IR (at least one of them).
#[derive(Clone, Copy)]
pub(super) struct Ctx<'a>(Both<Member<'a>>);

impl<'a> Ctx<'a> {
    fn member(&self) -> Member<'a> {
        self.0.either().expect("a context has a member on one side")
    }

    /// The struct that holds the field (`PingRequest`).
    pub fn parent(&self) -> &'a str {
        &self.member().parent.name
    }

    /// The field's Rust name (`tts_param`).
    pub fn field(&self) -> &'a str {
        &self.member().field.rust
    }

    /// "field `x` of `Parent`", naming both structs when the holder was renamed.
    pub fn at(&self) -> String {
        match (self.0.old, self.0.new) {
            (Some(o), Some(n)) if o.parent.name != n.parent.name => format!(
                "field `{}` of `{}` (`{}` in the new API)",
                n.field.rust, o.parent.name, n.parent.name
            ),
            _ => format!("field `{}` of `{}`", self.field(), self.parent()),
        }
    }

    /// "{at} changes type", with both Rust types when they differ.
    pub fn type_change(&self) -> String {
        match (self.0.old, self.0.new) {
            (Some(o), Some(n)) if o.field.ty != n.field.ty => format!(
                "{} changes type from `{}` to `{}`",
                self.at(),
                o.field.ty,
                n.field.ty
            ),
            _ => format!("{} changes type", self.at()),
        }
    }

    /// The struct the field's type names (under `Vec`, maps and JSON): its members' holder.
    pub fn holder(&self) -> Holder<'a> {
        self.0.map(|m| match m.field.ty.innermost() {
            Ty::Struct(name) => Some((m.scope, m.scope.structure(name)?)),
            _ => None,
        })
    }

    /// The enum the field's type names, if any.
    pub fn enums(&self) -> Enums<'a> {
        self.0.map(|m| match m.field.ty.innermost() {
            Ty::Enum(name) => m.scope.enumeration(name),
            _ => None,
        })
    }

    /// The old and new name of the struct or enum generated for the field, when only the name
    /// differs (another item took the old one, or gave it back).
    pub fn renamed(&self) -> Option<(&'a str, &'a str)> {
        let (o, n) = (self.0.old?, self.0.new?);
        match (o.field.ty.innermost(), n.field.ty.innermost()) {
            (Ty::Struct(a), Ty::Struct(b)) | (Ty::Enum(a), Ty::Enum(b)) if a != b => Some((a, b)),
            _ => None,
        }
    }
}

/// The `ErrorCode` variant of `code` in each API, when the code is in its enum.
pub(super) fn error_code<'a>(apis: Both<&'a Api<'a>>, code: &str) -> Both<&'a str> {
    apis.map(|api| {
        api.error_codes
            .iter()
            .find(|(_, c)| c.code == code)
            .map(|(rust, _)| rust.as_str())
    })
}
