//! Fake text for seed columns (`fake = "name"`, `"email"`, `"paragraph"`, …): the `fake`
//! crate's English generators on the table's own RNG stream, cut to the column's length and
//! made unique by the row number when the column must be.

use fake::Fake;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Fake text of a kind; `unique` makes it unique by the row number.
pub(super) fn fake_text(
    rng: &mut ChaCha8Rng,
    kind: &str,
    unique: bool,
    max_len: Option<usize>,
    row: u64,
) -> Result<String, String> {
    use fake::faker::address::en::CityName;
    use fake::faker::company::en::CompanyName;
    use fake::faker::internet::en::{SafeEmail, Username};
    use fake::faker::lorem::en::{Paragraph, Paragraphs, Sentence, Word, Words};
    use fake::faker::name::en::{FirstName, LastName, Name};
    let mut text: String = match kind {
        "name" => Name().fake_with_rng(rng),
        "first_name" => FirstName().fake_with_rng(rng),
        "last_name" => LastName().fake_with_rng(rng),
        "username" => {
            let raw: String = Username().fake_with_rng(rng);
            raw.to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect()
        }
        "email" => SafeEmail().fake_with_rng(rng),
        "sentence" => Sentence(4..12).fake_with_rng(rng),
        "paragraph" => Paragraph(3..7).fake_with_rng(rng),
        "paragraphs" => {
            let p: Vec<String> = Paragraphs(3..6).fake_with_rng(rng);
            p.join("\n\n")
        }
        "words" => {
            let w: Vec<String> = Words(2..5).fake_with_rng(rng);
            w.join(" ")
        }
        "word" => Word().fake_with_rng(rng),
        "city" => CityName().fake_with_rng(rng),
        "company" => CompanyName().fake_with_rng(rng),
        "url" => {
            let w: String = Word().fake_with_rng(rng);
            format!("https://{w}.example.com/{}", rng.random_range(1..100_000))
        }
        other => return Err(format!("unknown fake kind '{other}'")),
    };
    let suffix = if unique {
        match kind {
            "email" => String::new(),
            "username" => format!("_{row}"),
            _ => format!(" {row}"),
        }
    } else {
        String::new()
    };
    if let Some(max) = max_len {
        let keep = max.saturating_sub(suffix.len());
        if text.chars().count() > keep {
            text = text
                .chars()
                .take(keep)
                .collect::<String>()
                .trim_end()
                .to_string();
        }
    }
    if unique && kind == "email" {
        // name.ROW@domain: unique whatever the fake part is.
        if let Some((local, domain)) = text.split_once('@') {
            text = format!("{local}.{row}@{domain}");
        }
    } else {
        text.push_str(&suffix);
    }
    Ok(text)
}
