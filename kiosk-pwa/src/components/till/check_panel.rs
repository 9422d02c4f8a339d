use futures::future::LocalBoxFuture;
use leptos::prelude::*;
use pos_wire::{
    CheckRound, EvenSplit, MergeChecks, MoveCheck, Order, OrderLine, PairedDevice, SetGuests, SplitCheck, SplitEvenly,
};
use uuid::Uuid;

use super::split_dialog::SplitByItem;
use crate::{
    api::{self, ApiError},
    locale::use_locale,
    money::format_money,
    tables::{self, Floor, QueuedRound, Seat},
    tables_text::{self, TableText, tt},
};

/// A call on the check as the cashier: the check as it is after it (none
/// when the call does not change it).
type CheckCall = Box<dyn FnOnce(PairedDevice) -> LocalBoxFuture<'static, Result<Option<Order>, ApiError>>>;

/// What the check panel is asking the cashier.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    View,
    Move,
    Merge,
    SplitItems,
    SplitEven,
}

/// An open check: its lines and the server's totals, the rounds still
/// waiting for the network, and what can be done with it (another round,
/// move, merge, split by item or evenly, pay). `reload` changes whenever
/// the server says the check (or any check) changed.
#[component]
pub fn CheckPanel(
    order_id: Uuid,
    /// The cashier's till, for every call.
    me: Callback<(), Option<PairedDevice>>,
    /// The floor, kept in step with the check as loaded here.
    floor: RwSignal<Option<Floor>>,
    #[prop(into)] queued: Signal<Vec<QueuedRound>>,
    #[prop(into)] reload: Signal<u64>,
    on_add_round: Callback<Seat>,
    on_pay: Callback<Order>,
    /// Pays one part of an even split (at most that amount).
    on_pay_part: Callback<(Order, i64)>,
    on_changed: Callback<()>,
    on_back: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    // The check as the floor last had it, until the server answers (or while it cannot be reached).
    let order = RwSignal::new(floor.with_untracked(|f| {
        f.iter().flat_map(|f| f.tables.iter()).find_map(|t| t.check.clone().filter(|c| c.id == order_id))
    }));
    let rounds = RwSignal::new(Vec::<CheckRound>::new());
    let step = RwSignal::new(Step::View);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let even = RwSignal::new(None::<EvenSplit>);
    let ways = RwSignal::new(String::from("2"));
    let failed = move |e: ApiError| error.set(Some(e.message(locale.get_untracked())));

    Effect::new(move || {
        reload.track();
        let Some(me) = me.run(()) else { return };
        leptos::task::spawn_local(async move {
            match api::order(&me, order_id).await {
                Ok(o) => {
                    floor.update(|f| f.iter_mut().for_each(|f| f.follow(&o)));
                    order.set(Some(o));
                }
                // A check opened offline is not on the server yet: its rounds say so.
                Err(_) if queued.with_untracked(|q| q.iter().any(|r| r.order_id == order_id)) => {}
                Err(e) => failed(e),
            }
            // Without them (an older server, no network) the lines show as one group.
            if let Ok(r) = api::check_rounds(&me, order_id).await {
                rounds.set(r);
            }
        });
    });
    // Runs `call` as the cashier; the check as it is after it, or the error.
    let act = move |call: CheckCall| {
        let Some(me) = me.run(()) else { return };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match call(me).await {
                Ok(Some(o)) => {
                    order.set(Some(o));
                    step.set(Step::View);
                    on_changed.run(());
                }
                Ok(None) => {}
                Err(e) => failed(e),
            }
            busy.set(false);
        });
    };
    let move_to = move |table_id: Uuid| {
        act(Box::new(move |me| {
            Box::pin(async move { api::move_check(&me, order_id, &MoveCheck { table_id }).await.map(Some) })
        }))
    };
    let merge_from = move |from_order_id: Uuid| {
        act(Box::new(move |me| {
            Box::pin(async move { api::merge_checks(&me, order_id, &MergeChecks { from_order_id }).await.map(Some) })
        }))
    };
    let split_items = Callback::new(move |picked: Vec<Uuid>| {
        let Some(current) = order.get_untracked() else { return };
        let body = SplitCheck {
            client_order_id: Uuid::now_v7(),
            lines: tables::split_lines(&current, &picked),
            table_id: None,
        };
        act(Box::new(move |me| {
            Box::pin(async move {
                let both = api::split_check(&me, order_id, &body).await?;
                on_pay.run(both.new_order);
                Ok(Some(both.order))
            })
        }))
    });
    // Guests typed on the check: saved with "Save" (or Enter).
    let guests_typed = RwSignal::new(None::<String>);
    let save_guests = move || {
        let Some(typed) = guests_typed.get_untracked() else { return };
        let Some(guest_count) = tables::parse_guests(&typed, tables::MAX_GUESTS) else {
            error.set(Some(tables_text::guests_range(locale.get_untracked(), tables::MAX_GUESTS)));
            return;
        };
        act(Box::new(move |me| {
            Box::pin(async move {
                let saved = api::set_guests(&me, order_id, &SetGuests { guest_count }).await?;
                guests_typed.set(None);
                Ok(Some(saved))
            })
        }))
    };
    let guests_shown = move || {
        guests_typed.get().unwrap_or_else(|| {
            order.with(|o| o.as_ref().and_then(|o| o.guest_count).map(|n| n.to_string()).unwrap_or_default())
        })
    };
    let split_even = move || {
        let Ok(n) = ways.get_untracked().trim().parse::<i32>() else { return };
        act(Box::new(move |me| {
            Box::pin(async move {
                even.set(Some(api::split_evenly(&me, order_id, &SplitEvenly { ways: n }).await?));
                Ok(None)
            })
        }))
    };

    // The table's label: the server's, else that of a round waiting for the network.
    let label = move || {
        order.with(|o| o.as_ref().and_then(|o| o.table.clone())).unwrap_or_else(|| {
            queued.with(|q| q.iter().find(|r| r.order_id == order_id).map(|r| r.label.clone())).unwrap_or_default()
        })
    };
    let money =
        move |minor: i64| order.with(|o| format_money(minor, o.as_ref().map_or("IDR", |o| o.currency.as_str())));
    let lines = move || {
        let groups: Vec<Vec<OrderLine>> = order.with(|o| {
            rounds.with(|r| {
                o.iter().flat_map(|o| tables::lines_by_round(o, r)).map(|g| g.into_iter().cloned().collect()).collect()
            })
        });
        let many = groups.len() > 1;
        groups
            .into_iter()
            .enumerate()
            .map(|(i, group)| {
                let items = group
                    .into_iter()
                    .map(|l| {
                        let total = l.line_total_minor;
                        view! {
                            <li class="check-line">
                                <span class="qty">{l.qty} "×"</span>
                                <span class="name">{l.name}</span>
                                {l.note.map(|n| view! { <span class="note">{n}</span> })}
                                <span class="amount">{move || money(total)}</span>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <li class="check-round" data-round=(i + 1).to_string()>
                        <Show when=move || many>
                            <h3 class="round-heading">{move || tables_text::round_heading(locale.get(), i + 1)}</h3>
                        </Show>
                        <ul class="round-lines">{items}</ul>
                    </li>
                }
            })
            .collect_view()
    };
    let waiting = move || {
        queued.with(|q| {
            q.iter()
                .filter(|r| r.order_id == order_id)
                .map(|r| {
                    let names: Vec<String> = r
                        .round
                        .lines
                        .iter()
                        .map(|l| format!("{}× {}", l.qty, l.shown_name.clone().unwrap_or_default()))
                        .collect();
                    view! {
                        <li class="queued-round" data-round-id=r.round.client_round_id.to_string()>
                            {names.join(", ")} " · " <em>{tt(TableText::Queued)}</em>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let totals = move || {
        order.get().map(|o| {
            let row = |key: TableText, class: &'static str, minor: i64| {
                view! { <p class=class data-minor=minor.to_string()><span>{tt(key)}</span> <strong>{money(minor)}</strong></p> }
            };
            view! {
                <div class="check-totals">
                    {row(TableText::Subtotal, "check-subtotal", o.subtotal_minor)}
                    {(o.discount_minor > 0).then(|| row(TableText::Discount, "check-discount", -o.discount_minor))}
                    {(o.service_charge_minor > 0).then(|| row(TableText::ServiceCharge, "check-service", o.service_charge_minor))}
                    {(o.tax_minor > 0).then(|| row(TableText::Tax, "check-tax", o.tax_minor))}
                    <p class="check-total" data-minor=o.total_minor.to_string()>
                        <span>{crate::locale::tr(crate::i18n::Text::Total)}</span> <strong>{money(o.total_minor)}</strong>
                    </p>
                    {(o.paid_minor > 0).then(|| row(TableText::Paid, "check-paid", o.paid_minor))}
                </div>
            }
        })
    };
    let picker = move |tables: Vec<(Uuid, Option<Uuid>, String)>, merge: bool| {
        tables
            .into_iter()
            .map(|(table_id, check_id, label)| {
                view! {
                    <button
                        type="button"
                        class="pick-table"
                        data-label=label.clone()
                        disabled=move || busy.get()
                        on:click=move |_| match (merge, check_id) {
                            (true, Some(from)) => merge_from(from),
                            _ => move_to(table_id),
                        }
                    >
                        {label.clone()}
                    </button>
                }
            })
            .collect_view()
    };
    let choices = move |merge: bool| {
        floor.with(|f| {
            f.iter()
                .flat_map(|f| -> Box<dyn Iterator<Item = _>> {
                    if merge { Box::new(f.other_checks(order_id)) } else { Box::new(f.free()) }
                })
                .map(|t| (t.table.id, t.table.open_check_id, t.table.label.clone()))
                .collect::<Vec<_>>()
        })
    };
    let step_view = move || {
        match step.get() {
        Step::View => view! {
            <div class="check-actions">
                <button type="button" class="primary add-round" on:click=move |_| {
                    on_add_round.run(Seat::Round { order_id, label: label() })
                }>{tt(TableText::AddRound)}</button>
                <button type="button" class="move-check" on:click=move |_| step.set(Step::Move)>{tt(TableText::MoveCheck)}</button>
                <button type="button" class="merge-check" on:click=move |_| step.set(Step::Merge)>{tt(TableText::MergeCheck)}</button>
                <button type="button" class="split-items" on:click=move |_| step.set(Step::SplitItems)>{tt(TableText::SplitByItem)}</button>
                <button type="button" class="split-even" on:click=move |_| step.set(Step::SplitEven)>{tt(TableText::SplitEvenly)}</button>
                <button
                    type="button"
                    class="primary pay-check"
                    disabled=move || order.with(|o| o.as_ref().is_none_or(|o| o.total_minor <= o.paid_minor))
                    on:click=move |_| if let Some(o) = order.get_untracked() { on_pay.run(o) }
                >
                    {tt(TableText::PayCheck)}
                </button>
            </div>
        }
        .into_any(),
        chosen @ (Step::Move | Step::Merge) => {
            let merge = chosen == Step::Merge;
            view! {
                <div class="table-picker">
                    <p>{tt(if merge { TableText::PickCheckToMerge } else { TableText::PickFreeTable })}</p>
                    <div class="floor-tables">{move || picker(choices(merge), merge)}</div>
                    <button type="button" on:click=move |_| step.set(Step::View)>{tt(TableText::Cancel)}</button>
                </div>
            }
            .into_any()
        }
        Step::SplitItems => match order.get() {
            Some(o) => view! { <SplitByItem order=o busy on_split=split_items on_cancel=Callback::new(move |()| step.set(Step::View)) /> }.into_any(),
            None => ().into_any(),
        },
        Step::SplitEven => view! {
            <form class="split-even-form" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); split_even(); }>
                <label>{tt(TableText::Ways)} " "
                    <input class="split-ways" type="number" min="2" max="50" inputmode="numeric"
                        prop:value=move || ways.get() on:input=move |ev| ways.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="primary" disabled=move || busy.get()>{tt(TableText::SplitEvenly)}</button>
                <button type="button" on:click=move |_| { even.set(None); step.set(Step::View); }>{tt(TableText::Cancel)}</button>
                <ol class="even-parts">
                    {move || even.get().map(|e| e.amounts_minor.into_iter().map(|a| view! {
                        <li class="even-part" data-minor=a.to_string()>
                            <span>{money(a)}</span>
                            <button
                                type="button"
                                class="pay-part"
                                on:click=move |_| if let Some(o) = order.get_untracked() { on_pay_part.run((o, a)) }
                            >
                                {tt(TableText::PayCheck)}
                            </button>
                        </li>
                    }).collect_view())}
                </ol>
            </form>
        }
        .into_any(),
    }
    };

    view! {
        <section class="check-panel" data-order-id=order_id.to_string()>
            <header class="check-head">
                <button type="button" class="back-to-floor" on:click=move |_| on_back.run(())>"←"</button>
                <h2 class="check-table">{label}</h2>
                <span class="check-number">{move || order.with(|o| o.as_ref().map(|o| o.number.clone()))}</span>
            </header>
            <form class="check-guests" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save_guests(); }>
                <label for="check-guest-count">{tt(TableText::Guests)}</label>
                <input
                    id="check-guest-count"
                    class="check-guest-count"
                    type="number"
                    inputmode="numeric"
                    min="1"
                    max=tables::MAX_GUESTS.to_string()
                    data-guests=move || order.with(|o| o.as_ref().and_then(|o| o.guest_count).map(|n| n.to_string()))
                    prop:value=guests_shown
                    on:input=move |ev| guests_typed.set(Some(event_target_value(&ev)))
                />
                <Show when=move || guests_typed.with(Option::is_some)>
                    <button type="submit" class="save-guests" disabled=move || busy.get()>{tt(TableText::SaveGuests)}</button>
                </Show>
            </form>
            <ul class="check-lines">{lines}</ul>
            <Show when=move || queued.with(|q| q.iter().any(|r| r.order_id == order_id))>
                <h3>{tt(TableText::QueuedRounds)}</h3>
                <ul class="queued-rounds">{waiting}</ul>
            </Show>
            {totals}
            <p class="field-error" aria-live="polite">{move || error.get()}</p>
            {step_view}
        </section>
    }
}
