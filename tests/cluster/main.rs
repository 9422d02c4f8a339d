//! Deployment tests: the production topology on loopback. Two pos-server
//! processes behind nginx (the shipped site) with one killed under load, a
//! PostgreSQL streaming standby serving lag-tolerant reads and then
//! promoted, backups restored to a point in time, and the server through
//! PgBouncer in transaction mode. Each test starts the processes it needs
//! (its own PostgreSQL clusters where it stops or clones them).

mod backup;
mod failover;
mod nginx_site;
mod pgbouncer;
mod promotion;
mod replica_reads;
mod systemd_units;
