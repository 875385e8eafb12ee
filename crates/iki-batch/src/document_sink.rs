//! A hook for one more output: a [`DocumentSink`] receives every finished document.
//!
//! The batch driver knows nothing of what the sink does with the documents (the `iki` binary
//! plugs a database writer in here). The sink is called on the writer thread, in input order,
//! after the document's JSON outputs are written; an error from it stops the run like an
//! unwritable output ([`crate::BatchError::Sink`]).

use std::error::Error;
use std::fmt;

use iki_model::IkiDocument;

/// Why a sink could not take a document.
pub type SinkError = Box<dyn Error + Send + Sync>;

/// Receives each finished document of a run.
pub trait DocumentSink: fmt::Debug + Send + Sync {
    /// Take the next document in input order (`doc.source.path` is its display path).
    fn write(&self, doc: IkiDocument) -> Result<(), SinkError>;

    /// The run wrote its last document: make everything taken durable.
    fn finish(&self) -> Result<(), SinkError>;
}
