using System.Text.Json.Nodes;
using ChaosLab.Core.Scenarios;
using ChaosLab.Web.Model.Studio;
using Microsoft.AspNetCore.Components;

namespace ChaosLab.Web.Components.Studio;

/// <summary>
/// Edits a scenario document two ways in step: a form (fields and tables at the document's JSON
/// pointers) and its JSON text with the suite's schema. Errors are shown on the field their
/// path names; those no field shows are listed above the tabs.
/// </summary>
public sealed partial class ScenarioEditor : ComponentBase
{
    private readonly ScenarioEditorState _state = new();
    private ScenarioErrorPlacement _placement = ScenarioErrorPlacement.None;
    private JsonObject? _loaded;
    private JsonObject? _emitted;
    private JsonObject? _schemaApplied;
    private int _tab;

    /// <summary>The scenario document. The editor works on a copy and reports every change through <see cref="DocumentChanged"/>.</summary>
    [Parameter, EditorRequired] public required JsonObject Document { get; set; }

    /// <summary>A new document after each form edit, and after JSON text that parses.</summary>
    [Parameter] public EventCallback<JsonObject> DocumentChanged { get; set; }

    /// <summary>The suite's JSON Schema (<see cref="IScenarioFormat.Schema"/>): the dropdowns' values and the JSON editor's validation.</summary>
    [Parameter] public JsonObject? Schema { get; set; }

    /// <summary>Problems to show, each at its JSON Path.</summary>
    [Parameter] public IReadOnlyList<ScenarioError> Errors { get; set; } = [];

    /// <summary>Shows the document without letting it change (a built-in scenario, a published version).</summary>
    [Parameter] public bool ReadOnly { get; set; }

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(Schema, _schemaApplied))
        {
            _schemaApplied = Schema;
            _state.Schema = new ScenarioSchema(Schema);
        }

        // The document this editor just reported, handed back by a two-way binding, is not a new
        // document: reloading it would lose JSON text that does not parse yet.
        if (!ReferenceEquals(Document, _loaded) && !ReferenceEquals(Document, _emitted))
        {
            _loaded = Document;
            _state.Load(Document);
        }

        Place();
    }

    private static bool Wide(FormField field) => field.Kind is FieldKind.Text or FieldKind.LongText or FieldKind.TextList;

    private void Place() => _placement = new ScenarioErrorPlacement(Errors, ScenarioForm.FieldPointers(_state.Document));

    private void ShowJson() => _tab = 1;

    /// <summary>Whether the suite's schema has this field: the form shows only those.</summary>
    private bool Has(string pointer) => SchemaCoverage.Describes(Schema, pointer);

    private bool HasAny(IEnumerable<string> pointers) => pointers.Any(Has);

    private async Task EmitAsync()
    {
        Place();
        _emitted = (JsonObject)_state.Document.DeepClone();
        await DocumentChanged.InvokeAsync(_emitted);
    }

    private async Task OnTextChangedAsync(string text)
    {
        if (_state.ApplyText(text))
        {
            await EmitAsync();
        }
    }
}
