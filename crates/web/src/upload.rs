//! Reading a multipart upload form: text fields plus one file, stopping (and flagging) once the
//! file passes the size limit so an oversized upload is refused without being held in memory.

use axum::extract::multipart::{Multipart, MultipartError};
use axum::http::StatusCode;
use std::collections::HashMap;

use crate::WebError;

#[derive(Debug, Default)]
pub struct Upload {
    fields: HashMap<String, String>,
    pub filename: String,
    pub file: Vec<u8>,
    pub too_big: bool,
}

impl Upload {
    /// A text field ("" when absent).
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }
    /// Multipart bodies bypass `CsrfForm`, so callers check the token with this first.
    pub fn csrf_ok(&self, expected: &str) -> bool {
        crate::csrf::matches(self.field("csrf_token"), expected)
    }
}

pub fn read_error(e: MultipartError) -> WebError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "上传的文件过大")
    } else {
        WebError::bad_request("file", format!("上传内容不完整或无法识别，请重新选择文件上传（{}）", e.body_text()))
    }
}

/// Reads every field; the part named `file` is the file.
pub async fn read_upload(mut mp: Multipart, max: usize) -> Result<Upload, WebError> {
    let mut u = Upload::default();
    loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return Ok(u),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                u.too_big = true;
                return Ok(u);
            }
            Err(e) => return Err(read_error(e)),
        };
        let name = field.name().unwrap_or("").to_owned();
        if name != "file" {
            let text = field.text().await.map_err(read_error)?;
            u.fields.insert(name, text);
            continue;
        }
        u.filename = field.file_name().unwrap_or("").to_owned();
        loop {
            match field.chunk().await {
                Ok(Some(c)) if u.file.len() + c.len() > max => {
                    u.too_big = true;
                    return Ok(u);
                }
                Ok(Some(c)) => u.file.extend_from_slice(&c),
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    u.too_big = true;
                    return Ok(u);
                }
                Err(e) => return Err(read_error(e)),
            }
        }
    }
}
