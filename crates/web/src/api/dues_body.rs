//! What the dues endpoints accept: the payment body, with amounts as text or JSON numbers and
//! months as text or a list; the store's `PaymentForm` checks every field.

use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;

/// 登记党费交纳的请求体：一次可交多个月（如按季度交纳），全部通过校验才写入
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(as = DuesPaymentInput)]
pub struct PaymentBody {
    /// 党员编号（必填）
    #[schema(required = true, format = "uuid")]
    pub member_id: Option<String>,
    /// 所属月份（必填）：文本 `"2022-01,2022-02"`、`"2022Q1"`，或数组 `["2022-01", "2022-02"]`
    #[serde(default, deserialize_with = "text_or_list")]
    #[schema(required = true, value_type = String, example = "2022-01,2022-02")]
    pub months: Option<String>,
    /// 每月金额（元，文本或数字）；不填则按核定的月交纳额
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = Option<String>, example = "76.50")]
    pub amount: Option<String>,
    /// 自愿多交金额（元）；单笔1000元以上的须全额上缴中央
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = Option<String>)]
    pub voluntary: Option<String>,
    /// 交纳日期（默认今天）
    #[schema(format = Date, example = "2022-03-15")]
    pub paid_on: Option<String>,
    /// `self`（本人，默认）或 `proxy`（委托代交）
    pub payer: Option<String>,
    /// 代交人姓名（委托代交时必填）
    pub payer_name: Option<String>,
    /// 交纳方式：`cash`（默认）、`transfer`、`wechat`、`alipay`、`online`、`other`
    pub method: Option<String>,
    /// 收据号
    pub receipt_no: Option<String>,
}

impl From<PaymentBody> for dangwu_store::dues::PaymentForm {
    fn from(b: PaymentBody) -> Self {
        let s = |v: Option<String>| v.unwrap_or_default();
        dangwu_store::dues::PaymentForm {
            member_id: s(b.member_id),
            months: s(b.months),
            amount: s(b.amount),
            voluntary: s(b.voluntary),
            paid_on: s(b.paid_on),
            payer: s(b.payer),
            payer_name: s(b.payer_name),
            method: s(b.method),
            receipt_no: s(b.receipt_no),
        }
    }
}

/// Text or a JSON number as its text; `null` is none.
fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum TextOrNumber {
        Text(String),
        Number(serde_json::Number),
    }
    Ok(Option::<TextOrNumber>::deserialize(d)?.map(|v| match v {
        TextOrNumber::Text(s) => s,
        TextOrNumber::Number(n) => n.to_string(),
    }))
}

/// Text, or a list of texts joined with commas; `null` is none.
fn text_or_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum TextOrList {
        Text(String),
        List(Vec<String>),
    }
    Ok(Option::<TextOrList>::deserialize(d)?.map(|v| match v {
        TextOrList::Text(s) => s,
        TextOrList::List(l) => l.join(","),
    }))
}
