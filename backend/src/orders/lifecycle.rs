//! Which status moves are allowed: `placed → accepted → preparing → ready →
//! completed`, and `cancelled` from any state before `completed`.

use pos_wire::OrderStatus::{self, *};

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
            }
        }
    }
}
