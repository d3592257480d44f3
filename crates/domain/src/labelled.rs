//! Enums stored by their glossary identifier and shown by their Chinese label.
//! `parse` accepts either, so sheets typed by hand ("正式党员") and API calls ("full") both work.

#[macro_export]
macro_rules! labelled_enum {
    ($(#[$m:meta])* $name:ident, $field:literal, $what:literal { $($var:ident = $code:literal, $label:literal $(| $alias:literal)*;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($var),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            pub fn code(self) -> &'static str {
                match self { $($name::$var => $code),+ }
            }
            pub fn label(self) -> &'static str {
                match self { $($name::$var => $label),+ }
            }
            pub fn parse(s: &str) -> Result<Self, $crate::DomainError> {
                let t = s.trim();
                $( if t == $code || t == $label $(|| t == $alias)* { return Ok($name::$var); } )+
                let labels: Vec<&str> = Self::ALL.iter().map(|v| v.label()).collect();
                Err($crate::DomainError::field($field, format!("{}“{}”无效，可选：{}", $what, t, labels.join("、"))))
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.label()) }
        }
    };
}
