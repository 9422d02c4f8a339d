//! The native install's files (`docker/systemd`): systemd accepts every unit
//! (`systemd-analyze verify`, with the programs they run put where the
//! units expect them), and the environment templates name only settings
//! the server reads.

use std::{collections::BTreeSet, process::Command};

use pos_fault_tests::Scratch;
use pos_tests::pos_server_binary;

use pos_cluster_tests::REPO;

#[test]
fn systemd_accepts_the_units() {
    if Command::new("systemd-analyze").arg("--version").output().is_err() {
        eprintln!("systemd-analyze is not installed; skipping the unit check");
        return;
    }
    let scratch = Scratch::new("units");
    let dir = format!("{REPO}/docker/systemd");
    // The programs the units run, at the paths they name, in this copy.
    let programs = [
        ("/usr/local/bin/pos-server", pos_server_binary().display().to_string()),
        ("/usr/local/lib/pos/pos-backup", format!("{REPO}/docker/backup/pos-backup")),
        ("/usr/bin/rsync", "/bin/true".to_string()),
    ];
    let mut units = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !(name.ends_with(".service") || name.ends_with(".timer")) {
            continue;
        }
        let mut text = std::fs::read_to_string(&path).unwrap();
        for (from, to) in &programs {
            text = text.replace(from, to);
        }
        // A template is verified as one of its instances.
        let name = name.replace("@.service", "@8081.service");
        std::fs::write(scratch.path(&name), text).unwrap();
        units.push(scratch.path(&name));
    }
    assert!(units.len() >= 8, "the units are there: {units:?}");
    let out = Command::new("systemd-analyze").args(["verify", "--man=no"]).args(&units).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    // Only complaints about this machine (no such user or directory here) are acceptable.
    let problems: Vec<&str> = said.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(out.status.success() && problems.is_empty(), "systemd-analyze verify:\n{said}");
}

#[test]
fn the_environment_templates_name_only_settings_the_server_reads() {
    // Every name the backend's sources spell out (config.rs, telemetry.rs...).
    let mut config = String::new();
    let mut dirs = vec![std::path::PathBuf::from(format!("{REPO}/backend/src"))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                config.push_str(&std::fs::read_to_string(path).unwrap());
            }
        }
    }
    let mut unknown = BTreeSet::new();
    for file in ["pos.env.example", "owner.env.example"] {
        let text = std::fs::read_to_string(format!("{REPO}/docker/systemd/{file}")).unwrap();
        for line in text.lines().map(|l| l.trim_start_matches('#')) {
            if let Some((key, _)) = line.split_once('=')
                && key.starts_with("POS_")
                && !config.contains(&format!("\"{key}\""))
            {
                unknown.insert(key.to_string());
            }
        }
    }
    assert!(unknown.is_empty(), "the templates set what the server never reads: {unknown:?}");
}
