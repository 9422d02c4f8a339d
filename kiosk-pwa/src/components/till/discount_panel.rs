//! A discount at the till: on the whole order or one line, a percentage or
//! an amount, with a reason. Above the outlet's limit a manager picks their
//! name and types their PIN on the spot. The server computes the discount
//! and the new totals; the till shows its answer.
//!
//! Offline, a new sale (not yet on the server) is discounted on the till:
//! on the whole order, priced with the server's own function
//! (`pos_wire::discounted_order`), asking for a manager by the server's rule
//! (`pos_wire::above_limit`). The till cannot check a manager's PIN (it
//! keeps none): it seals it to the server's key (`offline_approval`), and
//! the discount rides in the queue after its order; the server checks the
//! PIN at replay. An order already on the server is discounted online only.

use leptos::{ev, prelude::*};
use pos_wire::{
    Approval, ApprovalSeal, CreateDiscount, DiscountKind, DiscountTerms, Locale, Order, PairedDevice, QueuedDiscount,
    TillStaff, above_limit, discount_amounts, problem::Code,
};
use uuid::Uuid;

use crate::{
    api::{self, ApiError},
    clock,
    components::kiosk::DigitKeys,
    locale::use_locale,
    money::format_money,
    offline_approval,
};

/// A new sale not yet on the server, which the till discounts itself while offline.
#[derive(Debug, Clone, Copy)]
pub struct OfflineSale {
    /// The id the sale's order will be sent under (a sealed PIN names it).
    pub client_order_id: Signal<Uuid>,
    /// The cart's item sales.
    pub subtotal: Signal<i64>,
    /// The outlet's `discount_limit_bp`.
    pub limit_bp: Signal<i32>,
    /// The discounts given so far, sent with the order.
    pub discounts: RwSignal<Vec<QueuedDiscount>>,
}

impl OfflineSale {
    /// What the discounts take off the cart, in all.
    pub fn discount_minor(&self) -> i64 {
        let lines = [(Uuid::nil(), self.subtotal.get())];
        self.discounts
            .with(|d| discount_amounts(&lines, &d.iter().map(QueuedDiscount::terms).collect::<Vec<_>>()))
            .iter()
            .sum()
    }

    /// Whether `terms`, after those given, needs a manager.
    fn needs_manager(&self, terms: DiscountTerms) -> bool {
        let subtotal = self.subtotal.get_untracked();
        let lines = [(Uuid::nil(), subtotal)];
        let mut all: Vec<DiscountTerms> =
            self.discounts.with_untracked(|d| d.iter().map(QueuedDiscount::terms).collect());
        let before: i64 = discount_amounts(&lines, &all).iter().sum();
        all.push(terms);
        let after = discount_amounts(&lines, &all);
        let amount = after.last().copied().unwrap_or(0);
        above_limit(&terms, amount, subtotal - before, after.iter().sum(), subtotal, self.limit_bp.get_untracked())
    }
}

fn w(locale: Locale, id: &'static str, en: &'static str) -> &'static str {
    match locale {
        Locale::Id => id,
        Locale::En => en,
    }
}

/// A percentage as typed ("10", "12,5") in basis points.
pub fn percent_bp(text: &str) -> Option<i64> {
    let value: f64 = text.trim().replace(',', ".").parse().ok()?;
    (value > 0.0 && value <= 100.0).then(|| (value * 100.0).round() as i64)
}

fn amount_of(text: &str) -> Option<i64> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|v| *v > 0)
}

/// The discount button and form of the bill being paid. `order` is the
/// bill on the server (none yet for a new sale: `on_need_order` places it
/// first); `on_discounted` gets the order as the server priced it.
#[component]
pub fn DiscountPanel(
    open: RwSignal<bool>,
    #[prop(into)] order: Signal<Option<Order>>,
    #[prop(into)] currency: Signal<String>,
    #[prop(into)] online: Signal<bool>,
    /// Whether tenders were taken already (then no discount: they were for the old total).
    #[prop(into)]
    paying: Signal<bool>,
    till: PairedDevice,
    me: Callback<(), Option<PairedDevice>>,
    on_need_order: Callback<()>,
    on_discounted: Callback<Order>,
    /// A new sale, discounted on the till while offline.
    #[prop(optional)]
    offline_sale: Option<OfflineSale>,
) -> impl IntoView {
    let locale = use_locale();
    let line = RwSignal::new(None::<Uuid>);
    let kind = RwSignal::new(DiscountKind::Percent);
    let value = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let approvers = RwSignal::new(None::<Vec<TillStaff>>);
    let approver = RwSignal::new(None::<Uuid>);
    let pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // One key per discount, kept across the manager's tries (the server
    // keys the discount by it; the PIN is not part of what it compares).
    let key = RwSignal::new(Uuid::now_v7());
    let till = StoredValue::new(till);
    let money = move |minor: i64| format_money(minor, &currency.get());

    // Discounted on the till itself: offline, a sale not on the server yet.
    let local = move || offline_sale.filter(|_| !online.get() && order.with(Option::is_none));
    let start = move |_| {
        error.set(None);
        if order.with_untracked(Option::is_none) && online.get_untracked() {
            on_need_order.run(());
        }
        open.set(true);
    };
    let ask_manager = move || {
        if !online.get_untracked() {
            let known = offline_approval::stored_approvers();
            if known.is_empty() {
                let l = locale.get_untracked();
                error.set(Some(
                    w(
                        l,
                        "Belum ada manajer tersimpan di kasir ini: perlu jaringan sekali.",
                        "No manager is known on this till yet: it needs the network once.",
                    )
                    .into(),
                ));
            }
            approvers.set(Some(known));
            return;
        }
        let till = till.get_value();
        leptos::task::spawn_local(async move {
            match api::till_staff(&till).await {
                Ok(staff) => {
                    offline_approval::remember_approvers(&staff);
                    approvers.set(Some(offline_approval::stored_approvers()));
                }
                Err(e) => error.set(Some(e.message(locale.get_untracked()))),
            }
        });
    };
    let done = move || {
        open.set(false);
        approvers.set(None);
        approver.set(None);
        pin.set(String::new());
        key.set(Uuid::now_v7());
    };
    let above_limit_message = move |l: Locale| {
        w(l, "Di atas batas outlet: perlu PIN manajer.", "Above the outlet's limit: a manager's PIN is needed.")
    };
    // Offline: the discount is kept with the sale; a manager's PIN is sealed for the server.
    let give_offline = move |sale: OfflineSale, me: PairedDevice, body: CreateDiscount| {
        let l = locale.get_untracked();
        let terms = DiscountTerms { line_id: None, kind: body.kind, value: body.value };
        let needs_manager = sale.needs_manager(terms);
        if needs_manager && body.approval.is_none() {
            error.set(Some(above_limit_message(l).into()));
            ask_manager();
            return;
        }
        let server_key = offline_approval::stored_key();
        if needs_manager && server_key.is_none() {
            error.set(Some(
                w(
                    l,
                    "Kasir ini belum punya kunci server: persetujuan manajer perlu jaringan sekali.",
                    "This till has no server key yet: a manager's approval needs the network once.",
                )
                .into(),
            ));
            return;
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let sealed = match (needs_manager, body.approval, server_key) {
                (true, Some(approval), Some(server_key)) => {
                    let content = ApprovalSeal {
                        approver_id: approval.approver_id,
                        pin: approval.pin,
                        client_discount_id: body.client_discount_id,
                        client_order_id: sale.client_order_id.get_untracked(),
                        outlet_id: me.outlet_id,
                        sealed_at: clock::utc_of(clock::now_ms()),
                    };
                    match offline_approval::seal(&server_key, &content).await {
                        Ok(sealed) => Some(sealed),
                        Err(e) => {
                            error.set(Some(e));
                            busy.set(false);
                            return;
                        }
                    }
                }
                _ => None,
            };
            sale.discounts.update(|d| {
                d.push(QueuedDiscount {
                    client_discount_id: body.client_discount_id,
                    kind: body.kind,
                    value: body.value,
                    reason: body.reason,
                    sealed_approval: sealed,
                })
            });
            done();
            busy.set(false);
        });
    };
    let apply = move || {
        let Some(me) = me.run(()) else { return };
        let l = locale.get_untracked();
        let parsed = match kind.get_untracked() {
            DiscountKind::Percent => percent_bp(&value.get_untracked()),
            DiscountKind::Amount => amount_of(&value.get_untracked()),
        };
        let Some(parsed) = parsed else {
            error.set(Some(w(l, "Isi besar diskonnya.", "Enter the discount.").into()));
            return;
        };
        if reason.with_untracked(|r| r.trim().is_empty()) {
            error.set(Some(w(l, "Tulis alasannya.", "Give a reason.").into()));
            return;
        }
        let approval = match (approvers.with_untracked(Option::is_some), approver.get_untracked()) {
            (false, _) => None,
            (true, Some(approver_id)) if pin.with_untracked(|p| p.len() >= 4) => {
                Some(Approval { approver_id, pin: pin.get_untracked() })
            }
            (true, _) => {
                error.set(Some(
                    w(l, "Manajer: pilih nama Anda dan ketik PIN.", "Manager: pick your name and type your PIN.")
                        .into(),
                ));
                return;
            }
        };
        if busy.get_untracked() {
            return;
        }
        let body = CreateDiscount {
            client_discount_id: key.get_untracked(),
            line_id: line.get_untracked(),
            kind: kind.get_untracked(),
            value: parsed,
            reason: reason.get_untracked().trim().to_owned(),
            approval,
        };
        if let Some(sale) = local() {
            give_offline(sale, me, body);
            return;
        }
        let Some(order_id) = order.with_untracked(|o| o.as_ref().map(|o| o.id)) else { return };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::add_discount(&me, order_id, &body).await {
                Ok(priced) => {
                    done();
                    on_discounted.run(priced);
                }
                Err(ApiError::Problem(p)) if p.code == Some(Code::DiscountAboveLimit) => {
                    error.set(Some(above_limit_message(l).into()));
                    ask_manager();
                }
                Err(e) => {
                    pin.set(String::new());
                    error.set(Some(e.message(l)));
                }
            }
            busy.set(false);
        });
    };

    let lines = move || {
        order.with(|o| {
            o.iter()
                .flat_map(|o| o.items.iter())
                .filter(|l| !l.line_id.is_nil())
                .map(|l| {
                    let id = l.line_id;
                    let label = format!("{} × {}", l.qty, l.name);
                    view! {
                        <button type="button" class="discount-line" data-line-id=id.to_string()
                            aria-pressed=move || (line.get() == Some(id)).to_string()
                            on:click=move |_| line.set(Some(id))>
                            {label}
                        </button>
                    }
                })
                .collect_view()
        })
    };
    let people = move || {
        approvers
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|person| {
                let id = person.id;
                view! {
                    <button type="button" class="staff-choice approver" data-user-id=id.to_string()
                        aria-pressed=move || (approver.get() == Some(id)).to_string()
                        on:click=move |_| {
                            approver.set(Some(id));
                            pin.set(String::new());
                        }>
                        {person.name.clone()}
                    </button>
                }
            })
            .collect_view()
    };
    let press = move |d: char| {
        pin.update(|p| {
            if p.len() < 6 {
                p.push(d);
            }
        })
    };

    view! {
        <Show
            when=move || open.get() && (order.with(Option::is_some) || local().is_some())
            fallback=move || view! {
                <div class="discount-bar">
                    <button type="button" class="discount-button" on:click=start
                        disabled=move || (!online.get() && local().is_none()) || paying.get()>
                        {move || w(locale.get(), "Diskon", "Discount")}
                    </button>
                    {move || order.with(|o| o.as_ref().filter(|o| o.discount_minor > 0).map(|o| o.discount_minor)).map(|d| view! {
                        <span class="discount-total" data-minor=d.to_string()>
                            {move || w(locale.get(), "Diskon ", "Discount ")} {move || money(d)}
                        </span>
                    })}
                    {move || offline_sale.map(|s| s.discount_minor()).filter(|d| *d > 0 && order.with(Option::is_none)).map(|d| view! {
                        <span class="discount-total offline" data-minor=d.to_string()>
                            {move || w(locale.get(), "Diskon ", "Discount ")} {move || money(d)}
                            " · " {move || w(locale.get(), "PIN manajer dicek server saat online", "a manager's PIN is checked by the server once online")}
                        </span>
                    })}
                    <Show when=move || !online.get() && local().is_none()>
                        <span class="muted">{move || w(locale.get(), "Diskon pesanan ini perlu jaringan (dihitung server).", "Discounting this order needs the network (the server prices it).")}</span>
                    </Show>
                </div>
            }
        >
            <form class="discount-panel" on:submit=move |ev: ev::SubmitEvent| {
                ev.prevent_default();
                apply();
            }>
                <h3>{move || w(locale.get(), "Diskon", "Discount")}</h3>
                <div class="seg discount-scope" role="group">
                    <button type="button" class="discount-order" aria-pressed=move || line.get().is_none().to_string()
                        on:click=move |_| line.set(None)>
                        {move || w(locale.get(), "Seluruh pesanan", "Whole order")}
                    </button>
                    {lines}
                </div>
                <div class="seg" role="group">
                    <button type="button" class="discount-percent" aria-pressed=move || (kind.get() == DiscountKind::Percent).to_string()
                        on:click=move |_| kind.set(DiscountKind::Percent)>"%"</button>
                    <button type="button" class="discount-amount" aria-pressed=move || (kind.get() == DiscountKind::Amount).to_string()
                        on:click=move |_| kind.set(DiscountKind::Amount)>{move || currency.get()}</button>
                </div>
                <input id="discount-value" class="shift-amount" inputmode="decimal" autocomplete="off" autofocus
                    placeholder=move || if kind.get() == DiscountKind::Percent { "10" } else { "5000" }
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
                <input id="discount-reason" class="shift-reason" maxlength="200" autocomplete="off"
                    placeholder=move || w(locale.get(), "Alasan", "Reason")
                    prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                <Show when=move || approvers.with(Option::is_some)>
                    <div class="approval">
                        <p>{move || w(locale.get(), "Manajer yang menyetujui:", "Approving manager:")}</p>
                        <div class="staff-choices">{people}</div>
                        <input id="approval-pin" class="pin-input" type="password" inputmode="numeric" autocomplete="off" maxlength="6"
                            prop:value=move || pin.get()
                            on:input=move |ev| pin.set(event_target_value(&ev).chars().filter(char::is_ascii_digit).take(6).collect()) />
                        <DigitKeys on_digit=Callback::new(press) on_clear=Callback::new(move |()| pin.set(String::new())) />
                    </div>
                </Show>
                <p class="field-error" aria-live="polite">{move || error.get()}</p>
                <div class="payment-actions">
                    <button type="button" on:click=move |_| done()>{move || w(locale.get(), "Batal", "Cancel")}</button>
                    <button type="submit" class="primary apply-discount" disabled=move || busy.get()>
                        {move || w(locale.get(), "Terapkan diskon", "Apply discount")}
                    </button>
                </div>
            </form>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_become_basis_points() {
        assert_eq!(percent_bp("10"), Some(1_000));
        assert_eq!(percent_bp(" 12,5 "), Some(1_250));
        assert_eq!(percent_bp("0"), None);
        assert_eq!(percent_bp("150"), None);
        assert_eq!(percent_bp("abc"), None);
    }
}
