//! The refund form on an order's page: all or part of one payment, with a
//! reason, by an owner or a manager (cashiers do not use the admin; at a
//! till they refund with a manager's approval). The refunds domain decides
//! (limits under a row lock, audit, events, the gateway for QRIS); this
//! module reads the form, calls it and shows its answer.
//!
//! The form carries its `client_refund_id` from the moment it is shown, so
//! a double submit or a retry after a lost answer replays the same refund
//! instead of refunding twice.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode};
use pos_backend::{
    Error,
    payments::refunds::{GatewayAnswer, Outcome, refund_payment},
};
use pos_wire::{CreateRefund, problem::Code};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    csrf::AdminForm,
    error::{AdminError, parse_id},
    fields::FormErrors,
    htmx,
    i18n::Tr,
    money::{format_money, parse_money},
    order_detail::{OrderDetail, load},
    order_money::order_of_payment,
    problem_text::refusal_message,
    render::render_with_status,
    session::state_of,
};

/// The refund form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RefundForm {
    pub client_refund_id: String,
    pub amount: String,
    pub reason: String,
}

/// A payment's refund form as the page shows it.
#[derive(Debug, Clone)]
pub struct RefundFormView {
    pub form: RefundForm,
    pub errors: FormErrors,
    /// Open after a refused post.
    pub open: bool,
}

impl RefundFormView {
    /// An empty form with a new refund id.
    pub fn fresh(tr: Tr) -> RefundFormView {
        let form = RefundForm { client_refund_id: Uuid::now_v7().to_string(), ..RefundForm::default() };
        RefundFormView { form, errors: FormErrors::new(tr), open: false }
    }

    /// The form as posted (same refund id), with its errors.
    pub fn posted(form: RefundForm, errors: FormErrors) -> RefundFormView {
        RefundFormView { form, errors, open: true }
    }

    pub fn other_errors(&self) -> Vec<&String> {
        self.errors.others(&["amount", "reason"])
    }
}

/// The domain's refusals of the refund's fields, under the form's fields;
/// "more than is left" names the amount in money.
fn domain_errors(errors: &mut FormErrors, refused: pos_backend::error::FieldErrors, currency: &str, tr: Tr) {
    let mut rest = pos_backend::error::FieldErrors::new();
    for (field, list) in refused.0 {
        for e in list {
            match (field.as_str(), e.code) {
                ("amount_minor", Code::RefundExceedsPayment) => {
                    let max = e.params.get("max").and_then(serde_json::Value::as_i64).unwrap_or(0);
                    errors.add_text(
                        "amount",
                        format!("{} {}", tr.t("orders.refund_at_most"), format_money(max, currency, tr)),
                    );
                }
                _ => rest.add(&field, e),
            }
        }
    }
    errors.merge(rest);
    errors.rename("amount_minor", "amount");
}

/// Which notice the page shows after the refund went through (or not).
fn notice_of(answer: &GatewayAnswer) -> &'static str {
    match answer {
        GatewayAnswer::Succeeded => "refund_recorded",
        GatewayAnswer::Pending => "refund_pending",
        GatewayAnswer::Unavailable(_) => "refund_gateway_unavailable",
        GatewayAnswer::Refused(_) => "refund_refused",
    }
}

/// `POST /admin/payments/{id}/refunds`.
pub async fn create(
    req: HttpRequest,
    AdminForm { tx, actor, ctx, form }: AdminForm<RefundForm>,
    id: actix_web::web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let state = state_of(&req)?;
    let payment_id = parse_id(&id)?;
    let order_id = order_of_payment(&tx, payment_id).await?.ok_or_else(AdminError::not_found)?;
    // The page as it stands, shown again with the form's errors if refused
    // (read first: a refusal may leave the transaction unusable).
    let body = load(&tx, &actor, &ctx, order_id).await?;
    let client_refund_id = Uuid::parse_str(form.client_refund_id.trim()).map_err(|_| AdminError::bad_request())?;
    let mut errors = FormErrors::new(ctx.tr);
    let amount = match parse_money(&form.amount, &body.currency, false) {
        Ok(minor) if minor > 0 => Some(minor),
        Ok(_) => {
            errors.add_key("amount", "orders.refund_positive");
            None
        }
        Err(key) => {
            errors.add_key("amount", key);
            None
        }
    };
    if form.reason.trim().is_empty() {
        errors.add_key("reason", "field.required");
    }
    // The page again with the form as posted; a payment that offers no
    // refund form (pending, or nothing left) gets a page saying why.
    let refused = |mut body: crate::order_detail::DetailBody,
                   errors: FormErrors,
                   status: StatusCode,
                   why: Option<crate::problem_text::Refusal>| {
        if !body.reopen_refund(payment_id, form.clone(), errors) {
            return Err(AdminError::Page { status: StatusCode::CONFLICT, message: "error.conflict", detail: why });
        }
        render_with_status(&OrderDetail { ctx: ctx.clone().at("orders"), b: body }, status)
    };
    let Some(amount_minor) = amount.filter(|_| errors.is_empty()) else {
        return refused(body, errors, StatusCode::UNPROCESSABLE_ENTITY, None);
    };
    let request =
        CreateRefund { client_refund_id, amount_minor, reason: form.reason.clone(), approval: None, restock: false };
    let notice = match refund_payment(&state, tx, &actor, payment_id, &request).await {
        Ok(Outcome::Done { .. }) => "refund_recorded",
        Ok(Outcome::Refused) => "refund_refused",
        Ok(Outcome::AskedGateway { answer, .. }) => notice_of(&answer),
        Err(Error::Validation(fields)) => {
            domain_errors(&mut errors, fields, &body.currency, ctx.tr);
            return refused(body, errors, StatusCode::UNPROCESSABLE_ENTITY, None);
        }
        Err(Error::Conflict(detail)) => {
            errors.add_text("refund", refusal_message(ctx.tr, &detail));
            return refused(body, errors, StatusCode::CONFLICT, Some(detail));
        }
        Err(e) => return Err(e.into()),
    };
    Ok(htmx::see_other(&format!("/admin/orders/{order_id}?notice={notice}")))
}
