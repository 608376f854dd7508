//! JSON Schemas of the project files, generated from the model types.

use crate::model::{ContentFile, ProjectFile};
use schemars::generate::SchemaSettings;
use serde_json::Value;

/// Every schema as (file name, pretty JSON with a trailing newline).
pub fn schemas() -> Vec<(&'static str, String)> {
    vec![
        (
            "dossier.schema.json",
            render::<ProjectFile>("dossier.yaml", "The dossier project file."),
        ),
        (
            "content.schema.json",
            render::<ContentFile>(
                "dossier content file",
                "A YAML file of a dossier project: any collection or section as a top-level key.",
            ),
        ),
    ]
}

fn render<T: schemars::JsonSchema>(title: &str, description: &str) -> String {
    let generator = SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<T>();
    let mut value = schema.to_value();
    if let Value::Object(map) = &mut value {
        map.insert("title".into(), Value::String(title.into()));
        map.insert("description".into(), Value::String(description.into()));
    }
    close_objects(&mut value);
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// Every object with declared properties accepts no others, so editors flag typos as the
/// loader does.
fn close_objects(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            map.values_mut().for_each(close_objects);
        }
        Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}
