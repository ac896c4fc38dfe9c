//! Local names in scope during the walk, and what each was bound to.

use std::rc::Rc;

use super::index::FnName;

/// Something a code can be passed to: a function or method, or a closure (named by where its
/// text starts).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Callable {
    /// A function or method.
    Fn(FnName),
    /// A closure at file, line, column.
    Closure(String, usize, usize),
}

/// A step from a value to a part of it: how a pattern took its name out of the bound value.
#[derive(Clone, Debug, PartialEq)]
pub enum Proj {
    /// Element `i` of a tuple.
    Tuple(usize),
    /// Field of a struct.
    Field(String),
    /// Field `i` of a tuple variant (`Some(x)`).
    Variant(usize),
    /// Each element of an array or iterator (a `for` loop).
    Elem,
}

/// What a name was bound to.
#[derive(Clone)]
pub enum Origin {
    /// Argument `index` of `callable`, with its declared type when it has one.
    Param {
        callable: Callable,
        index: usize,
        ty: Option<Box<syn::Type>>,
    },
    /// A part (`proj`) of the value of `expr`, which is read in `scope`.
    Value {
        expr: Box<syn::Expr>,
        proj: Vec<Proj>,
        scope: Scope,
        ty: Option<Box<syn::Type>>,
    },
    /// Bound in a way this walk does not follow (e.g. a tuple pattern in a parameter).
    Opaque,
}

/// One name and the names bound before it.
pub struct Binding {
    name: String,
    /// What the name holds.
    pub origin: Origin,
    parent: Scope,
}

/// The names in scope, innermost first; cheap to copy, so that each binding can keep the scope
/// its value is read in.
pub type Scope = Option<Rc<Binding>>;

/// `scope` with `name` bound to `origin`.
pub fn bind(scope: &Scope, name: String, origin: Origin) -> Scope {
    Some(Rc::new(Binding {
        name,
        origin,
        parent: scope.clone(),
    }))
}

/// The innermost binding of `name`.
pub fn lookup<'s>(scope: &'s Scope, name: &str) -> Option<&'s Binding> {
    let mut next = scope.as_deref();
    while let Some(binding) = next {
        if binding.name == name {
            return Some(binding);
        }
        next = binding.parent.as_deref();
    }
    None
}

/// Binds every name in `pat` (each to the part of `origin` it takes) on top of `scope`.
pub fn bind_pat(scope: &Scope, pat: &syn::Pat, origin: &Origin) -> Scope {
    match pat {
        syn::Pat::Ident(p) => {
            let inner = match &p.subpat {
                Some((_, sub)) => bind_pat(scope, sub, origin),
                None => scope.clone(),
            };
            bind(&inner, p.ident.to_string(), origin.clone())
        }
        syn::Pat::Type(p) => bind_pat(scope, &p.pat, &with_type(origin, &p.ty)),
        syn::Pat::Reference(p) => bind_pat(scope, &p.pat, origin),
        syn::Pat::Paren(p) => bind_pat(scope, &p.pat, origin),
        syn::Pat::Tuple(p) => bind_each(scope, p.elems.iter(), origin, Proj::Tuple),
        syn::Pat::TupleStruct(p) => bind_each(scope, p.elems.iter(), origin, Proj::Variant),
        syn::Pat::Struct(p) => p.fields.iter().fold(scope.clone(), |scope, field| {
            let proj = match &field.member {
                syn::Member::Named(name) => Proj::Field(name.to_string()),
                syn::Member::Unnamed(i) => Proj::Variant(i.index as usize),
            };
            bind_pat(&scope, &field.pat, &project(origin, proj))
        }),
        syn::Pat::Slice(p) => p.elems.iter().fold(scope.clone(), |scope, elem| {
            bind_pat(&scope, elem, &project(origin, Proj::Elem))
        }),
        syn::Pat::Or(p) => p
            .cases
            .iter()
            .fold(scope.clone(), |scope, case| bind_pat(&scope, case, origin)),
        _ => scope.clone(),
    }
}

/// Binds the elements of a tuple-like pattern; after a `..` the positions are unknown.
fn bind_each<'p>(
    scope: &Scope,
    elems: impl Iterator<Item = &'p syn::Pat>,
    origin: &Origin,
    step: fn(usize) -> Proj,
) -> Scope {
    let mut scope = scope.clone();
    let mut known = true;
    for (i, elem) in elems.enumerate() {
        known &= !matches!(elem, syn::Pat::Rest(_));
        let part = if known {
            project(origin, step(i))
        } else {
            Origin::Opaque
        };
        scope = bind_pat(&scope, elem, &part);
    }
    scope
}

/// The part `proj` of what `origin` holds.
fn project(origin: &Origin, proj: Proj) -> Origin {
    match origin {
        Origin::Value {
            expr,
            proj: outer,
            scope,
            ..
        } => Origin::Value {
            expr: expr.clone(),
            proj: outer.iter().cloned().chain([proj]).collect(),
            scope: scope.clone(),
            ty: None,
        },
        Origin::Param { .. } | Origin::Opaque => Origin::Opaque,
    }
}

/// `origin` with the type a pattern declares.
fn with_type(origin: &Origin, declared: &syn::Type) -> Origin {
    let mut origin = origin.clone();
    match &mut origin {
        Origin::Param { ty, .. } | Origin::Value { ty, .. } => {
            *ty = Some(Box::new(declared.clone()));
        }
        Origin::Opaque => {}
    }
    origin
}
