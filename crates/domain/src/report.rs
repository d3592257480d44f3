//! Reports: templates (text files, shipped defaults plus deployment overrides) rendered over the
//! facts of an org subtree and a period into a document model with provenance.

pub mod format;
pub mod render;
pub mod template;

pub use render::{Block, Document, Lead, LeadKind, Span, markdown, plain, render};
pub use template::{Template, TemplateError, parse};

/// A loaded template: its name, text and the SM3 digest of the text (its version).
#[derive(Debug, Clone)]
pub struct LoadedTemplate {
    pub name: String,
    pub label: String,
    pub text: String,
    pub version: String,
    /// Shipped, or from the deployment's override directory.
    pub overridden: bool,
    pub template: Template,
}

/// The shipped templates: (name, label, text).
pub const SHIPPED: &[(&str, &str, &str)] = &[
    ("quarterly", "季度党建工作汇报", include_str!("../../../rulebook/templates/quarterly.tpl")),
    ("summary", "半年/年度党建工作总结", include_str!("../../../rulebook/templates/summary.tpl")),
    ("rectification", "整改情况报告", include_str!("../../../rulebook/templates/rectification.tpl")),
];

/// The templates in force.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    pub list: Vec<LoadedTemplate>,
}

impl Templates {
    /// The shipped templates with the deployment's overrides (name → text) put in their place.
    /// Every template is parsed and checked against the fact catalogue: a broken one is an error
    /// naming the template, the line and the fact, never a silent fall-back to the shipped text.
    /// An override with a new name adds a template.
    pub fn load(overrides: &[(String, String)], known: impl Fn(&str) -> bool) -> Result<Self, TemplateError> {
        let mut list = Vec::new();
        let mut add = |name: &str, label: &str, text: &str, overridden: bool| -> Result<(), TemplateError> {
            let template = parse(text).and_then(|t| t.check(&known).map(|_| t)).map_err(|e| e.named(&format!("{name}.tpl")))?;
            list.retain(|t: &LoadedTemplate| t.name != name);
            list.push(LoadedTemplate {
                name: name.to_owned(),
                label: label.to_owned(),
                text: text.to_owned(),
                version: crate::crypto::sm3_hex(text.as_bytes()),
                overridden,
                template,
            });
            Ok(())
        };
        for (name, label, text) in SHIPPED {
            if !overrides.iter().any(|(n, _)| n.as_str() == *name) {
                add(name, label, text, false)?;
            }
        }
        for (name, text) in overrides {
            let label = SHIPPED.iter().find(|(n, _, _)| *n == name.as_str()).map(|(_, l, _)| *l).unwrap_or(name.as_str());
            add(name, label, text, true)?;
        }
        Ok(Templates { list })
    }

    pub fn get(&self, name: &str) -> Option<&LoadedTemplate> {
        self.list.iter().find(|t| t.name == name)
    }
}

#[cfg(test)]
mod tests;
