// The JSON Schema of each scenario editor's model. Monaco's JSON language takes one list of
// schemas for the whole page, so the list is kept here and set whole on every change.
const schemas = new Map();

function apply() {
    globalThis.monaco.languages.json.jsonDefaults.setDiagnosticsOptions({
        validate: true,
        // Every schema is given inline: nothing is fetched (a visitor may be offline).
        enableSchemaRequest: false,
        schemas: [...schemas].map(([modelUri, schema]) => ({
            uri: `${modelUri}.schema.json`,
            fileMatch: [modelUri],
            schema,
        })),
    });
}

export function useSchema(modelUri, schemaJson) {
    schemas.set(modelUri, JSON.parse(schemaJson));
    apply();
}

export function forgetSchema(modelUri) {
    if (schemas.delete(modelUri) && globalThis.monaco) {
        apply();
    }
}
