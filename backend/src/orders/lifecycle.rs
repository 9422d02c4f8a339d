//! Which status moves are allowed: `placed → accepted → preparing → ready →
//! completed`, and `cancelled` from any state before `completed`. The
//! kitchen recalling a bumped ticket takes a ready order back to preparing.

use pos_wire::OrderStatus::{self, *};

/// Why an order changes status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Along the lifecycle (or cancelled), as anyone allowed may ask.
    Lifecycle,
    /// The kitchen reopened a bumped ticket.
    Recall,
    /// A check got a new round: a ready order is being prepared again.
    NewRound,
}

impl Move {
    /// The reason an event gives for this kind of move, when it has its own.
    pub fn reason(self) -> Option<&'static str> {
        match self {
            Move::Lifecycle => None,
            Move::Recall => Some("recalled"),
            Move::NewRound => Some("new_round"),
        }
    }

    pub fn allows(self, from: OrderStatus, to: OrderStatus) -> bool {
        match self {
            Move::Lifecycle => can_move(from, to),
            Move::Recall | Move::NewRound => (from, to) == (Ready, Preparing),
        }
    }
}

pub fn can_move(from: OrderStatus, to: OrderStatus) -> bool {
    matches!((from, to), (Placed, Accepted) | (Accepted, Preparing) | (Preparing, Ready) | (Ready, Completed))
        || (to == Cancelled && !matches!(from, Completed | Cancelled))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [OrderStatus; 6] = [Placed, Accepted, Preparing, Ready, Completed, Cancelled];

    #[test]
    fn the_whole_table() {
        let allowed = [
            (Placed, Accepted),
            (Accepted, Preparing),
            (Preparing, Ready),
            (Ready, Completed),
            (Placed, Cancelled),
            (Accepted, Cancelled),
            (Preparing, Cancelled),
            (Ready, Cancelled),
        ];
        for from in ALL {
            for to in ALL {
                assert_eq!(can_move(from, to), allowed.contains(&(from, to)), "{from:?} -> {to:?}");
                assert_eq!(Move::Lifecycle.allows(from, to), can_move(from, to));
            }
        }
    }

    #[test]
    fn a_recall_only_takes_a_ready_order_back_to_preparing() {
        for from in ALL {
            for to in ALL {
                assert_eq!(Move::Recall.allows(from, to), (from, to) == (Ready, Preparing), "{from:?} -> {to:?}");
            }
        }
    }
}
