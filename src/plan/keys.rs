//! The keys of the plan format that may be written at a place in a plan file: what an editor
//! offers when a key is being typed.
//!
//! The place is found from the indentation of the lines above (block-style YAML, as plan files
//! are written), the keys from the plan format's JSON Schema ([`super::schema`]), so they are
//! the keys the loader accepts, with its descriptions.

use serde_json::Value;

/// A key of the plan format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    /// The key.
    pub name: String,
    /// What it is for (the schema's description).
    pub doc: Option<String>,
}

/// The keys that may be written at byte `offset` of a plan file's text, where a key is being
/// typed (only spaces, a `- ` and part of a word before it on its line); empty elsewhere (in a
/// value, in a flow mapping, under an unknown key).
///
/// ```
/// let text = "chitieu: 1\ngoals:\n  - id: g\n    ti\n";
/// let keys = chitieu::plan::keys_at(text, text.len() - 1);
/// assert!(keys.iter().any(|k| k.name == "title"));
/// assert!(keys.iter().all(|k| k.name != "period"));
/// ```
pub fn keys_at(text: &str, offset: usize) -> Vec<Key> {
    let Some(path) = path_at(text, offset) else {
        return Vec::new();
    };
    let schema = super::schema();
    let mut node = &schema;
    for segment in &path {
        node = resolve(&schema, node);
        let next = match segment {
            Segment::Item => node.get("items"),
            Segment::Key(key) => node
                .get("properties")
                .and_then(|p| p.get(key.as_str()))
                .or_else(|| node.get("additionalProperties").filter(|a| a.is_object())),
        };
        let Some(next) = next else {
            return Vec::new();
        };
        node = next;
    }
    let node = resolve(&schema, node);
    let Some(properties) = node.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    properties
        .iter()
        .map(|(name, p)| Key {
            name: name.clone(),
            doc: p
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
        .collect()
}

/// A step from the top of the file down to a place: into a key's value, or into a list item.
#[derive(Debug, PartialEq, Eq)]
enum Segment {
    Key(String),
    Item,
}

/// The object schema a node stands for: `$ref`s followed, the non-null branch of an optional.
fn resolve<'s>(schema: &'s Value, mut node: &'s Value) -> &'s Value {
    // References do not nest deeply in the plan schema; the bound keeps a cycle from looping.
    for _ in 0..8 {
        if let Some(name) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
        {
            match schema.get("$defs").and_then(|d| d.get(name)) {
                Some(def) => node = def,
                None => return node,
            }
        } else if let Some(branch) = node.get("anyOf").and_then(Value::as_array).and_then(|b| {
            b.iter()
                .find(|b| b.get("type") != Some(&Value::from("null")))
        }) {
            node = branch;
        } else {
            return node;
        }
    }
    node
}

/// Where a key typed at `offset` goes: the keys and list items above it, outermost first.
fn path_at(text: &str, offset: usize) -> Option<Vec<Segment>> {
    let before = text.get(..offset)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let typed = before.get(line_start..)?;
    let content = typed.trim_start_matches(' ');
    let mut level = typed.len() - content.len();
    let mut path = Vec::new();
    let word = match content.strip_prefix("- ") {
        Some(rest) => {
            // `- ti`: a key of a new list item; its parent is left of the dash.
            path.push(Segment::Item);
            rest.trim_start_matches(' ')
        }
        None => content,
    };
    if !word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let lines: Vec<&str> = text.get(..line_start)?.lines().collect();
    for line in lines.iter().rev() {
        let content = line.trim_start_matches(' ');
        if content.trim().is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        if let Some(rest) = content
            .strip_prefix("- ")
            .or((content == "-").then_some(""))
        {
            // A list item at `indent` whose keys stand at `indent + 2`.
            let key_column = indent + 2 + (rest.len() - rest.trim_start_matches(' ').len());
            if key_column == level {
                path.push(Segment::Item);
                level = indent;
                continue;
            }
            if key_column < level {
                // `- key:` opening a mapping under the item's key.
                path.push(Segment::Key(key_of(rest)?));
                path.push(Segment::Item);
                level = indent;
                continue;
            }
            if indent < level {
                path.push(Segment::Item);
                level = indent;
            }
            continue;
        }
        if indent < level {
            path.push(Segment::Key(key_of(content)?));
            level = indent;
        }
        if level == 0 {
            break;
        }
    }
    path.reverse();
    Some(path)
}

/// The key of a `key:` line whose value is a nested block (nothing, or a comment, after the
/// colon); `None` for a line with a scalar value, which nothing can be nested under.
fn key_of(content: &str) -> Option<String> {
    let (key, rest) = content.split_once(':')?;
    let rest = rest.trim();
    let nested =
        rest.is_empty() || rest.starts_with('#') || rest.starts_with('|') || rest.starts_with('>');
    nested.then(|| key.trim().trim_matches(['"', '\'']).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        let at = text.find('|').unwrap();
        let text = text.replace('|', "");
        keys_at(&text, at).into_iter().map(|k| k.name).collect()
    }

    #[test]
    fn top_level_keys() {
        let keys = names("chitieu: 1\n|\n");
        assert!(keys.contains(&"goals".to_string()));
        assert!(keys.contains(&"include".to_string()));
    }

    #[test]
    fn keys_of_the_header_of_a_goal_and_of_an_indicator() {
        assert!(names("chitieu: 1\nplan:\n  id: P\n  |\n").contains(&"period".to_string()));
        let goal = names("goals:\n  - id: g\n    |\n");
        assert!(goal.contains(&"rule".to_string()) && goal.contains(&"milestones".to_string()));
        let new_goal = names("goals:\n  - id: g\n  - ru|\n");
        assert!(new_goal.contains(&"rule".to_string()));
        let indicator = names("indicators:\n  online_rate:\n    name: X\n    |\n");
        assert!(indicator.contains(&"formula".to_string()));
        assert!(indicator.contains(&"better".to_string()));
    }

    #[test]
    fn nothing_in_a_value_or_under_an_unknown_key() {
        assert!(names("chitieu: 1\nplan:\n  id: |\n").is_empty());
        assert!(names("chitieu: 1\nplann:\n  |\n").is_empty());
    }
}
