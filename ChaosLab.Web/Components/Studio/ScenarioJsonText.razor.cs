using System.Text.Json.Nodes;
using BlazorMonaco.Editor;
using ChaosLab.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace ChaosLab.Web.Components.Studio;

/// <summary>
/// Monaco for a scenario's JSON: reports the text after typing pauses (<see cref="TextChanged"/>),
/// shows text set from outside, and validates against <see cref="Schema"/> in the browser.
/// </summary>
public sealed partial class ScenarioJsonText : ComponentBase, IAsyncDisposable
{
    /// <summary>How long typing must pause before the text is parsed: one parse per pause, not per key.</summary>
    internal static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(400);

    private readonly string _id = "scenario-json-" + Guid.NewGuid().ToString("N")[..8];
    private StandaloneCodeEditor? _editor;
    private IJSObjectReference? _module;
    private CancellationTokenSource? _pending;
    private string _shown = "";
    private bool _ready;
    private bool? _appliedDark;
    private bool _appliedReadOnly;

    [Inject] public required IJSRuntime JS { get; init; }

    [Inject] public required TimeProvider Time { get; init; }

    [Parameter, EditorRequired] public required string Text { get; set; }

    [Parameter] public EventCallback<string> TextChanged { get; set; }

    /// <summary>The suite's JSON Schema (diagnostics and completion in the browser).</summary>
    [Parameter] public JsonObject? Schema { get; set; }

    [Parameter] public bool ReadOnly { get; set; }

    [CascadingParameter(Name = ChaosLabTheme.IsDarkCascade)] public bool IsDark { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        if (!_ready)
        {
            return;
        }

        if (Text != _shown)
        {
            _shown = Text;
            await _editor!.SetValue(Text);
        }

        await ApplyLookAsync();
    }

    private StandaloneEditorConstructionOptions Options(StandaloneCodeEditor editor)
    {
        _shown = Text;
        _appliedReadOnly = ReadOnly;
        _appliedDark = IsDark;
        return new StandaloneEditorConstructionOptions
        {
            AutomaticLayout = true,
            Language = "json",
            Value = Text,
            ReadOnly = ReadOnly,
            Theme = IsDark ? "vs-dark" : "vs",
            Minimap = new EditorMinimapOptions { Enabled = false },
            ScrollBeyondLastLine = false,
            TabSize = 2,
        };
    }

    private async Task OnEditorReadyAsync()
    {
        _module = await JS.InvokeAsync<IJSObjectReference>("import", "./Components/Studio/ScenarioJsonText.razor.js");
        if (Schema is not null)
        {
            await _module.InvokeVoidAsync("useSchema", _id, Schema.ToJsonString());
        }

        _ready = true;

        // The theme (light, dark, system) may have been settled while Monaco was loading.
        await ApplyLookAsync();
    }

    private async Task OnContentChangedAsync(ModelContentChangedEvent change)
    {
        if (_pending is not null)
        {
            await _pending.CancelAsync();
            _pending.Dispose();
        }

        var pending = _pending = new CancellationTokenSource();
        try
        {
            await Task.Delay(Debounce, Time, pending.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var text = await _editor!.GetValue();
        if (text is null || text == _shown)
        {
            return;
        }

        _shown = text;
        await TextChanged.InvokeAsync(text);
    }

    private async Task ApplyLookAsync()
    {
        if (_appliedDark != IsDark)
        {
            _appliedDark = IsDark;
            await Global.SetTheme(IsDark ? "vs-dark" : "vs");
        }

        if (_appliedReadOnly != ReadOnly)
        {
            _appliedReadOnly = ReadOnly;
            await _editor!.UpdateOptions(new EditorUpdateOptions { ReadOnly = ReadOnly });
        }
    }

    public async ValueTask DisposeAsync()
    {
        _pending?.Cancel();
        _pending?.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("forgetSchema", _id);
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone, and the page with it.
            }
        }
    }
}
