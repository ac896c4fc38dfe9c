//! One walk over the crate: every place a code is handed on (an argument of a function that
//! stores it in a diagnostic, a field that holds one) is found, and what is handed on there is
//! followed back to string literals.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

use super::index::{FnName, Index, type_name};
use super::scope::{Callable, Origin, Proj, Scope, bind_pat, lookup};
use super::tree::SourceFile;

/// Functions that put a code into a `Diagnostic` without choosing it, and why.
const NOT_EMITTING: &[(&str, &str, &str)] = &[(
    "src/diagnostic.rs",
    "deserialize",
    "reads a diagnostic back from JSON; its code was emitted before",
)];

/// Files whose literals name codes without emitting them, and why.
const NOT_EMITTING_FILES: &[(&str, &str)] = &[(
    "src/codes.rs",
    "the list of codes itself: its literals describe codes, they emit none",
)];

/// A line of a source file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// Relative to the crate (`src/validate/vpc.rs`).
    pub file: String,
    /// From 1.
    pub line: usize,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// Where codes go: arguments of callables, and struct fields.
#[derive(Clone, Default, PartialEq)]
pub struct Sinks {
    /// Argument positions (not counting `self`).
    pub params: BTreeSet<(Callable, usize)>,
    /// Fields (of every struct that has the field as `&'static str`).
    pub fields: BTreeSet<String>,
}

impl Sinks {
    /// Everything in `self` or `other`.
    pub fn union(&self, other: &Sinks) -> Sinks {
        Sinks {
            params: self.params.union(&other.params).cloned().collect(),
            fields: self.fields.union(&other.fields).cloned().collect(),
        }
    }

    fn positions(&self, callable: &Callable) -> BTreeSet<usize> {
        let from = (callable.clone(), 0);
        let to = (callable.clone(), usize::MAX);
        self.params.range(from..=to).map(|(_, i)| *i).collect()
    }
}

/// What one walk found.
#[derive(Default)]
pub struct Pass {
    /// Each code literal and where it is.
    pub codes: BTreeMap<String, BTreeSet<Place>>,
    /// Code arguments the walk could not follow back to literals.
    pub problems: BTreeSet<String>,
    /// Sinks found beyond those the walk started with.
    pub learned: Sinks,
    /// Closures bound to a name by `let` (their calls can be found by that name).
    pub named_closures: BTreeSet<Callable>,
    /// Every string literal shaped like a code, wherever it is.
    pub lookalikes: BTreeMap<String, BTreeSet<Place>>,
}

/// What a code argument holds, followed back as far as it goes.
enum Outcome {
    /// A literal.
    Code(String, Place),
    /// An argument of the enclosing callable: its callers are followed instead.
    Param(Callable, usize),
    /// A field: the struct literals that set it are followed instead.
    Field(String),
    /// Something this walk does not follow.
    Unknown(Place, &'static str),
}

/// Walks the files once, knowing the sinks `known`.
pub fn walk(files: &[SourceFile], index: &Index, known: &Sinks) -> Pass {
    let mut pass = Pass::default();
    let listed = |file: &SourceFile| NOT_EMITTING_FILES.iter().any(|(f, _)| *f == file.path);
    for file in files.iter().filter(|f| !listed(f)) {
        let mut walker = Walker {
            index,
            known,
            file,
            owner: None,
            scope: None,
            exempt: false,
            out: &mut pass,
        };
        walker.visit_file(&file.ast);
    }
    pass
}

struct Walker<'a> {
    index: &'a Index,
    known: &'a Sinks,
    file: &'a SourceFile,
    /// The type of the enclosing `impl` block.
    owner: Option<String>,
    scope: Scope,
    /// Inside a function of `NOT_EMITTING`.
    exempt: bool,
    out: &'a mut Pass,
}

impl<'ast> Visit<'ast> for Walker<'_> {
    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        let outer = self
            .owner
            .replace(type_name(&item.self_ty).unwrap_or_default());
        visit::visit_item_impl(self, item);
        self.owner = outer;
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.function(None, &item.sig, &item.block);
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.function(self.owner.clone(), &item.sig, &item.block);
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        let outer = self.scope.clone();
        visit::visit_block(self, block);
        self.scope = outer;
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        let Some(init) = &local.init else {
            self.scope = bind_pat(&self.scope, &local.pat, &Origin::Opaque);
            return;
        };
        self.visit_expr(&init.expr);
        if let Some((_, diverge)) = &init.diverge {
            self.visit_expr(diverge);
        }
        if let syn::Expr::Closure(closure) = &*init.expr {
            let callable = self.closure(closure);
            self.out.named_closures.insert(callable);
        }
        let origin = self.value(&init.expr, vec![]);
        self.scope = bind_pat(&self.scope, &local.pat, &origin);
    }

    fn visit_expr_for_loop(&mut self, expr: &'ast syn::ExprForLoop) {
        self.visit_expr(&expr.expr);
        let outer = self.scope.clone();
        let origin = self.value(&expr.expr, vec![Proj::Elem]);
        self.scope = bind_pat(&self.scope, &expr.pat, &origin);
        self.visit_block(&expr.body);
        self.scope = outer;
    }

    fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
        let outer = self.scope.clone();
        let callable = self.closure(closure);
        for (index, input) in closure.inputs.iter().enumerate() {
            let origin = Origin::Param {
                callable: callable.clone(),
                index,
                ty: None,
            };
            self.scope = bind_pat(&self.scope, input, &origin);
        }
        self.visit_expr(&closure.body);
        self.scope = outer;
    }

    fn visit_expr_match(&mut self, expr: &'ast syn::ExprMatch) {
        self.visit_expr(&expr.expr);
        for arm in &expr.arms {
            let outer = self.scope.clone();
            let origin = self.value(&expr.expr, vec![]);
            self.scope = bind_pat(&self.scope, &arm.pat, &origin);
            if let Some((_, guard)) = &arm.guard {
                self.visit_expr(guard);
            }
            self.visit_expr(&arm.body);
            self.scope = outer;
        }
    }

    fn visit_expr_if(&mut self, expr: &'ast syn::ExprIf) {
        let outer = self.scope.clone();
        self.condition(&expr.cond);
        self.visit_block(&expr.then_branch);
        self.scope = outer;
        if let Some((_, other)) = &expr.else_branch {
            self.visit_expr(other);
        }
    }

    fn visit_expr_while(&mut self, expr: &'ast syn::ExprWhile) {
        let outer = self.scope.clone();
        self.condition(&expr.cond);
        self.visit_block(&expr.body);
        self.scope = outer;
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        for index in self.call_positions(call) {
            if let Some(arg) = call.args.iter().nth(index) {
                self.code_at(arg);
            }
        }
        visit::visit_expr_call(self, call);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        for index in self.method_positions(call) {
            if let Some(arg) = call.args.iter().nth(index) {
                self.code_at(arg);
            }
        }
        visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_struct(&mut self, expr: &'ast syn::ExprStruct) {
        let name = match expr.path.segments.last() {
            Some(s) if s.ident == "Self" => self.owner.clone(),
            Some(s) => Some(s.ident.to_string()),
            None => None,
        };
        for field in &expr.fields {
            if let (Some(owner), syn::Member::Named(member)) = (&name, &field.member) {
                let member = member.to_string();
                if self.known.fields.contains(&member)
                    && self.index.is_static_str_field(owner, &member)
                {
                    self.code_at(&field.expr);
                }
            }
        }
        visit::visit_expr_struct(self, expr);
    }

    fn visit_expr_assign(&mut self, expr: &'ast syn::ExprAssign) {
        if let syn::Expr::Field(field) = &*expr.left
            && let syn::Member::Named(member) = &field.member
            && self.is_code_field(&field.base, &member.to_string())
        {
            self.code_at(&expr.right);
        }
        visit::visit_expr_assign(self, expr);
    }

    /// Macro arguments that parse as expressions (`vec![…]`, `format!(…)`) are walked; a macro
    /// whose tokens do not parse, but hold a literal shaped like a code, is a problem.
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let parser = Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
        match mac.parse_body_with(parser) {
            Ok(args) => args.iter().for_each(|arg| self.visit_expr(arg)),
            Err(_) => self.opaque_tokens(mac.tokens.clone()),
        }
    }

    fn visit_lit_str(&mut self, lit: &'ast syn::LitStr) {
        let value = lit.value();
        if super::is_code_shaped(&value) {
            let place = self.place(lit.span());
            self.out.lookalikes.entry(value).or_default().insert(place);
        }
    }
}

impl Walker<'_> {
    /// Walks a function body with its arguments bound.
    fn function(&mut self, owner: Option<String>, sig: &syn::Signature, block: &syn::Block) {
        let name = sig.ident.to_string();
        let callable = Callable::Fn(FnName { owner, name });
        let outer = (self.scope.take(), self.exempt);
        self.exempt = NOT_EMITTING
            .iter()
            .any(|(file, name, _)| *file == self.file.path && sig.ident == name);
        let params = sig.inputs.iter().filter_map(|arg| match arg {
            syn::FnArg::Typed(typed) => Some(typed),
            syn::FnArg::Receiver(_) => None,
        });
        for (index, param) in params.enumerate() {
            let origin = Origin::Param {
                callable: callable.clone(),
                index,
                ty: Some(param.ty.clone()),
            };
            self.scope = bind_pat(&self.scope, &param.pat, &origin);
        }
        self.visit_block(block);
        (self.scope, self.exempt) = outer;
    }

    /// Walks an `if`/`while` condition, binding the names of its `let`s (also in `&&` chains).
    fn condition(&mut self, cond: &syn::Expr) {
        match cond {
            syn::Expr::Let(expr) => {
                self.visit_expr(&expr.expr);
                let origin = self.value(&expr.expr, vec![]);
                self.scope = bind_pat(&self.scope, &expr.pat, &origin);
            }
            syn::Expr::Binary(expr) if matches!(expr.op, syn::BinOp::And(_)) => {
                self.condition(&expr.left);
                self.condition(&expr.right);
            }
            other => self.visit_expr(other),
        }
    }

    fn value(&self, expr: &syn::Expr, proj: Vec<Proj>) -> Origin {
        Origin::Value {
            expr: Box::new(expr.clone()),
            proj,
            scope: self.scope.clone(),
            ty: None,
        }
    }

    fn closure(&self, closure: &syn::ExprClosure) -> Callable {
        let start = closure.span().start();
        Callable::Closure(self.file.path.clone(), start.line, start.column)
    }

    fn place(&self, span: proc_macro2::Span) -> Place {
        Place {
            file: self.file.path.clone(),
            line: span.start().line,
        }
    }

    fn problem(&mut self, place: &Place, why: &str) {
        if self.exempt {
            return;
        }
        let line = self.file.text.lines().nth(place.line - 1).unwrap_or("");
        let line = line.trim();
        self.out
            .problems
            .insert(format!("{place}: {why}: `{line}`"));
    }

    /// Tokens of a macro that does not parse as expressions: a literal shaped like a code in
    /// them may be a code the walk cannot see.
    fn opaque_tokens(&mut self, tokens: proc_macro2::TokenStream) {
        for token in tokens {
            match token {
                proc_macro2::TokenTree::Group(group) => self.opaque_tokens(group.stream()),
                proc_macro2::TokenTree::Literal(literal) => {
                    let text = literal.to_string();
                    let unquoted = text.trim_matches('"');
                    if text.starts_with('"') && super::is_code_shaped(unquoted) {
                        let place = self.place(literal.span());
                        self.problem(&place, "a code-shaped literal inside a macro");
                    }
                }
                _ => {}
            }
        }
    }

    /// The code argument positions of a call `f(…)` or `Type::f(…)`.
    fn call_positions(&mut self, call: &syn::ExprCall) -> BTreeSet<usize> {
        let syn::Expr::Path(path) = &*call.func else {
            return BTreeSet::new();
        };
        let segments: Vec<String> = path
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        if let [name] = segments.as_slice()
            && let Some(binding) = lookup(&self.scope, name)
        {
            return self.local_positions(&binding.origin);
        }
        let name = segments.last().cloned().unwrap_or_default();
        let owner = match segments.len().checked_sub(2).map(|i| segments[i].as_str()) {
            Some("Self") => self.owner.clone(),
            Some(owner) if owner.starts_with(char::is_uppercase) => Some(owner.to_owned()),
            _ => None,
        };
        self.known.positions(&Callable::Fn(FnName { owner, name }))
    }

    /// The code argument positions of a local name that is called: a closure bound by `let`, or
    /// an argument declared `impl FnMut(&'static str, …)`.
    fn local_positions(&self, origin: &Origin) -> BTreeSet<usize> {
        match origin {
            Origin::Value { expr, proj, .. } if proj.is_empty() => match &**expr {
                syn::Expr::Closure(closure) => self.known.positions(&self.closure(closure)),
                _ => BTreeSet::new(),
            },
            Origin::Param { ty: Some(ty), .. } => fn_trait_code_positions(ty),
            _ => BTreeSet::new(),
        }
    }

    /// The code argument positions of a method call: of the receiver's type when it is known,
    /// else of every method of that name and arity, which must agree.
    fn method_positions(&mut self, call: &syn::ExprMethodCall) -> BTreeSet<usize> {
        let name = call.method.to_string();
        if let Some(owner) = self.type_of(&call.receiver) {
            let callable = Callable::Fn(FnName {
                owner: Some(owner),
                name,
            });
            return self.known.positions(&callable);
        }
        let candidates = self.index.methods.get(&name).into_iter().flatten();
        let mut answers = candidates
            .filter(|(_, arity)| *arity == call.args.len())
            .map(|(fn_name, _)| self.known.positions(&Callable::Fn(fn_name.clone())))
            .collect::<BTreeSet<_>>();
        match answers.len() {
            0 => BTreeSet::new(),
            1 => answers.pop_first().unwrap_or_default(),
            _ => {
                let place = self.place(call.method.span());
                self.problem(&place, "the receiver's type is unknown and methods of this name take codes at different positions");
                BTreeSet::new()
            }
        }
    }

    /// Whether `base.member` is a code field: of `base`'s type when it is known, else of every
    /// struct that has a field of that name.
    fn is_code_field(&self, base: &syn::Expr, member: &str) -> bool {
        if !self.known.fields.contains(member) {
            return false;
        }
        match self.type_of(base) {
            Some(owner) => self.index.is_static_str_field(&owner, member),
            None => self.index.only_static_str_fields(member),
        }
    }

    /// The type of a method receiver, as far as the walk can tell.
    fn type_of(&self, expr: &syn::Expr) -> Option<String> {
        match expr {
            syn::Expr::Path(path) if path.path.is_ident("self") => self.owner.clone(),
            syn::Expr::Path(path) => {
                let binding = lookup(&self.scope, &path.path.get_ident()?.to_string())?;
                match &binding.origin {
                    Origin::Param { ty: Some(ty), .. } | Origin::Value { ty: Some(ty), .. } => {
                        type_name(ty)
                    }
                    Origin::Value { expr, proj, .. } if proj.is_empty() => constructed_type(expr),
                    _ => None,
                }
            }
            syn::Expr::Field(field) => {
                let owner = self.type_of(&field.base)?;
                let syn::Member::Named(member) = &field.member else {
                    return None;
                };
                let fields = self.index.structs.get(&owner)?;
                type_name(fields.get(&member.to_string())?)
            }
            syn::Expr::Paren(inner) => self.type_of(&inner.expr),
            syn::Expr::Reference(inner) => self.type_of(&inner.expr),
            _ => None,
        }
    }

    /// Records what the code argument `arg` holds.
    fn code_at(&mut self, arg: &syn::Expr) {
        let scope = self.scope.clone();
        for outcome in self.resolve(arg, &[], &scope, 0) {
            match outcome {
                Outcome::Code(code, place) => {
                    self.out.codes.entry(code).or_default().insert(place);
                }
                Outcome::Param(callable, index) => {
                    if !self.known.params.contains(&(callable.clone(), index)) {
                        self.out.learned.params.insert((callable, index));
                    }
                }
                Outcome::Field(field) => {
                    self.out.learned.fields.insert(field);
                }
                Outcome::Unknown(place, why) => self.problem(&place, why),
            }
        }
    }

    /// The values `expr` (read in `scope`, then projected by `proj`) can have.
    fn resolve(&self, expr: &syn::Expr, proj: &[Proj], scope: &Scope, depth: u8) -> Vec<Outcome> {
        let place = self.place(expr.span());
        if depth > 32 {
            return vec![Outcome::Unknown(
                place,
                "the code is bound too deep to follow",
            )];
        }
        let deeper = |e: &syn::Expr, p: &[Proj]| self.resolve(e, p, scope, depth + 1);
        match (expr, proj.split_first()) {
            (syn::Expr::Lit(lit), None) => match &lit.lit {
                syn::Lit::Str(s) => vec![Outcome::Code(s.value(), place)],
                _ => vec![Outcome::Unknown(place, "a literal that is not a string")],
            },
            (syn::Expr::Reference(e), _) => deeper(&e.expr, proj),
            (syn::Expr::Paren(e), _) => deeper(&e.expr, proj),
            (syn::Expr::Group(e), _) => deeper(&e.expr, proj),
            (syn::Expr::Block(e), _) => tail(&e.block).map_or_else(Vec::new, |t| deeper(t, proj)),
            (syn::Expr::If(e), _) => {
                let mut out = tail(&e.then_branch).map_or_else(Vec::new, |t| deeper(t, proj));
                if let Some((_, other)) = &e.else_branch {
                    out.extend(deeper(other, proj));
                }
                out
            }
            (syn::Expr::Match(e), _) => e.arms.iter().flat_map(|a| deeper(&a.body, proj)).collect(),
            (syn::Expr::Tuple(e), Some((Proj::Tuple(i), rest))) => e
                .elems
                .iter()
                .nth(*i)
                .map_or_else(Vec::new, |x| deeper(x, rest)),
            (syn::Expr::Array(e), Some((Proj::Elem, rest))) => {
                e.elems.iter().flat_map(|x| deeper(x, rest)).collect()
            }
            (syn::Expr::Macro(e), Some((Proj::Elem, rest))) if e.mac.path.is_ident("vec") => {
                let parser = Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
                match e.mac.parse_body_with(parser) {
                    Ok(elems) => elems.iter().flat_map(|x| deeper(x, rest)).collect(),
                    Err(_) => vec![Outcome::Unknown(place, "a vec! that is not a list")],
                }
            }
            (syn::Expr::MethodCall(e), Some((Proj::Elem, _)))
                if ["iter", "into_iter", "copied", "cloned"].contains(&&*e.method.to_string()) =>
            {
                deeper(&e.receiver, proj)
            }
            (syn::Expr::Call(e), Some((Proj::Variant(i), rest))) if is_constructor(&e.func) => e
                .args
                .iter()
                .nth(*i)
                .map_or_else(Vec::new, |x| deeper(x, rest)),
            (syn::Expr::Struct(e), Some((Proj::Field(name), rest))) => e
                .fields
                .iter()
                .filter(|f| matches!(&f.member, syn::Member::Named(m) if m == name))
                .flat_map(|f| deeper(&f.expr, rest))
                .collect(),
            (syn::Expr::Path(path), _) => self.resolve_path(path, proj, scope, depth),
            (syn::Expr::Field(field), _) => self.resolve_field(field, proj, scope, depth),
            _ => vec![Outcome::Unknown(
                place,
                "a code argument the walk cannot follow",
            )],
        }
    }

    /// A name: a local binding, else a constant.
    fn resolve_path(
        &self,
        path: &syn::ExprPath,
        proj: &[Proj],
        scope: &Scope,
        depth: u8,
    ) -> Vec<Outcome> {
        let place = self.place(path.span());
        let local = path
            .path
            .get_ident()
            .and_then(|i| lookup(scope, &i.to_string()));
        match local.map(|b| &b.origin) {
            Some(Origin::Value {
                expr,
                proj: taken,
                scope,
                ..
            }) => {
                let proj: Vec<Proj> = taken.iter().chain(proj).cloned().collect();
                self.resolve(expr, &proj, scope, depth + 1)
            }
            Some(Origin::Param {
                callable, index, ..
            }) if proj.is_empty() => vec![Outcome::Param(callable.clone(), *index)],
            Some(_) => vec![Outcome::Unknown(
                place,
                "a name bound in a way the walk cannot follow",
            )],
            // A variant without fields (`None`) holds nothing to take a field from.
            None if matches!(proj.first(), Some(Proj::Variant(_)))
                && is_constructor_path(&path.path) =>
            {
                vec![]
            }
            None => {
                let name = path.path.segments.last().map(|s| s.ident.to_string());
                let consts = name.and_then(|n| self.index.consts.get(&n));
                match consts {
                    Some(values) => values
                        .iter()
                        .flat_map(|v| self.resolve(v, proj, &None, depth + 1))
                        .collect(),
                    None => vec![Outcome::Unknown(
                        place,
                        "a name that is neither local nor a constant",
                    )],
                }
            }
        }
    }

    /// `x.field` (a code field: the struct literals that set it are followed) or `x.0`.
    fn resolve_field(
        &self,
        field: &syn::ExprField,
        proj: &[Proj],
        scope: &Scope,
        depth: u8,
    ) -> Vec<Outcome> {
        let place = self.place(field.span());
        match &field.member {
            syn::Member::Unnamed(i) => {
                let proj: Vec<Proj> = [Proj::Tuple(i.index as usize)]
                    .into_iter()
                    .chain(proj.iter().cloned())
                    .collect();
                self.resolve(&field.base, &proj, scope, depth + 1)
            }
            syn::Member::Named(name)
                if proj.is_empty() && self.index.has_static_str_field(&name.to_string()) =>
            {
                vec![Outcome::Field(name.to_string())]
            }
            syn::Member::Named(_) => {
                vec![Outcome::Unknown(
                    place,
                    "a field that is not a `&'static str`",
                )]
            }
        }
    }
}

/// The value of a block: its last expression without a semicolon.
fn tail(block: &syn::Block) -> Option<&syn::Expr> {
    match block.stmts.last()? {
        syn::Stmt::Expr(expr, None) => Some(expr),
        _ => None,
    }
}

/// The type an expression builds: `Type { … }`, `Type::new(…)`, `Type::default()`.
fn constructed_type(expr: &syn::Expr) -> Option<String> {
    let path = match expr {
        syn::Expr::Struct(e) => return e.path.segments.last().map(|s| s.ident.to_string()),
        syn::Expr::Call(call) => match &*call.func {
            syn::Expr::Path(p) => &p.path,
            _ => return None,
        },
        _ => return None,
    };
    let segments: Vec<_> = path.segments.iter().collect();
    let owner = segments
        .len()
        .checked_sub(2)
        .map(|i| segments[i].ident.to_string())?;
    owner.starts_with(char::is_uppercase).then_some(owner)
}

/// `Some`, `Ok`, `Type::Variant`: a path whose last segment starts upper-case.
fn is_constructor_path(path: &syn::Path) -> bool {
    path.segments
        .last()
        .is_some_and(|s| s.ident.to_string().starts_with(char::is_uppercase))
}

fn is_constructor(func: &syn::Expr) -> bool {
    matches!(func, syn::Expr::Path(p) if is_constructor_path(&p.path))
}

/// The `&'static str` argument positions of `impl FnMut(…)` (also `&mut impl`, `dyn`).
fn fn_trait_code_positions(ty: &syn::Type) -> BTreeSet<usize> {
    let bounds = match ty {
        syn::Type::Reference(r) => return fn_trait_code_positions(&r.elem),
        syn::Type::ImplTrait(t) => &t.bounds,
        syn::Type::TraitObject(t) => &t.bounds,
        _ => return BTreeSet::new(),
    };
    let mut positions = BTreeSet::new();
    for bound in bounds {
        let syn::TypeParamBound::Trait(bound) = bound else {
            continue;
        };
        let Some(last) = bound.path.segments.last() else {
            continue;
        };
        if let syn::PathArguments::Parenthesized(args) = &last.arguments {
            let codes = args.inputs.iter().enumerate();
            positions.extend(
                codes
                    .filter(|(_, t)| super::index::is_static_str(t))
                    .map(|(i, _)| i),
            );
        }
    }
    positions
}
