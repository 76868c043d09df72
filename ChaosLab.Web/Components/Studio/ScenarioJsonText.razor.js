// Monaco for the scenario studio's JSON text: one editor per ScenarioJsonText, driven only through
// this module, which each component imports with its own circuit's IJSRuntime (Monaco's files are
// loaded by App.razor). Each editor is kept here by its component's id, with its JSON Schema.
const editors = new Map();

// Monaco's JSON language takes one list of schemas for the whole page, each matched to a model's
// address, so it is set whole from every editor's schema on every change.
function applySchemas() {
    globalThis.monaco.languages.json.jsonDefaults.setDiagnosticsOptions({
        validate: true,
        // Every schema is given inline: nothing is fetched (a visitor may be offline).
        enableSchemaRequest: false,
        schemas: [...editors.values()].filter(e => e.schema).map(({ editor, schema }) => {
            const modelUri = editor.getModel().uri.toString();
            return { uri: `${modelUri}.schema.json`, fileMatch: [modelUri], schema };
        }),
    });
}

function editorOf(id) {
    const entry = editors.get(id);
    if (!entry) {
        throw new Error(`No scenario JSON editor ${id} on this page.`);
    }

    return entry.editor;
}

// Creates the editor in host; every change of its text is reported to component (which waits for
// typing to pause before it asks for the text).
export function create(host, id, settings, schemaJson, component) {
    const editor = globalThis.monaco.editor.create(host, {
        value: settings.value,
        language: 'json',
        readOnly: settings.readOnly,
        theme: settings.theme,
        automaticLayout: true,
        minimap: { enabled: false },
        scrollBeyondLastLine: false,
        tabSize: 2,
    });
    editor.onDidChangeModelContent(() => component.invokeMethodAsync('OnContentChangedAsync'));
    editors.set(id, { editor, schema: schemaJson === null ? null : withoutDraft(JSON.parse(schemaJson)) });
    applySchemas();
}

// Monaco 0.34 validates nothing against a schema declaring draft 2020-12 (it reports "not yet
// fully supported" instead); the keywords the suites' schemas use read the same in the draft it
// knows, so the declaration is left out.
function withoutDraft({ $schema, ...schema }) {
    return schema;
}

export function getValue(id) {
    return editorOf(id).getValue();
}

export function setValue(id, text) {
    editorOf(id).setValue(text);
}

export function setReadOnly(id, readOnly) {
    editorOf(id).updateOptions({ readOnly });
}

// Monaco has one theme for the whole page.
export function setTheme(theme) {
    globalThis.monaco.editor.setTheme(theme);
}

export function dispose(id) {
    const entry = editors.get(id);
    if (entry) {
        editors.delete(id);
        entry.editor.dispose();
        applySchemas();
    }
}
