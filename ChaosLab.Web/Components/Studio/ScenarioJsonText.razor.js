// The JSON Schema of each scenario editor's text. Monaco's JSON language takes one list of
// schemas for the whole page, each matched to a model's address, so the list is kept here (by
// editor id) and set whole on every change.
const schemas = new Map();

function apply() {
    globalThis.monaco.languages.json.jsonDefaults.setDiagnosticsOptions({
        validate: true,
        // Every schema is given inline: nothing is fetched (a visitor may be offline).
        enableSchemaRequest: false,
        schemas: [...schemas.values()].map(({ modelUri, schema }) => ({
            uri: `${modelUri}.schema.json`,
            fileMatch: [modelUri],
            schema,
        })),
    });
}

export function useSchema(editorId, schemaJson) {
    const editor = globalThis.blazorMonaco.editor.getEditor(editorId);
    schemas.set(editorId, { modelUri: editor.getModel().uri.toString(), schema: JSON.parse(schemaJson) });
    apply();
}

export function forgetSchema(editorId) {
    if (schemas.delete(editorId) && globalThis.monaco) {
        apply();
    }
}
