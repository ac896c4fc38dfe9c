//! What the walk needs to know about the whole crate before it starts: struct fields and their
//! types, constants, and which functions are methods with how many arguments.

use std::collections::HashMap;

use syn::visit::{self, Visit};

use super::tree::SourceFile;

/// A function or method, as calls name it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FnName {
    /// The type of the `impl` block, `None` for a free function.
    pub owner: Option<String>,
    /// The function's name.
    pub name: String,
}

/// Crate-wide facts.
#[derive(Default)]
pub struct Index {
    /// Struct name → field name → field type.
    pub structs: HashMap<String, HashMap<String, syn::Type>>,
    /// Constant or static name → its value (every item of that name).
    pub consts: HashMap<String, Vec<syn::Expr>>,
    /// Method name → (owner, number of arguments besides `self`) of every method of that name.
    pub methods: HashMap<String, Vec<(FnName, usize)>>,
}

impl Index {
    /// Indexes every file.
    pub fn new(files: &[SourceFile]) -> Self {
        let mut collector = Collector {
            index: Index::default(),
            owner: None,
        };
        for file in files {
            collector.visit_file(&file.ast);
        }
        collector.index
    }

    /// Whether some struct has a field `name` of type `&'static str`.
    pub fn has_static_str_field(&self, name: &str) -> bool {
        self.structs
            .values()
            .any(|fields| fields.get(name).is_some_and(is_static_str))
    }

    /// Whether every struct with a field `name` has it as `&'static str` (and one has).
    pub fn only_static_str_fields(&self, name: &str) -> bool {
        let mut types = self.structs.values().filter_map(|fields| fields.get(name));
        let first = types.next();
        first.is_some_and(is_static_str) && types.all(is_static_str)
    }

    /// Whether struct `owner` has a field `name` of type `&'static str`.
    pub fn is_static_str_field(&self, owner: &str, name: &str) -> bool {
        self.structs
            .get(owner)
            .and_then(|fields| fields.get(name))
            .is_some_and(is_static_str)
    }
}

/// `&'static str`.
pub fn is_static_str(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(r) => {
            r.lifetime.as_ref().is_some_and(|l| l.ident == "static")
                && matches!(&*r.elem, syn::Type::Path(p) if p.path.is_ident("str"))
        }
        syn::Type::Paren(p) => is_static_str(&p.elem),
        _ => false,
    }
}

/// The name of a type as the index knows it: the last path segment, references stripped.
pub fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Reference(r) => type_name(&r.elem),
        syn::Type::Paren(p) => type_name(&p.elem),
        syn::Type::Group(g) => type_name(&g.elem),
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

struct Collector {
    index: Index,
    owner: Option<String>,
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
        let fields = item
            .fields
            .iter()
            .filter_map(|f| Some((f.ident.as_ref()?.to_string(), f.ty.clone())))
            .collect();
        self.index.structs.insert(item.ident.to_string(), fields);
    }

    fn visit_item_const(&mut self, item: &'ast syn::ItemConst) {
        self.add_const(&item.ident, &item.expr);
    }

    fn visit_item_static(&mut self, item: &'ast syn::ItemStatic) {
        self.add_const(&item.ident, &item.expr);
    }

    fn visit_impl_item_const(&mut self, item: &'ast syn::ImplItemConst) {
        self.add_const(&item.ident, &item.expr);
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        let outer = self
            .owner
            .replace(type_name(&item.self_ty).unwrap_or_default());
        visit::visit_item_impl(self, item);
        self.owner = outer;
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        if item.sig.receiver().is_some() {
            let name = FnName {
                owner: self.owner.clone(),
                name: item.sig.ident.to_string(),
            };
            let arity = item.sig.inputs.len() - 1;
            let entry = self.index.methods.entry(name.name.clone());
            entry.or_default().push((name, arity));
        }
        visit::visit_impl_item_fn(self, item);
    }
}

impl Collector {
    fn add_const(&mut self, ident: &syn::Ident, expr: &syn::Expr) {
        let entry = self.index.consts.entry(ident.to_string());
        entry.or_default().push(expr.clone());
    }
}
