//! The shipped model file is what the trainer makes from the current data, so it never goes
//! stale: change the fixtures, the features or the trainer and this fails until
//! `cargo run -p iki-colmodel --bin iki-colmodel-train` is run again.

use iki_colmodel::train::{fit, repo_root, training_data, TrainConfig};
use iki_colmodel::{ColumnModel, ModelError};

const EMBEDDED: &[u8] = include_bytes!("../data/columns.bin");

#[test]
fn embedded_model_equals_a_fresh_fit() {
    let examples = training_data(&repo_root()).expect("training data reads");
    let fresh = fit(&examples, &TrainConfig::default()).to_bytes();
    assert!(
        fresh == EMBEDDED,
        "data/columns.bin is stale ({} bytes, fresh fit {} bytes): run \
         `cargo run -p iki-colmodel --bin iki-colmodel-train`",
        EMBEDDED.len(),
        fresh.len()
    );
}

#[test]
fn fitting_twice_gives_the_same_bytes() {
    let examples = training_data(&repo_root()).expect("training data reads");
    let config = TrainConfig {
        epochs: 3,
        ..TrainConfig::default()
    };
    assert!(fit(&examples, &config).to_bytes() == fit(&examples, &config).to_bytes());
}

#[test]
fn model_file_round_trips_and_rejects_other_bytes() {
    let model = ColumnModel::from_bytes(EMBEDDED).expect("embedded model reads");
    assert_eq!(model.to_bytes(), EMBEDDED);
    assert_eq!(
        ColumnModel::from_bytes(b"not a model"),
        Err(ModelError::NotAModel)
    );
    assert_eq!(
        ColumnModel::from_bytes(&EMBEDDED[..EMBEDDED.len() - 2]),
        Err(ModelError::Size)
    );
}
