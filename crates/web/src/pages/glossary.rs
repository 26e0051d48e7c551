//! Expands the abbreviations of the seed documents where they appear in text:
//! `SLOM` becomes `<abbr title="Senior Labour Officials Meeting">SLOM</abbr>`.

use tripart_storage::read;
use tripart_storage::Db;

#[derive(Debug, Clone, Default)]
pub struct Glossary {
    /// (term, expansion), longest term first so that `SLOM-WG-HIV` wins over `SLOM`.
    terms: Vec<(String, String)>,
}

impl Glossary {
    pub async fn load(db: &Db) -> Glossary {
        let terms = match read::glossary(db).await {
            Ok(list) => list.into_iter().map(|g| (g.term, g.expansion)).collect(),
            Err(e) => {
                tracing::warn!(error = %e, "glossary unavailable; abbreviations shown unexpanded");
                Vec::new()
            }
        };
        Glossary::from_terms(terms)
    }

    pub fn from_terms(mut terms: Vec<(String, String)>) -> Glossary {
        terms.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        Glossary { terms }
    }

    /// Escapes `text` for HTML and wraps each known abbreviation in `<abbr>`.
    pub fn expand(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 32);
        let mut i = 0;
        let bytes = text.as_bytes();
        while i < text.len() {
            let at_word_start = i == 0 || !is_word_byte(bytes[i - 1]);
            let hit = if at_word_start {
                self.terms.iter().find(|(term, _)| {
                    text[i..].starts_with(term.as_str())
                        && text.as_bytes().get(i + term.len()).is_none_or(|b| !is_word_byte(*b) && *b != b'-')
                })
            } else {
                None
            };
            if let Some((term, expansion)) = hit {
                out.push_str("<abbr title=\"");
                out.push_str(&escape(expansion));
                out.push_str("\">");
                out.push_str(&escape(term));
                out.push_str("</abbr>");
                i += term.len();
            } else {
                let ch = text[i..].chars().next().unwrap_or(' ');
                out.push_str(&escape(ch.encode_utf8(&mut [0; 4])));
                i += ch.len_utf8();
            }
        }
        out
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// HTML escaping for text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g() -> Glossary {
        Glossary::from_terms(vec![
            ("SLOM".into(), "Senior Labour Officials Meeting".into()),
            ("SLOM-WG".into(), "SLOM Working Group".into()),
            ("ILO".into(), "International Labour Organization".into()),
        ])
    }

    #[test]
    fn expands_whole_words_longest_first() {
        let html = g().expand("SLOM-WG reports to SLOM; ILOSTAT is not ILO.");
        assert!(html.starts_with("<abbr title=\"SLOM Working Group\">SLOM-WG</abbr>"), "{html}");
        assert!(html.contains("<abbr title=\"Senior Labour Officials Meeting\">SLOM</abbr>;"), "{html}");
        assert!(html.contains("ILOSTAT"), "{html}");
        assert!(html.contains("<abbr title=\"International Labour Organization\">ILO</abbr>."), "{html}");
    }

    #[test]
    fn escapes_everything_else() {
        let html = g().expand("<script>alert('x')</script> & ILO");
        assert!(html.starts_with("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; <abbr"), "{html}");
    }
}
