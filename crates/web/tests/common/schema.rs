//! A small validator for the subset of JSON Schema that the OpenAPI document uses
//! ($ref, allOf/oneOf/anyOf, type with null, properties, required, items, enum),
//! to check that what the server returns is what the document promises.

use serde_json::Value;
use std::collections::BTreeSet;

pub fn validate(doc: &Value, schema: &Value, instance: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        match resolve(doc, r) {
            Some(target) => validate(doc, target, instance, at, errors),
            None => errors.push(format!("{at}: unresolved $ref {r}")),
        }
        return;
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            validate_shallow(doc, s, instance, at, errors);
        }
        check_undeclared(doc, schema, instance, at, errors);
        return;
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let ok = options.iter().any(|s| {
                let mut e = Vec::new();
                validate(doc, s, instance, at, &mut e);
                e.is_empty()
            });
            if !ok {
                errors.push(format!("{at}: matches none of {key}"));
            }
            return;
        }
    }
    validate_shallow(doc, schema, instance, at, errors);
    check_undeclared(doc, schema, instance, at, errors);
}

/// Validates without checking for undeclared properties (for allOf parts).
fn validate_shallow(doc: &Value, schema: &Value, instance: &Value, at: &str, errors: &mut Vec<String>) {
    if schema.get("$ref").is_some() || schema.get("allOf").is_some() || schema.get("oneOf").is_some() {
        let mut inner = Vec::new();
        validate(doc, schema, instance, at, &mut inner);
        errors.extend(inner.into_iter().filter(|e| !e.contains("undeclared property")));
        return;
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let nullable = types.contains(&"null") || schema.get("nullable") == Some(&Value::Bool(true));
    if instance.is_null() {
        if !nullable && !types.is_empty() {
            errors.push(format!("{at}: null where the schema says {types:?}"));
        }
        return;
    }
    let type_ok = types.is_empty()
        || types.iter().any(|t| match *t {
            "string" => instance.is_string(),
            "integer" => instance.is_i64() || instance.is_u64(),
            "number" => instance.is_number(),
            "boolean" => instance.is_boolean(),
            "array" => instance.is_array(),
            "object" => instance.is_object(),
            _ => false,
        });
    if !type_ok {
        errors.push(format!("{at}: {instance} is not {types:?}"));
        return;
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        if !values.contains(instance) {
            errors.push(format!("{at}: {instance} not in enum"));
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), instance.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            validate(doc, items, v, &format!("{at}[{i}]"), errors);
        }
    }
    if let Some(obj) = instance.as_object() {
        if let Some(req) = schema.get("required").and_then(Value::as_array) {
            for r in req.iter().filter_map(Value::as_str) {
                if !obj.contains_key(r) {
                    errors.push(format!("{at}: missing required property `{r}`"));
                }
            }
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (k, s) in props {
                if let Some(v) = obj.get(k) {
                    validate(doc, s, v, &format!("{at}.{k}"), errors);
                }
            }
        }
    }
}

fn declared(doc: &Value, schema: &Value, out: &mut BTreeSet<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        if let Some(t) = resolve(doc, r) {
            declared(doc, t, out);
        }
        return;
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            declared(doc, s, out);
        }
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        out.extend(props.keys().cloned());
    }
}

fn check_undeclared(doc: &Value, schema: &Value, instance: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(obj) = instance.as_object() else { return };
    let mut names = BTreeSet::new();
    declared(doc, schema, &mut names);
    if names.is_empty() {
        return;
    }
    for k in obj.keys() {
        if !names.contains(k) {
            errors.push(format!("{at}: undeclared property `{k}`"));
        }
    }
}

fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let path = reference.strip_prefix("#/")?;
    path.split('/').try_fold(doc, |v, part| v.get(part))
}
