//! The built-in suite (src/workloads/builtin.rs) embeds `workloads/`: a file added there must rebuild
//! versus as a changed one does (cargo scans a folder named here for any change).

fn main() {
    println!("cargo:rerun-if-changed=workloads");
}
