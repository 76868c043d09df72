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
    // Monaco 0.34 validates nothing against a schema declaring draft 2020-12 (it reports "not
    // yet fully supported" instead); the keywords the suites' schemas use read the same in the
    // draft it knows, so the declaration is left out.
    const { $schema, ...schema } = JSON.parse(schemaJson);
    schemas.set(editorId, { modelUri: editor.getModel().uri.toString(), schema });
    apply();
}

export function forgetSchema(editorId) {
    if (schemas.delete(editorId) && globalThis.monaco) {
        apply();
    }
}
