//! Every reason the server gives for refusing a request, as a stable machine
//! code with typed parameters. Clients translate codes (see [`describe`]);
//! the wording may change, a code does not.
//!
//! A code is added in one place, the [`codes!`] list below; [`describe`]
//! then fails to compile until it has both languages.
//!
//! [`describe`]: super::describe

use std::{collections::BTreeMap, fmt};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A code's parameters by name (`{"max": 60}`), a JSON object on the wire.
pub type Params = BTreeMap<String, Value>;

/// Defines [`Code`] from one list: variant, wire name, parameters, meaning
/// (the doc comment).
macro_rules! codes {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $wire:literal [$($param:ident),*], )+) => {
        /// Why a request was refused; `snake_case` strings on the wire.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl Code {
            /// Every code, in the order they are defined.
            pub const ALL: &[Code] = &[$(Code::$variant),+];

            /// The code as it is written on the wire.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $wire,)+
                }
            }

            /// The parameters every problem with this code carries.
            pub const fn params(self) -> &'static [&'static str] {
                match self {
                    $(Code::$variant => &[$(stringify!($param)),*],)+
                }
            }

            /// What the code means, for API readers (README, OpenAPI).
            pub const fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => concat!($($doc),+),)+
                }
            }
        }
    };
}

codes! {
    // ----- Any request -----
    /// No such resource, or one of another tenant or outlet (never revealed).
    NotFound = "not_found" [],
    /// The path exists but not with this HTTP method.
    MethodNotAllowed = "method_not_allowed" [],
    /// The request could not be understood (refused by the framework).
    BadRequest = "bad_request" [],
    /// The request needs credentials (refused by the framework).
    Unauthorized = "unauthorized" [],
    /// The credentials do not allow this (refused by the framework).
    Forbidden = "forbidden" [],
    /// Any other HTTP error the framework raised; `status` is its status code.
    HttpError = "http_error" [status],
    /// Some fields are not valid: see `error_codes` for each.
    ValidationFailed = "validation_failed" [],
    /// The request body did not arrive before the deadline (408).
    RequestTimeout = "request_timeout" [],
    /// The request body is larger than `limit` bytes (413).
    PayloadTooLarge = "payload_too_large" [limit],
    /// The body must be sent as `application/json` (415).
    UnsupportedMediaType = "unsupported_media_type" [],
    /// The connection broke or the body's framing was wrong while reading it.
    BodyUnreadable = "body_unreadable" [],
    /// The body is not JSON at all; `detail` is the parser's message.
    JsonInvalid = "json_invalid" [detail],
    /// The body is JSON but not an object (every request body is one).
    BodyNotObject = "body_not_object" [],
    /// A field the body must have is missing; `detail` is the parser's message.
    MissingField = "missing_field" [detail],
    /// The body has a field this request does not take; `detail` is the parser's message.
    UnknownField = "unknown_field" [detail],
    /// A value of the wrong type or not one of the allowed ones; `detail` is the parser's message.
    InvalidValue = "invalid_value" [detail],
    /// Too many attempts (sign-in, pairing); try again in `retry_after_secs` (429).
    RateLimited = "rate_limited" [retry_after_secs],
    /// This device or person holds as many live event streams as allowed; try again in `retry_after_secs` (429).
    TooManyStreams = "too_many_streams" [retry_after_secs],
    /// The database is not answering; retry after `Retry-After` (503).
    DatabaseUnavailable = "database_unavailable" [],
    /// An unexpected failure on the server (500); details are in its log.
    Internal = "internal" [],
    /// `Last-Event-ID` is not a number.
    LastEventIdInvalid = "last_event_id_invalid" [],

    // ----- Signing in and tokens (401) -----
    /// The admin needs a signed-in session.
    SignInRequired = "sign_in_required" [],
    /// The request needs `Authorization: Bearer <token>`.
    BearerTokenRequired = "bearer_token_required" [],
    /// The email and password match no active account.
    WrongCredentials = "wrong_credentials" [],
    /// The account was deactivated or deleted.
    AccountInactive = "account_inactive" [],
    /// The session ended (signed out, password changed, deactivated): sign in again.
    SessionEnded = "session_ended" [],
    /// The token names no session: sign in again.
    TokenWithoutSession = "token_without_session" [],
    /// The access token has expired: refresh it.
    TokenExpired = "token_expired" [],
    /// The token is malformed, forged or not one of ours.
    TokenInvalid = "token_invalid" [],
    /// The token was signed by a key the server no longer has.
    TokenKeyUnknown = "token_key_unknown" [],
    /// `auth/refresh` needs a refresh token (or a bearer token).
    RefreshTokenRequired = "refresh_token_required" [],
    /// The refresh token is not one the server gave out.
    RefreshTokenInvalid = "refresh_token_invalid" [],
    /// The refresh token has expired: sign in again.
    RefreshTokenExpired = "refresh_token_expired" [],
    /// A rotated refresh token came back: every session of that login was ended.
    RefreshTokenReused = "refresh_token_reused" [],
    /// The device was revoked: pair it again.
    DeviceRevoked = "device_revoked" [],
    /// The device token was replaced by a newer one: pair again.
    DeviceTokenStale = "device_token_stale" [],

    // ----- Not allowed (403) -----
    /// The role of the signed-in person does not allow this.
    RoleNotAllowed = "role_not_allowed" [],
    /// Managers manage cashiers and kitchen staff only.
    ManagersManageStaffOnly = "managers_manage_staff_only" [],
    /// The person also works at outlets the manager does not manage.
    StaffOutsideYourOutlets = "staff_outside_your_outlets" [],
    /// Only staff have a language setting.
    LanguageStaffOnly = "language_staff_only" [],
    /// Only staff accounts have an email to verify.
    VerificationStaffOnly = "verification_staff_only" [],
    /// Only devices have a device profile.
    NotADevice = "not_a_device" [],
    /// The admin is for owners and managers.
    AdminForManagers = "admin_for_managers" [],
    /// The pickup board only reads order numbers.
    BoardReadOnly = "board_read_only" [],
    /// Only kitchen displays (and staff) handle tickets.
    KitchenDisplaysOnly = "kitchen_displays_only" [],
    /// Devices do not log out; revoke them instead.
    DevicesDoNotLogOut = "devices_do_not_log_out" [],
    /// Of the devices, only kiosks take orders.
    KiosksOnlyTakeOrders = "kiosks_only_take_orders" [],
    /// Kitchen staff do not take orders.
    KitchenStaffTakeNoOrders = "kitchen_staff_take_no_orders" [],
    /// Kiosks do not move orders through their lifecycle.
    KiosksDoNotMoveOrders = "kiosks_do_not_move_orders" [],
    /// Kiosks do not show the pickup board.
    KiosksDoNotShowPickup = "kiosks_do_not_show_pickup" [],
    /// Of the devices, only kiosks push orders.
    PushKiosksOnly = "push_kiosks_only" [],
    /// `sync/push` takes device tokens only; staff use `POST /orders`.
    PushDeviceTokensOnly = "push_device_tokens_only" [],
    /// A kiosk pushes only under its own `device_id`.
    PushOwnOrdersOnly = "push_own_orders_only" [],

    // ----- Conflicts (409) -----
    /// The email opens accounts in several brands; log in with one of `brands` (`[{tenant_id, name}]`) as `tenant_id`.
    EmailInSeveralBrands = "email_in_several_brands" [brands],
    /// A category that still has items cannot be deleted.
    CategoryHasItems = "category_has_items" [],
    /// Only open tickets can be bumped.
    TicketNotOpen = "ticket_not_open" [],
    /// Only bumped tickets can be recalled.
    TicketNotBumped = "ticket_not_bumped" [],
    /// The ticket's order is already completed or cancelled.
    OrderClosed = "order_closed" [],
    /// Nobody deletes their own account.
    CannotDeleteSelf = "cannot_delete_self" [],
    /// The brand must keep at least one active owner.
    LastOwner = "last_owner" [],
    /// The `client_order_id` was already used for an order with other content.
    ClientOrderIdReused = "client_order_id_reused" [],
    /// An order that is `from` cannot become `to` (statuses as on the wire).
    StatusTransition = "status_transition" [from, to],

    // ----- Field values (422, under `error_codes`) -----
    /// A value is required.
    Required = "required" [],
    /// At most `max` characters.
    TooLong = "too_long" [max],
    /// At least `min` characters.
    TooShort = "too_short" [min],
    /// Between `min` and `max` characters.
    LengthOutOfRange = "length_out_of_range" [min, max],
    /// Control characters are not allowed.
    ControlCharacters = "control_characters" [],
    /// A number between `min` and `max`.
    OutOfRange = "out_of_range" [min, max],
    /// At least `min`.
    TooSmall = "too_small" [min],
    /// A rate in basis points between 0 and 10000 (0% to 100%).
    BasisPointsOutOfRange = "basis_points_out_of_range" [],
    /// A cash rounding step of 0 (none), 100, 500 or 1000 minor units.
    CashRoundingStepInvalid = "cash_rounding_step_invalid" [],
    /// Not an email address.
    EmailInvalid = "email_invalid" [],
    /// Another account of the brand has this email.
    EmailTaken = "email_taken" [],
    /// Another category of the brand has this name.
    CategoryNameTaken = "category_name_taken" [],
    /// Only a table's check has a number of guests.
    GuestCountTablesOnly = "guest_count_tables_only" [],
    /// Another item of the brand has this code (whatever its case).
    CodeTaken = "code_taken" [],
    /// An item code is 1 to 32 letters, digits, `-`, `_` or `.`.
    ItemCodeInvalid = "item_code_invalid" [],
    /// Another outlet of the brand has this name.
    OutletNameTaken = "outlet_name_taken" [],
    /// No such category.
    CategoryNotFound = "category_not_found" [],
    /// No such outlet.
    OutletNotFound = "outlet_not_found" [],
    /// The list names an outlet that does not exist.
    UnknownOutlets = "unknown_outlets" [],
    /// Choose at least one outlet.
    OutletsRequired = "outlets_required" [],
    /// Nobody deactivates their own account.
    CannotDeactivateSelf = "cannot_deactivate_self" [],
    /// Not a currency the platform prices in.
    CurrencyUnsupported = "currency_unsupported" [],
    /// Not an IANA time zone (for example `Asia/Jakarta`).
    TimezoneUnknown = "timezone_unknown" [],
    /// An uploaded image must be JPEG, PNG or WebP.
    ImageType = "image_type" [],
    /// An image URL must be an uploaded image (`/media/...`) or `https://`.
    ImageUrl = "image_url" [],
    /// `unavailable_until` only applies when `available` is false.
    UnavailableUntilNeedsUnavailable = "unavailable_until_needs_unavailable" [],
    /// Give a time or `until_end_of_day`, not both.
    UnavailableUntilAmbiguous = "unavailable_until_ambiguous" [],
    /// The time must be in the future.
    MustBeFuture = "must_be_future" [],
    /// The request changes nothing: send `available` and/or `price_minor`.
    NothingToChange = "nothing_to_change" [],
    /// At most `max` modifier groups.
    TooManyGroups = "too_many_groups" [max],
    /// At most `max` options (in a group, or chosen on a line).
    TooManyOptions = "too_many_options" [max],
    /// At most `max` lines in an order.
    TooManyLines = "too_many_lines" [max],
    /// At most `max` orders in one `sync/push` batch.
    TooManyOrders = "too_many_orders" [max],
    /// A modifier group needs at least one option.
    OptionsRequired = "options_required" [],
    /// A group's `min` cannot be more than its `max`.
    MinAboveMax = "min_above_max" [],
    /// A group's `max` cannot be more than its number of options.
    MaxAboveOptions = "max_above_options" [],
    /// The same id is used twice.
    UsedTwice = "used_twice" [],
    /// Not a cursor from this list.
    CursorInvalid = "cursor_invalid" [],
    /// Not a cursor from `sync/pull`.
    PullCursorInvalid = "pull_cursor_invalid" [],
    /// A ticket filter is `open`, `bumped` or `all`.
    TicketStatusInvalid = "ticket_status_invalid" [],
    /// Not an order status.
    OrderStatusInvalid = "order_status_invalid" [],
    /// A cancellation needs a reason.
    ReasonRequired = "reason_required" [],
    /// The pairing code is wrong, used or expired.
    PairingCodeInvalid = "pairing_code_invalid" [],

    // ----- Orders (422, under `error_codes`) -----
    /// A kiosk orders for its own outlet only.
    OutletNotThisKiosk = "outlet_not_this_kiosk" [],
    /// A kiosk takes `kiosk` orders.
    KioskChannelOnly = "kiosk_channel_only" [],
    /// Staff take `counter` and `table` orders.
    CounterChannelOnly = "counter_channel_only" [],
    /// An order needs at least one line.
    ItemsRequired = "items_required" [],
    /// `created_at_client` is ahead of the server's clock: the device's clock is wrong.
    ClockAhead = "clock_ahead" [],
    /// The order was taken more than `hours` ago: too old for the kitchen.
    OrderTooOld = "order_too_old" [hours],
    /// The outlet is closed (kiosk orders while online).
    OutletClosed = "outlet_closed" [],
    /// No such menu item, ever.
    ItemNotFound = "item_not_found" [],
    /// The item was deleted from the menu.
    ItemRemoved = "item_removed" [],
    /// The item is sold out (86ed) at this outlet.
    ItemSoldOut = "item_sold_out" [],
    /// A quantity between `min` and `max`.
    QtyOutOfRange = "qty_out_of_range" [min, max],
    /// The item costs `price_minor` now, not the `shown_minor` the device showed.
    PriceChanged = "price_changed" [price_minor, shown_minor],
    /// `item` with these options never cost `shown_minor` at this outlet in the
    /// time the order could have been priced (the last `window_hours`).
    PriceNotOffered = "price_not_offered" [item, shown_minor, window_hours],
    /// An option is chosen twice on one line.
    OptionChosenTwice = "option_chosen_twice" [],
    /// `option_id` is not an option of this item.
    OptionUnknown = "option_unknown" [option_id],
    /// Choose at least `min` options of the group `group`.
    ChooseAtLeast = "choose_at_least" [min, group],
    /// Choose at most `max` options of the group `group`.
    ChooseAtMost = "choose_at_most" [max, group],

    // ----- Payments -----
    /// A kiosk starts QRIS payments only (cash and card are taken at the counter).
    KiosksPayByQrisOnly = "kiosks_pay_by_qris_only" [],
    /// Kitchen displays and pickup boards record no payments.
    DevicesRecordNoPayments = "devices_record_no_payments" [],
    /// The `client_payment_id` was already used for a payment with other content.
    ClientPaymentIdReused = "client_payment_id_reused" [],
    /// The order is already fully paid.
    OrderAlreadyPaid = "order_already_paid" [],
    /// The order is cancelled or void: nothing can be paid on it.
    OrderNotPayable = "order_not_payable" [],
    /// A QRIS payment of this order is still pending at the gateway; wait for it.
    QrisPaymentPending = "qris_payment_pending" [],
    /// More than the `balance_minor` still due (only cash may exceed it).
    AmountAboveBalance = "amount_above_balance" [balance_minor],
    /// The cash handed over is less than the `due_minor` due.
    TenderedBelowDue = "tendered_below_due" [due_minor],
    /// Card payments need the terminal's slip: `card.approval_code`.
    CardDetailsRequired = "card_details_required" [],
    /// Only card payments carry card details.
    CardDetailsCardOnly = "card_details_card_only" [],
    /// Only cash payments have a tendered amount.
    TenderedCashOnly = "tendered_cash_only" [],
    /// An approval code is 1 to 12 letters and digits.
    ApprovalCodeInvalid = "approval_code_invalid" [],
    /// The last four digits of the card, exactly four digits.
    CardLastFourInvalid = "card_last_four_invalid" [],
    /// No such open shift.
    ShiftUnknown = "shift_unknown" [],
    /// QRIS is paid in Indonesian rupiah only.
    QrisRupiahOnly = "qris_rupiah_only" [],
    /// The payment gateway is not configured or not answering; take cash or card (503).
    PaymentGatewayUnavailable = "payment_gateway_unavailable" [],
    /// The notification's `signature_key` is wrong (401).
    NotificationSignatureInvalid = "notification_signature_invalid" [],
    /// The notification's `gross_amount` is not the charge's amount.
    NotificationAmountMismatch = "notification_amount_mismatch" [],
    /// Only a pending QRIS payment can be cancelled.
    PaymentNotPending = "payment_not_pending" [],
    /// QRIS is paid online only; it never rides in an offline queue.
    QrisOnlineOnly = "qris_online_only" [],

    // ----- Shifts and the cash drawer (issue 12, engineer "shifts") -----
    /// The device is not a till of an outlet you work at (or it was revoked).
    TillUnknown = "till_unknown" [],
    /// This till already has an open shift, `shift_id`: close it first.
    ShiftAlreadyOpen = "shift_already_open" [shift_id],
    /// The `client_shift_id` was already used for a shift with other content.
    ClientShiftIdReused = "client_shift_id_reused" [],
    /// The shift is closed: nothing can be added to it, and it was closed with another count.
    ShiftClosed = "shift_closed" [],
    /// The `client_movement_id` was already used for a cash movement with other content.
    ClientMovementIdReused = "client_movement_id_reused" [],
    /// More cash out than the drawer should hold: at most `available_minor`.
    CashOutExceedsDrawer = "cash_out_exceeds_drawer" [available_minor],
    /// Count the drawer: `counted_minor` or `denominations`.
    CountRequired = "count_required" [],
    /// `value_minor` is not a rupiah note or coin.
    DenominationUnknown = "denomination_unknown" [value_minor],
    /// A denomination is listed twice.
    DenominationTwice = "denomination_twice" [],
    /// The denominations add up to `denominations_minor`, not the counted total.
    CountMismatch = "count_mismatch" [denominations_minor],
    /// Counting by denomination is for rupiah drawers; send `counted_minor`.
    DenominationsRupiahOnly = "denominations_rupiah_only" [],

    // ----- Refunds, voids and approvals -----
    /// A cashier needs the approval (`approval`) of a manager or owner for this.
    ApprovalRequired = "approval_required" [],
    /// The approver is not an active owner, or manager of this outlet, with a PIN set.
    ApproverNotAllowed = "approver_not_allowed" [],
    /// The approver's PIN is wrong.
    ApprovalPinWrong = "approval_pin_wrong" [],
    /// A PIN is 4 to 6 digits.
    PinFormat = "pin_format" [],
    /// More than is left to refund of this payment: at most `max`.
    RefundExceedsPayment = "refund_exceeds_payment" [max],
    /// Only a paid payment can be refunded.
    PaymentNotRefundable = "payment_not_refundable" [],
    /// The `client_refund_id` was already used for a refund with other content.
    ClientRefundIdReused = "client_refund_id_reused" [],
    /// The payment gateway refused the refund.
    RefundRefusedByGateway = "refund_refused_by_gateway" [],
    /// The payment gateway cannot take the refund now; it stays pending: send it again later with the same `client_refund_id`.
    RefundGatewayUnavailable = "refund_gateway_unavailable" [],
    /// An order with payments (paid or pending) cannot be voided; refund them instead.
    OrderHasPayments = "order_has_payments" [],
    /// A receipt is 80 or 58 (mm) wide.
    ReceiptWidthInvalid = "receipt_width_invalid" [],
    /// A language is `id` or `en`.
    LanguageInvalid = "language_invalid" [],
    /// A receipt is mailed once the order is fully paid.
    ReceiptNotPaid = "receipt_not_paid" [],

    // ----- Links sent by mail (password reset, invitation) -----
    /// The link is unknown, was used already or has expired: ask for a new one.
    LinkInvalid = "link_invalid" [],
    // ----- Discounts, tables and checks (issue 12, engineer "tables") -----
    /// The order is paid, being paid (a pending QRIS), cancelled or void: it no longer changes.
    OrderNotOpen = "order_not_open" [],
    /// The `client_discount_id` was already used for a discount with other content.
    ClientDiscountIdReused = "client_discount_id_reused" [],
    /// The order has no line with this `line_id`.
    DiscountLineUnknown = "discount_line_unknown" [],
    /// Above the outlet's discount limit (`discount_limit_bp`): a manager's approval (`approval`) is needed.
    DiscountAboveLimit = "discount_above_limit" [],
    /// A `table` order (a check) needs `table_id`.
    TableRequired = "table_required" [],
    /// Only `table` orders are seated at a table.
    TableChecksOnly = "table_checks_only" [],
    /// No such table at this outlet.
    TableUnknown = "table_unknown" [],
    /// The table already has an open check.
    TableHasOpenCheck = "table_has_open_check" [],
    /// Only a check (a `table` order) takes rounds, moves and merges.
    NotACheck = "not_a_check" [],
    /// The `client_round_id` was already used for a round with other content.
    ClientRoundIdReused = "client_round_id_reused" [],
    /// A check with discounts is not merged or split: remove them, then discount the parts.
    CheckHasDiscounts = "check_has_discounts" [],
    /// A check cannot be merged with itself.
    MergeSameCheck = "merge_same_check" [],
    /// Only checks of the same outlet are merged.
    ChecksOfOtherOutlets = "checks_of_other_outlets" [],
    /// The check has no line with this `line_id`, or it is named twice.
    SplitLineUnknown = "split_line_unknown" [],
    /// More than the line's quantity: at most `max`.
    SplitQtyTooLarge = "split_qty_too_large" [max],
    /// A split must leave something on the check.
    SplitTakesEverything = "split_takes_everything" [],
    /// The outlet already has an area of this name.
    AreaNameTaken = "area_name_taken" [],
    /// No such area at this outlet.
    AreaUnknown = "area_unknown" [],
    /// The area still has tables: move or delete them first.
    AreaHasTables = "area_has_tables" [],
    /// The outlet already has a table of this name.
    TableLabelTaken = "table_label_taken" [],
    // ----- Cashier sign-in on a till (issue 12, engineer "till") -----
    /// Only a till's own device token lists its staff and signs cashiers in.
    TillTokenRequired = "till_token_required" [],
    /// The person or the PIN is not right (the same answer for both) (401).
    TillSignInRefused = "till_sign_in_refused" [],
    /// The till this token was bound to is revoked, or the person no longer works at its outlet (401).
    TillBindingEnded = "till_binding_ended" [],
    /// Only a kiosk, or a cashier signed in on this till, pushes orders under this device id.
    PushTillCashierOnly = "push_till_cashier_only" [],
    // ----- The till's shifts (issue 12, engineer "till-shifts") -----
    /// This till has no open shift: open one (with its float) before selling (409).
    ShiftNotOpen = "shift_not_open" [],
    // ----- Reports (issue 13, engineer "reports") -----
    /// A date is written `YYYY-MM-DD`.
    ReportDateInvalid = "report_date_invalid" [],
    /// `from` must be on or before `to`.
    ReportRangeReversed = "report_range_reversed" [],
    /// A report covers at most `max_days` days.
    ReportRangeTooLong = "report_range_too_long" [max_days],
    /// `group_by` is one of `day`, `hour`, `item`, `modifier`, `payment_method`, `outlet`, `channel`.
    ReportGroupInvalid = "report_group_invalid" [],
    /// `format` is `json` or `csv`.
    ReportFormatInvalid = "report_format_invalid" [],

    // ----- Stock (issue 14, engineer "inventory") -----
    /// The brand already has an ingredient of this name.
    IngredientNameTaken = "ingredient_name_taken" [],
    /// No such ingredient in this brand.
    IngredientUnknown = "ingredient_unknown" [],
    /// The ingredient is in recipes: take it out of them first (409).
    IngredientInRecipes = "ingredient_in_recipes" [],
    /// Record `receive`, `waste`, `count`, `transfer_out` or `transfer_in` (sales, cancellations and refunds move stock by themselves).
    StockMovementKindInvalid = "stock_movement_kind_invalid" [],
    /// More than the outlet has: `on_hand` on hand.
    StockInsufficient = "stock_insufficient" [on_hand],
    /// A transfer goes to another outlet of the brand.
    TransferSameOutlet = "transfer_same_outlet" [],
    /// The destination outlet is archived: a transfer goes to a live outlet of the brand.
    TransferOutletArchived = "transfer_outlet_archived" [],
    /// No such pending transfer of this ingredient to this outlet.
    TransferUnknown = "transfer_unknown" [],
    /// The transfer was received already (409).
    TransferAlreadyReceived = "transfer_already_received" [],
    /// More than was sent: at most `max`.
    TransferQtyExceeded = "transfer_qty_exceeded" [max],
    /// The `client_movement_id` was already used at this outlet for a stock movement with other content.
    ClientStockMovementIdReused = "client_stock_movement_id_reused" [],

    // ----- The admin's own form checks -----
    /// Not an amount of money.
    MoneyFormat = "money_format" [],
    /// The currency has no minor unit: whole amounts only.
    MoneyWhole = "money_whole" [],
    /// The amount must not be negative.
    MoneyNegative = "money_negative" [],
    /// The amount is too large.
    MoneyRange = "money_range" [],
    /// Not a percentage.
    PercentFormat = "percent_format" [],
    /// At most two decimal places in a percentage.
    PercentDecimals = "percent_decimals" [],
    /// Choose one of the options offered.
    ChooseOne = "choose_one" [],
    /// Not a whole number.
    WholeNumber = "whole_number" [],
}

impl Code {
    /// The code written as `s`, if this build knows it.
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for Code {
    /// In English, as the server writes it in `detail` and `errors`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        CodedError::new(*self).fmt(f)
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Code, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Code::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown error code `{s}`")))
    }
}

/// A refusal: its code and parameters (`{"code": "too_long", "params": {"max": 60}}`).
// Its `Display` is the English the server writes in `detail` and `errors`;
// screens use `describe` with their language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodedError {
    pub code: Code,
    /// The code's parameters (see its description); `{}` when it has none.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub params: Params,
}

impl From<Code> for CodedError {
    fn from(code: Code) -> CodedError {
        CodedError::new(code)
    }
}

impl fmt::Display for CodedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::describe(self, crate::Locale::En))
    }
}

impl std::error::Error for CodedError {}

impl CodedError {
    pub fn new(code: Code) -> CodedError {
        CodedError { code, params: Params::new() }
    }

    /// Adds the parameter `name`.
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> CodedError {
        self.params.insert(name.to_owned(), value.into());
        self
    }

    /// Whether every parameter its code needs is there (a client falls back
    /// to the server's own words when not).
    pub fn is_complete(&self) -> bool {
        self.code.params().iter().all(|p| self.params.contains_key(*p))
    }

    pub fn too_long(max: usize) -> CodedError {
        CodedError::new(Code::TooLong).with("max", max)
    }

    pub fn too_short(min: usize) -> CodedError {
        CodedError::new(Code::TooShort).with("min", min)
    }

    pub fn length_out_of_range(min: usize, max: usize) -> CodedError {
        CodedError::new(Code::LengthOutOfRange).with("min", min).with("max", max)
    }

    pub fn out_of_range(min: i64, max: i64) -> CodedError {
        CodedError::new(Code::OutOfRange).with("min", min).with("max", max)
    }

    pub fn too_small(min: i64) -> CodedError {
        CodedError::new(Code::TooSmall).with("min", min)
    }

    pub fn qty_out_of_range(min: i32, max: i32) -> CodedError {
        CodedError::new(Code::QtyOutOfRange).with("min", min).with("max", max)
    }

    /// One of the `too_many_*` codes with its `max`.
    pub fn too_many(code: Code, max: usize) -> CodedError {
        debug_assert!(matches!(
            code,
            Code::TooManyGroups | Code::TooManyOptions | Code::TooManyLines | Code::TooManyOrders
        ));
        CodedError::new(code).with("max", max)
    }

    /// A parser's complaint (`json_invalid`, `missing_field`, `unknown_field`,
    /// `invalid_value`) with its own words.
    pub fn parser(code: Code, detail: impl Into<String>) -> CodedError {
        CodedError::new(code).with("detail", detail.into())
    }

    pub fn http_error(status: u16) -> CodedError {
        CodedError::new(Code::HttpError).with("status", status)
    }

    pub fn payload_too_large(limit: usize) -> CodedError {
        CodedError::new(Code::PayloadTooLarge).with("limit", limit)
    }

    /// `rate_limited` or `too_many_streams`.
    pub fn retry_after(code: Code, secs: u64) -> CodedError {
        CodedError::new(code).with("retry_after_secs", secs)
    }

    /// The brands (tenant id, brand name) an email opens accounts in.
    pub fn email_in_several_brands(brands: impl IntoIterator<Item = (String, String)>) -> CodedError {
        let brands: Vec<Value> = brands
            .into_iter()
            .map(|(tenant_id, name)| serde_json::json!({ "tenant_id": tenant_id, "name": name }))
            .collect();
        CodedError::new(Code::EmailInSeveralBrands).with("brands", brands)
    }

    pub fn status_transition(from: &str, to: &str) -> CodedError {
        CodedError::new(Code::StatusTransition).with("from", from).with("to", to)
    }

    pub fn order_too_old(hours: i64) -> CodedError {
        CodedError::new(Code::OrderTooOld).with("hours", hours)
    }

    pub fn price_changed(price_minor: i64, shown_minor: i64) -> CodedError {
        CodedError::new(Code::PriceChanged).with("price_minor", price_minor).with("shown_minor", shown_minor)
    }

    pub fn price_not_offered(item: &str, shown_minor: i64, window_hours: i64) -> CodedError {
        CodedError::new(Code::PriceNotOffered)
            .with("item", item)
            .with("shown_minor", shown_minor)
            .with("window_hours", window_hours)
    }

    pub fn option_unknown(option_id: impl fmt::Display) -> CodedError {
        CodedError::new(Code::OptionUnknown).with("option_id", option_id.to_string())
    }

    pub fn choose_at_least(min: u32, group: &str) -> CodedError {
        CodedError::new(Code::ChooseAtLeast).with("min", min).with("group", group)
    }

    pub fn choose_at_most(max: u32, group: &str) -> CodedError {
        CodedError::new(Code::ChooseAtMost).with("max", max).with("group", group)
    }

    /// The `brands` of `email_in_several_brands`: (tenant id, name).
    pub fn brands(&self) -> Vec<(String, String)> {
        let Some(Value::Array(brands)) = self.params.get("brands") else { return Vec::new() };
        brands
            .iter()
            .filter_map(|b| Some((b.get("tenant_id")?.as_str()?.to_owned(), b.get("name")?.as_str()?.to_owned())))
            .collect()
    }
}

#[cfg(feature = "openapi")]
mod schema {
    use utoipa::openapi::{
        RefOr, Type,
        schema::{ObjectBuilder, Schema},
    };

    use super::Code;

    impl utoipa::PartialSchema for Code {
        fn schema() -> RefOr<Schema> {
            let mut description = String::from(
                "Why a request was refused: a stable machine code. Clients translate it (Indonesian and \
                 English in `pos_wire::problem::describe`) and fall back to `detail` or the field's message \
                 for a code they do not know. Each code, its parameters and meaning:\n\n",
            );
            for code in Code::ALL {
                let params = code.params().join(", ");
                description.push_str(&format!("- `{}`", code.as_str()));
                if !params.is_empty() {
                    description.push_str(&format!(" ({params})"));
                }
                description.push_str(&format!(":{}\n", code.meaning()));
            }
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(Code::ALL.iter().map(|c| c.as_str())))
                .description(Some(description))
                .into()
        }
    }

    impl utoipa::ToSchema for Code {}
}
