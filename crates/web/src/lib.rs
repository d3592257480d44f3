//! dangwu web layer.
