using System.Text.Json.Nodes;
using Bunit;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Studio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;

namespace ChaosLab.Tests.Web.Components.Studio;

/// <summary>
/// The JSON editor's calls to Monaco: each goes through the component's own JS runtime (its own
/// circuit's browser), never through one shared by the process.
/// </summary>
public sealed class ScenarioJsonTextTests : DashboardTestContext
{
    [Fact]
    public async Task Render_TwoCircuitsAtOnce_EachEditorCreatedAndDisposedThroughItsOwnRuntime()
    {
        var mine = JSInterop.SetupModule(ScenarioJsonText.ModulePath);
        // A second circuit: another visitor with their own browser, on the page at the same time.
        await using var theirs = new BunitContext();
        theirs.Services.AddSingleton(TimeProvider.System);
        // Strict there: any call of my editor's landing in their runtime would fail the render.
        var theirModule = theirs.JSInterop.SetupModule(ScenarioJsonText.ModulePath);
        theirModule.SetupVoid("create", _ => true);
        theirModule.SetupVoid("dispose", _ => true);

        var myEditor = RenderPage<ScenarioJsonText>(p => p.Add(t => t.Text, "{ \"id\": \"mine\" }").Add(t => t.ReadOnly, true));
        var theirEditor = theirs.Render<ScenarioJsonText>(p => p.Add(t => t.Text, "{ \"id\": \"theirs\" }"));

        var myCreate = mine.VerifyInvoke("create");
        Assert.Equal(new ScenarioJsonText.EditorSettings("{ \"id\": \"mine\" }", ReadOnly: true, Theme: "vs"), myCreate.Arguments[2]);
        Assert.Same(myEditor.Instance, Assert.IsType<DotNetObjectReference<ScenarioJsonText>>(myCreate.Arguments[4]).Value);
        var theirCreate = theirModule.VerifyInvoke("create");
        Assert.Equal(new ScenarioJsonText.EditorSettings("{ \"id\": \"theirs\" }", ReadOnly: false, Theme: "vs"), theirCreate.Arguments[2]);
        Assert.Same(theirEditor.Instance, Assert.IsType<DotNetObjectReference<ScenarioJsonText>>(theirCreate.Arguments[4]).Value);
        Assert.Single(JSInterop.Invocations, i => i.Identifier == "import");

        await DisposeComponentsAsync();

        Assert.Equal(myCreate.Arguments[1], mine.VerifyInvoke("dispose").Arguments[0]);
        Assert.DoesNotContain(theirModule.Invocations, i => i.Identifier == "dispose");
    }

    [Fact]
    public void Render_WithSchema_GivesItToMonacoWithTheEditor()
    {
        var module = JSInterop.SetupModule(ScenarioJsonText.ModulePath);
        var schema = new JsonObject { ["type"] = "object" };

        RenderPage<ScenarioJsonText>(p => p.Add(t => t.Text, "{}").Add(t => t.Schema, schema));

        Assert.Equal("{\"type\":\"object\"}", module.VerifyInvoke("create").Arguments[3]);
    }

    [Fact]
    public void ParametersChange_TextAndReadOnly_SetOnTheEditor()
    {
        var module = JSInterop.SetupModule(ScenarioJsonText.ModulePath);
        var editor = RenderPage<ScenarioJsonText>(p => p.Add(t => t.Text, "{}"));
        var id = module.VerifyInvoke("create").Arguments[1];

        editor.Render(p => p.Add(t => t.Text, "{ \"title\": \"From the form\" }").Add(t => t.ReadOnly, true));

        Assert.Equal(new object?[] { id, "{ \"title\": \"From the form\" }" }, module.VerifyInvoke("setValue").Arguments);
        Assert.Equal(new object?[] { id, true }, module.VerifyInvoke("setReadOnly").Arguments);
    }

    [Fact]
    public async Task ContentChanged_TypingPauses_ReportsTheTextOnce()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        Services.AddSingleton<TimeProvider>(clock);
        var module = JSInterop.SetupModule(ScenarioJsonText.ModulePath);
        module.Setup<string?>("getValue", _ => true).SetResult("{ \"typed\": true }");
        var reported = new List<string>();
        var editor = RenderPage<ScenarioJsonText>(p => p.Add(t => t.Text, "{}").Add(t => t.TextChanged, reported.Add));

        // Two keys in a row: the first wait is cancelled by the second.
        var first = clock.NextTimerAsync(ScenarioJsonText.Debounce);
        var firstKey = editor.InvokeAsync(editor.Instance.OnContentChangedAsync);
        await first;
        clock.Advance(ScenarioJsonText.Debounce / 2);
        var second = clock.NextTimerAsync(ScenarioJsonText.Debounce);
        var secondKey = editor.InvokeAsync(editor.Instance.OnContentChangedAsync);
        await second;
        await firstKey;
        Assert.Empty(reported);

        clock.Advance(ScenarioJsonText.Debounce);
        await secondKey;

        Assert.Equal(["{ \"typed\": true }"], reported);
        Assert.Single(module.Invocations, i => i.Identifier == "getValue");
    }
}
