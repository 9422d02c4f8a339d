//! Tenants' structure: outlets, staff and their outlet memberships, paired
//! devices, and the audit log of changes.

pub mod audit;
pub mod brand;
pub mod devices;
pub mod names;
pub mod outlets;
pub mod paging;
pub mod users;
