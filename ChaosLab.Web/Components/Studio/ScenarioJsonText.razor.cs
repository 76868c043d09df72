using System.Text.Json.Nodes;
using ChaosLab.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace ChaosLab.Web.Components.Studio;

/// <summary>
/// Monaco for a scenario's JSON: reports the text after typing pauses (<see cref="TextChanged"/>),
/// shows text set from outside, and validates against <see cref="Schema"/> in the browser.
/// </summary>
/// <remarks>
/// Every call to Monaco goes through this component's own <see cref="IJSRuntime"/>, that is its
/// own circuit's browser. (BlazorMonaco's components kept one runtime for the whole process, so
/// with two visitors one's editor was drawn in the other's browser; only its static files are used.)
/// </remarks>
public sealed partial class ScenarioJsonText : ComponentBase, IAsyncDisposable
{
    internal const string ModulePath = "./Components/Studio/ScenarioJsonText.razor.js";

    /// <summary>How long typing must pause before the text is parsed: one parse per pause, not per key.</summary>
    internal static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(400);

    private readonly string _id = "scenario-json-" + Guid.NewGuid().ToString("N")[..8];
    private ElementReference _host;
    private IJSObjectReference? _module;
    private DotNetObjectReference<ScenarioJsonText>? _self;
    private CancellationTokenSource? _pending;
    private string _shown = "";
    private bool _ready;
    private bool _disposed;
    private bool _appliedDark;
    private bool _appliedReadOnly;

    [Inject] public required IJSRuntime JS { get; init; }

    [Inject] public required TimeProvider Time { get; init; }

    [Parameter, EditorRequired] public required string Text { get; set; }

    [Parameter] public EventCallback<string> TextChanged { get; set; }

    /// <summary>The suite's JSON Schema (diagnostics and completion in the browser).</summary>
    [Parameter] public JsonObject? Schema { get; set; }

    [Parameter] public bool ReadOnly { get; set; }

    [CascadingParameter(Name = ChaosLabTheme.IsDarkCascade)] public bool IsDark { get; set; }

    /// <summary>The settings Monaco is created with (the rest are fixed in the module).</summary>
    internal sealed record EditorSettings(string Value, bool ReadOnly, string Theme);

    protected override async Task OnParametersSetAsync()
    {
        if (_ready)
        {
            await SyncAsync();
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        var module = await JS.InvokeAsync<IJSObjectReference>("import", ModulePath);
        if (_disposed)
        {
            await module.DisposeAsync();
            return;
        }

        _module = module;
        _self = DotNetObjectReference.Create(this);
        _shown = Text;
        _appliedReadOnly = ReadOnly;
        _appliedDark = IsDark;
        await _module.InvokeVoidAsync("create", _host, _id, new EditorSettings(Text, ReadOnly, ThemeOf(IsDark)), Schema?.ToJsonString(), _self);
        _ready = true;

        // The text or the theme (light, dark, system) may have changed while Monaco was loading.
        await SyncAsync();
    }

    /// <summary>Called by Monaco on every change of the text; reports it once typing pauses.</summary>
    [JSInvokable]
    public async Task OnContentChangedAsync()
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

        var text = await _module!.InvokeAsync<string?>("getValue", _id);
        if (text is null || text == _shown)
        {
            return;
        }

        _shown = text;
        await TextChanged.InvokeAsync(text);
    }

    private async Task SyncAsync()
    {
        if (Text != _shown)
        {
            _shown = Text;
            await _module!.InvokeVoidAsync("setValue", _id, Text);
        }

        if (_appliedDark != IsDark)
        {
            _appliedDark = IsDark;
            await _module!.InvokeVoidAsync("setTheme", ThemeOf(IsDark));
        }

        if (_appliedReadOnly != ReadOnly)
        {
            _appliedReadOnly = ReadOnly;
            await _module!.InvokeVoidAsync("setReadOnly", _id, ReadOnly);
        }
    }

    private static string ThemeOf(bool dark) => dark ? "vs-dark" : "vs";

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        _pending?.Cancel();
        _pending?.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("dispose", _id);
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone, and the page with it.
            }
        }

        _self?.Dispose();
    }
}
