//! Generated values and their binary encoding for `COPY ... (FORMAT binary)`: one value type
//! that writes itself as whatever the target column's type is (enums, jsonb, timestamps,
//! arrays, uuid, numeric included).

use std::error::Error;

use postgres_types::{IsNull, Kind, ToSql, Type};
use tokio_postgres::types::private::BytesMut;

/// Microseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01).
const PG_EPOCH_OFFSET_MICROS: i64 = 946_684_800_000_000;

/// A generated value, not yet tied to a column type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Float(f64),
    Bool(bool),
    Text(String),
    /// Microseconds since the Unix epoch (UTC).
    Time(i64),
    IntArray(Vec<i64>),
}

impl Value {
    pub fn from_toml(v: &toml::Value) -> Value {
        match v {
            toml::Value::String(s) => Value::Text(s.clone()),
            toml::Value::Integer(i) => Value::Int(*i),
            toml::Value::Float(f) => Value::Float(*f),
            toml::Value::Boolean(b) => Value::Bool(*b),
            toml::Value::Datetime(d) => Value::Text(d.to_string()),
            toml::Value::Array(items) => {
                Value::IntArray(items.iter().filter_map(toml::Value::as_integer).collect())
            }
            toml::Value::Table(t) => Value::Text(
                serde_json::to_string(&toml_to_json(&toml::Value::Table(t.clone())))
                    .unwrap_or_default(),
            ),
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The value as text, borrowed when it is text already (map and switch keys).
    pub fn text_cow(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Value::Text(s) => std::borrow::Cow::Borrowed(s),
            other => std::borrow::Cow::Owned(other.text()),
        }
    }

    /// The value as text, for templates and maps.
    pub fn text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Text(s) => s.clone(),
            Value::Time(t) => chrono::DateTime::from_timestamp_micros(*t)
                .map(|d| d.to_rfc3339())
                .unwrap_or_default(),
            Value::IntArray(a) => format!(
                "{{{}}}",
                a.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
            ),
        }
    }
}

impl Value {
    /// Appends the value as text (what [`Value::text`] returns), without a copy for text
    /// and with no allocation for integers.
    fn write_text(&self, out: &mut BytesMut) {
        match self {
            Value::Text(s) => out.extend_from_slice(s.as_bytes()),
            Value::Int(i) => out.extend_from_slice(itoa::Buffer::new().format(*i).as_bytes()),
            other => out.extend_from_slice(other.text().as_bytes()),
        }
    }
}

fn toml_to_json(v: &toml::Value) -> serde_json::Value {
    match v {
        toml::Value::String(s) => serde_json::Value::String(s.clone()),
        toml::Value::Integer(i) => serde_json::Value::from(*i),
        toml::Value::Float(f) => serde_json::Value::from(*f),
        toml::Value::Boolean(b) => serde_json::Value::Bool(*b),
        toml::Value::Datetime(d) => serde_json::Value::String(d.to_string()),
        toml::Value::Array(a) => serde_json::Value::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => serde_json::Value::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

type BoxError = Box<dyn Error + Sync + Send>;

fn mismatch(value: &Value, ty: &Type) -> BoxError {
    format!("cannot write {value:?} into a column of type {ty}").into()
}

impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        if let Value::Null = self {
            return Ok(IsNull::Yes);
        }
        if let Kind::Enum(_) = ty.kind() {
            self.write_text(out);
            return Ok(IsNull::No);
        }
        if let Kind::Domain(inner) = ty.kind() {
            return self.to_sql(inner, out);
        }
        match (ty, self) {
            (&Type::INT2, Value::Int(i)) => i16::try_from(*i)?.to_sql(ty, out),
            (&Type::INT4, Value::Int(i)) => i32::try_from(*i)?.to_sql(ty, out),
            (&Type::INT8, Value::Int(i)) => i.to_sql(ty, out),
            (&Type::FLOAT4, Value::Float(f)) => (*f as f32).to_sql(ty, out),
            (&Type::FLOAT8, Value::Float(f)) => f.to_sql(ty, out),
            (&Type::FLOAT4, Value::Int(i)) => (*i as f32).to_sql(ty, out),
            (&Type::FLOAT8, Value::Int(i)) => (*i as f64).to_sql(ty, out),
            (&Type::BOOL, Value::Bool(b)) => b.to_sql(ty, out),
            (&Type::TEXT | &Type::VARCHAR | &Type::BPCHAR | &Type::NAME, v) => {
                v.write_text(out);
                Ok(IsNull::No)
            }
            (&Type::JSONB, v) => {
                out.extend_from_slice(&[1]);
                v.write_text(out);
                Ok(IsNull::No)
            }
            (&Type::JSON, v) => {
                v.write_text(out);
                Ok(IsNull::No)
            }
            (&Type::TIMESTAMPTZ | &Type::TIMESTAMP, Value::Time(t)) => {
                (t - PG_EPOCH_OFFSET_MICROS).to_sql(&Type::INT8, out)
            }
            (&Type::DATE, Value::Time(t)) => {
                let days = (t - PG_EPOCH_OFFSET_MICROS).div_euclid(86_400_000_000);
                i32::try_from(days)?.to_sql(&Type::INT4, out)
            }
            (&Type::INT8_ARRAY, Value::IntArray(a)) => a.to_sql(ty, out),
            (&Type::INT4_ARRAY, Value::IntArray(a)) => {
                let a: Vec<i32> = a
                    .iter()
                    .map(|i| i32::try_from(*i))
                    .collect::<Result<_, _>>()?;
                a.to_sql(ty, out)
            }
            (&Type::UUID, Value::Text(s)) => {
                let hex: String = s.chars().filter(|c| *c != '-').collect();
                if hex.len() != 32 {
                    return Err(format!("'{s}' is not a UUID").into());
                }
                for i in 0..16 {
                    out.extend_from_slice(&[u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)?]);
                }
                Ok(IsNull::No)
            }
            (&Type::NUMERIC, v @ (Value::Int(_) | Value::Float(_) | Value::Text(_))) => {
                encode_numeric(&v.text(), out)?;
                Ok(IsNull::No)
            }
            (_, v) => Err(mismatch(v, ty)),
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    postgres_types::to_sql_checked!();
}

/// Writes a decimal string (`-12.345`) in PostgreSQL's binary numeric format: base-10000
/// digits with weight, sign and display scale.
fn encode_numeric(text: &str, out: &mut BytesMut) -> Result<(), BoxError> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
    if int_part.is_empty() && frac_part.is_empty()
        || !int_part
            .bytes()
            .chain(frac_part.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return Err(format!("'{text}' is not a number").into());
    }
    let dscale = frac_part.len() as u16;
    let int_part = int_part.trim_start_matches('0');
    // Pad the integer part on the left and the fraction on the right to groups of 4.
    let int_pad = (4 - int_part.len() % 4) % 4;
    let frac_pad = (4 - frac_part.len() % 4) % 4;
    let all = format!(
        "{}{}{}{}",
        "0".repeat(int_pad),
        int_part,
        frac_part,
        "0".repeat(frac_pad)
    );
    let mut groups: Vec<i16> = all
        .as_bytes()
        .chunks(4)
        .map(|c| {
            std::str::from_utf8(c)
                .unwrap_or("0")
                .parse::<i16>()
                .unwrap_or(0)
        })
        .collect();
    let mut weight = ((int_part.len() + int_pad) / 4) as i16 - 1;
    while groups.first() == Some(&0) {
        groups.remove(0);
        weight -= 1;
    }
    while groups.last() == Some(&0) {
        groups.pop();
    }
    if groups.is_empty() {
        weight = 0;
    }
    out.extend_from_slice(&(groups.len() as i16).to_be_bytes());
    out.extend_from_slice(&weight.to_be_bytes());
    let sign: u16 = if negative && !groups.is_empty() {
        0x4000
    } else {
        0
    };
    out.extend_from_slice(&sign.to_be_bytes());
    out.extend_from_slice(&dscale.to_be_bytes());
    for g in groups {
        out.extend_from_slice(&g.to_be_bytes());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric(text: &str) -> Vec<u8> {
        let mut out = BytesMut::new();
        encode_numeric(text, &mut out).unwrap();
        out.to_vec()
    }

    #[test]
    fn numeric_encoding_matches_postgres() {
        // 12345.678: digits [1, 2345, 6780], weight 1, dscale 3.
        assert_eq!(
            numeric("12345.678"),
            vec![0, 3, 0, 1, 0, 0, 0, 3, 0, 1, 0x09, 0x29, 0x1a, 0x7c]
        );
        // -0.5: digits [5000], weight -1, negative, dscale 1.
        assert_eq!(
            numeric("-0.5"),
            vec![0, 1, 0xff, 0xff, 0x40, 0, 0, 1, 0x13, 0x88]
        );
        assert_eq!(numeric("0"), vec![0, 0, 0, 0, 0, 0, 0, 0]);
        let mut out = BytesMut::new();
        assert!(encode_numeric("1e5", &mut out).is_err());
    }

    #[test]
    fn enum_and_jsonb_are_written_as_text() {
        let mut out = BytesMut::new();
        Value::Text("{\"a\":1}".into())
            .to_sql(&Type::JSONB, &mut out)
            .unwrap();
        assert_eq!(&out[..], b"\x01{\"a\":1}");
    }
}
