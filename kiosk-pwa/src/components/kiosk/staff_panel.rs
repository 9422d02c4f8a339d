use leptos::prelude::*;
use pos_wire::PushOutcome;

use super::PinPad;
use crate::{
    clock,
    components::{StaffSheet, UnpairButton},
    i18n::{Text, orders_waiting, t},
    locale::{tr, use_locale},
    menu::MenuSync,
    money::format_money,
    queue::{OrderQueue, QueuedOrder},
    refusal, storage,
};

/// Behind the staff PIN: orders the server refused ("needs attention"),
/// the send queue, menu refresh, PIN change and unpairing.
#[component]
pub fn StaffPanel(
    queue: StoredValue<OrderQueue, LocalStorage>,
    sync: StoredValue<MenuSync, LocalStorage>,
    on_close: Callback<()>,
    on_unpair: Callback<()>,
    on_change_pin: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let unlocked = RwSignal::new(false);
    let pin_error = RwSignal::new(None::<String>);
    let check = Callback::new(move |pin: String| {
        if storage::check_staff_pin(&pin) {
            unlocked.set(true);
        } else {
            pin_error.set(Some(t(locale.get_untracked(), Text::WrongPin).to_owned()));
        }
    });
    let attention = queue.with_value(|q| q.attention);
    let pending = queue.with_value(|q| q.pending);
    let last_error = queue.with_value(|q| q.last_error);
    let last_synced = sync.with_value(|s| s.last_synced_ms);
    // Staff should know whether the browser may evict queued orders.
    let persistent = RwSignal::new(None::<bool>);
    leptos::task::spawn_local(async move { persistent.set(crate::pwa::storage_is_persistent().await) });

    let attention_list =
        move || attention.get().into_iter().map(|order| view! { <AttentionOrder order queue /> }).collect_view();
    let refresh_menu = move |_| {
        let sync = sync.get_value();
        leptos::task::spawn_local(async move { sync.pull().await });
    };
    view! {
        <StaffSheet title=Text::Staff on_close>
            <Show
                when=move || unlocked.get()
                fallback=move || view! { <PinPad label=Signal::derive(tr(Text::EnterPin)) error=pin_error on_complete=check /> }
            >
                <section class="attention">
                    <h3>{tr(Text::NeedsAttention)}</h3>
                    <Show
                        when=move || attention.with(|a| !a.is_empty())
                        fallback=move || view! { <p class="hint">{tr(Text::NothingNeedsAttention)}</p> }
                    >
                        <ul class="attention-list">{attention_list}</ul>
                    </Show>
                </section>
                <section class="queue-facts">
                    <h3>{tr(Text::WaitingToSend)}</h3>
                    <p class="queue-count">{move || orders_waiting(locale.get(), pending.get())}</p>
                    <Show when=move || last_error.get().is_some()>
                        <p class="hint">{tr(Text::LastError)} ": " {move || last_error.get().map(|e| e.message(locale.get()))}</p>
                    </Show>
                    <p class="hint">
                        {tr(Text::MenuUpdatedAt)} ": "
                        {move || last_synced.get().map(clock::local_time_of).unwrap_or_else(|| "—".into())}
                    </p>
                    <Show when=move || persistent.get().is_some()>
                        <p class="hint storage-state" data-persistent=move || persistent.get().unwrap_or(false).to_string()>
                            {move || {
                                let text = if persistent.get() == Some(true) {
                                    Text::StoragePersistent
                                } else {
                                    Text::StorageEvictable
                                };
                                t(locale.get(), text)
                            }}
                        </p>
                    </Show>
                </section>
                <div class="panel-actions">
                    <button type="button" class="secondary" on:click=refresh_menu>
                        {tr(Text::RefreshMenu)}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| on_change_pin.run(())>
                        {tr(Text::ChangePin)}
                    </button>
                    <UnpairButton on_unpair />
                </div>
            </Show>
        </StaffSheet>
    }
}

/// One refused order: what it was, why, and what staff can do.
#[component]
fn AttentionOrder(order: QueuedOrder, queue: StoredValue<OrderQueue, LocalStorage>) -> impl IntoView {
    let id = order.client_order_id;
    let outcome = match order.outcome {
        Some(PushOutcome::Conflict) => Text::OutcomeConflict,
        _ => Text::OutcomeRejected,
    };
    let names: Vec<String> = order.body.items.iter().map(|l| l.shown_name.clone().unwrap_or_default()).collect();
    let problem = order.problem.clone();
    let locale = crate::locale::use_locale();
    let why =
        move || problem.as_ref().map(|p| refusal::reasons(p, &names, locale.get()).join("; ")).unwrap_or_default();
    let items = order
        .body
        .items
        .iter()
        .map(|l| format!("{} × {}", l.qty, l.shown_name.clone().unwrap_or_default()))
        .collect::<Vec<_>>()
        .join(", ");
    let (total, currency) = (order.shown_total_minor, order.currency.clone());
    let who = order.body.customer_name.clone().or(order.body.table.clone()).unwrap_or_default();
    let handled = move |_| {
        let queue = queue.get_value();
        leptos::task::spawn_local(async move {
            let _ = queue.mark_handled(id).await;
        });
    };
    let again = move |_| {
        let queue = queue.get_value();
        leptos::task::spawn_local(async move {
            let _ = queue.send_again(id).await;
        });
    };
    view! {
        <li class="attention-order" data-client-order-id=id.to_string()>
            <div class="attention-head">
                <strong class="number">{order.number().unwrap_or_default()}</strong>
                <span>{clock::local_time_of(order.queued_at_ms)}</span>
                <span>{who}</span>
                <span class="outcome">{tr(outcome)}</span>
            </div>
            <p>{items} " · " {move || format_money(total, &currency)}</p>
            <p class="hint">{why}</p>
            <div class="panel-actions">
                <button type="button" class="secondary" on:click=again>
                    {tr(Text::SendAgain)}
                </button>
                <button type="button" class="primary" on:click=handled>
                    {tr(Text::MarkHandled)}
                </button>
            </div>
        </li>
    }
}
