//! Print the IkiDocument of one file as pretty JSON (a development aid; `iki extract` is the tool).
fn main() {
    let path = std::env::args().nth(1).expect("usage: extract_one FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    let doc = iki_parser::extract(&path, &bytes);
    println!(
        "{}",
        serde_json::to_string_pretty(&doc).expect("serializable")
    );
}
