use std::collections::HashMap;

use leptos::prelude::*;
use pos_wire::{Order, PairedDevice};
use uuid::Uuid;

use crate::{
    api::{self, ApiError},
    money::format_money,
    tables::{self, Floor, FloorTable, QueuedRound},
    tables_text::{TableText, tt},
};

/// The floor as the server has it now: areas, tables, and each open check
/// (its balance and age).
pub async fn load_floor(me: &PairedDevice) -> Result<Floor, ApiError> {
    let areas = api::areas(me).await?;
    let tables = api::dining_tables(me).await?;
    let mut checks: HashMap<Uuid, Order> = HashMap::new();
    for id in tables.iter().filter_map(|t| t.open_check_id) {
        checks.insert(id, api::order(me, id).await?);
    }
    Ok(Floor::new(areas, tables, checks))
}

/// The dining room: areas as tabs, each table a big button, free or with
/// its check's balance and age. Tapping one calls `on_table`.
#[component]
pub fn FloorView(
    #[prop(into)] floor: Signal<Option<Floor>>,
    #[prop(into)] now: Signal<f64>,
    #[prop(into)] currency: Signal<String>,
    /// Rounds waiting for the network: a check opened offline seats its table.
    #[prop(into)]
    queued: Signal<Vec<QueuedRound>>,
    on_table: Callback<FloorTable>,
) -> impl IntoView {
    let chosen = RwSignal::new(None::<Uuid>);
    // The area shown: the one chosen, else the first.
    let area = move || {
        floor.with(|f| {
            let f = f.as_ref()?;
            chosen.get().filter(|id| f.areas.iter().any(|a| a.id == *id)).or(f.areas.first().map(|a| a.id))
        })
    };
    let tabs = move || {
        let shown = area();
        floor.with(|f| {
            f.iter()
                .flat_map(|f| f.areas.iter())
                .map(|a| {
                    let id = a.id;
                    view! {
                        <button
                            type="button"
                            role="tab"
                            class="area-tab"
                            aria-selected=(shown == Some(id)).to_string()
                            on:click=move |_| chosen.set(Some(id))
                        >
                            {a.name.clone()}
                        </button>
                    }
                })
                .collect_view()
        })
    };
    let table_button = move |t: FloorTable| {
        let label = t.table.label.clone();
        let t_label = label.clone();
        let opened_offline = queued.with(|q| q.iter().any(|r| r.opens_table == Some(t.table.id)));
        let free = t.is_free() && !opened_offline;
        let status = match (&t.check, t.balance_minor()) {
            _ if opened_offline && t.is_free() => {
                view! { <span class="table-age">{tt(TableText::Queued)}</span> }.into_any()
            }
            (Some(check), Some(balance)) => {
                let opened = check.created_at;
                let currency = currency;
                view! {
                    <span class="table-balance">{move || format_money(balance, &currency.get())}</span>
                    <span class="table-age">{move || tables::age_label(tables::age_minutes(&opened, now.get()))}</span>
                }
                .into_any()
            }
            _ if free => view! { <span class="table-free">{tt(TableText::Free)}</span> }.into_any(),
            _ => view! { <span class="table-balance">"…"</span> }.into_any(),
        };
        view! {
            <button
                type="button"
                class="floor-table"
                data-label=label.clone()
                data-free=free.to_string()
                on:click=move |_| on_table.run(t.clone())
            >
                <span class="table-label">{t_label}</span>
                {status}
            </button>
        }
    };
    let grid = move || match area() {
        None if floor.with(Option::is_none) => view! { <p class="muted">{tt(TableText::Loading)}</p> }.into_any(),
        None => view! { <p class="muted">{tt(TableText::NoTables)}</p> }.into_any(),
        Some(area_id) => {
            let tables: Vec<FloorTable> = floor.with(|f| f.iter().flat_map(|f| f.in_area(area_id)).cloned().collect());
            view! { <div class="floor-tables">{tables.into_iter().map(table_button).collect_view()}</div> }.into_any()
        }
    };
    view! {
        <section class="floor">
            <div class="area-tabs" role="tablist">{tabs}</div>
            {grid}
        </section>
    }
}
