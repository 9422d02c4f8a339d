//! The kitchen display's screens.

mod all_day_counts;
mod behind_banner;
mod kds_settings_panel;
mod kitchen_display;
mod recall_tray;
mod station_filter;
mod ticket_card;

pub use all_day_counts::AllDayCounts;
pub use behind_banner::BehindBanner;
pub use kds_settings_panel::KdsSettingsPanel;
pub use kitchen_display::KitchenDisplay;
pub use recall_tray::RecallTray;
pub use station_filter::StationFilter;
pub use ticket_card::TicketCard;
