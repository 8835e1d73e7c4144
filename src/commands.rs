//! One module per subcommand; each wires the data-flow steps together and nothing more.

pub mod advise;
pub mod article;
pub mod compare;
pub mod doctor;
pub mod exchange;
pub mod exec;
pub mod list;
pub mod load;
pub mod manual;
pub mod report;
pub mod run;

mod output;
mod session;
