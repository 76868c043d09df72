using System.Text.Json.Nodes;
using Bunit;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Studio;

namespace ChaosLab.Tests.Web.Components.Studio;

public sealed class ScenarioEditorTests : DashboardTestContext
{
    private static readonly ToolsScenarioFormat Format = new();

    // Time for a form edit to reach the JSON when the machine is busy (the dispatcher can lag
    // the click, and bUnit's default one second was seen to run out in CI).
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(10);

    private JsonObject? _reported;

    [Fact]
    public void FormEdit_Title_ChangesJsonTextAndReportsDocument()
    {
        var editor = RenderEditor(FixedDocument());

        Field(editor, "/title").QuerySelector("input")!.Change("Population of Quorvania, edited");

        editor.WaitForAssertion(() =>
        {
            Assert.Contains("\"title\": \"Population of Quorvania, edited\"", JsonTextOf(editor));
            Assert.Equal("Population of Quorvania, edited", _reported?["title"]?.GetValue<string>());
        }, Slow);
    }

    [Fact]
    public void FormEdit_WorldTableCell_ChangesThatValueInJson()
    {
        var editor = RenderEditor(FixedDocument());

        var population = Field(editor, "/world/data/countries/0/population").QuerySelector("input")!;
        population.Change("7000000");
        population.Blur();

        editor.WaitForAssertion(() =>
            Assert.Equal(7000000, JsonNode.Parse(JsonTextOf(editor))!["world"]!["data"]!["countries"]![0]!["population"]!.GetValue<long>()), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void FormAddRow_ScriptedFault_AppearsInJsonAndAsARow()
    {
        var editor = RenderEditor(FixedDocument());

        editor.Find("[data-testid='add-row:/faults/scripted']").Click();

        editor.WaitForAssertion(() =>
        {
            var scripted = JsonNode.Parse(JsonTextOf(editor))!["faults"]!["scripted"]!.AsArray();
            Assert.Single(scripted);
            Assert.Equal(1, scripted[0]!["attempts"]![0]!.GetValue<int>());
            Assert.Single(editor.FindAll("[data-row='/faults/scripted/0']"));
        }, Slow);
    }

    [Fact]
    public async Task JsonEdit_ThatParses_ShowsInFormAndReportsDocument()
    {
        var editor = RenderEditor(FixedDocument());
        var document = FixedDocument();
        document["title"] = "Typed in the JSON";
        document["notes"] = "Check the capital too.";

        await TypeJsonAsync(editor, document.ToJsonString());

        Assert.Equal("Typed in the JSON", Field(editor, "/title").QuerySelector("input")!.GetAttribute("value"));
        Assert.Equal("Check the capital too.", Field(editor, "/notes").QuerySelector("textarea")!.TextContent);
        Assert.Equal("Typed in the JSON", _reported?["title"]?.GetValue<string>());
        Assert.Empty(editor.FindAll("[data-testid=json-parse-error]"));
    }

    [Fact]
    public async Task JsonEdit_ThatDoesNotParse_KeepsLastDocumentAndSaysWhere()
    {
        var editor = RenderEditor(FixedDocument());
        var good = FixedDocument();
        good["title"] = "Last good title";
        await TypeJsonAsync(editor, good.ToJsonString());
        var reports = _reported;

        await TypeJsonAsync(editor, "{\n  \"title\": \"Broken\",\n  \"task\": \n}");

        var message = editor.Find("[data-testid=json-parse-error]").TextContent;
        Assert.Contains("The JSON does not parse (line 4, column 1)", message);
        Assert.Equal("Last good title", Field(editor, "/title").QuerySelector("input")!.GetAttribute("value"));
        Assert.Same(reports, _reported);
        Assert.Contains("\"Broken\"", JsonTextOf(editor));
    }

    [Fact]
    public void Errors_AtScriptedToolPath_ShownOnThatRowsToolField()
    {
        var document = FixedDocument();
        document["faults"]!["scripted"] = new JsonArray(
            new JsonObject { ["tool"] = "web_search", ["kind"] = "stale_data", ["attempts"] = new JsonArray(1) },
            new JsonObject { ["tool"] = "teleport", ["kind"] = "timeout", ["attempts"] = new JsonArray(1) });
        ScenarioError[] errors = [new("/faults/scripted/1/tool", "no tool 'teleport' in the tools suite")];

        var editor = RenderEditor(document, errors);

        var tool = Field(editor, "/faults/scripted/1/tool");
        Assert.NotEmpty(tool.QuerySelectorAll(".mud-input-error"));
        Assert.Contains("no tool 'teleport' in the tools suite", tool.TextContent);
        Assert.DoesNotContain("teleport' in the tools suite", Field(editor, "/faults/scripted/0/tool").TextContent);
        Assert.Empty(editor.FindAll("[data-testid=error-summary]"));
    }

    [Fact]
    public void Errors_WithNoField_ListedInSummaryThatOpensTheJson()
    {
        ScenarioError[] errors = [new("/world", "the scenario cannot be built from this world: no company in the capital")];
        var editor = RenderEditor(FixedDocument(), errors);

        var summary = editor.Find("[data-testid=error-summary]");
        Assert.Contains("/world", summary.TextContent);
        Assert.Contains("no company in the capital", summary.TextContent);

        Assert.DoesNotContain("mud-tab-panel-active", editor.Find("[data-testid=tab-json]").ClassName);

        editor.Find("[data-testid=error-summary-item]").Click();

        // MudTabs takes a new active panel only once its first render has finished (its resize
        // observer is set up asynchronously), so the switch may show a moment after the click.
        editor.WaitForAssertion(() => Assert.Contains("mud-tab-panel-active", editor.Find("[data-testid=tab-json]").ClassName), Slow);
    }

    [Fact]
    public void Render_Choices_ComeFromTheSchemaEnums()
    {
        var schema = Format.Schema;
        schema["properties"]!["tier"]!["enum"] = new JsonArray("warmup", "nightmare");
        var editor = RenderEditor(FixedDocument(), schema: schema);

        Field(editor, "/tier").QuerySelector(".mud-input-control")!.MouseDown();

        Popovers.WaitForAssertion(() => Assert.Equal(["warmup", "nightmare"], Popovers.FindAll(".mud-list-item").Select(i => i.TextContent.Trim())));
    }

    [Fact]
    public void ReadOnly_EveryInputReadOnlyOrDisabledAndNoRowButtons()
    {
        var editor = RenderEditor(FixedDocument(), readOnly: true);

        var inputs = editor.FindAll("[data-testid=scenario-editor] .mud-tabs-panels input, [data-testid=scenario-editor] .mud-tabs-panels textarea");
        Assert.NotEmpty(inputs);
        Assert.All(inputs, i => Assert.True(i.HasAttribute("readonly") || i.HasAttribute("disabled"), i.OuterHtml));
        Assert.Empty(editor.FindAll("[data-testid^='add-row:']"));
        Assert.True(editor.FindComponent<ScenarioJsonText>().Instance.ReadOnly);
    }

    [Fact]
    public void WorldSource_SwitchedToGeneratedAndBack_KeepsTheFixedWorld()
    {
        var editor = RenderEditor(FixedDocument());

        Choose(editor, "/world/source", "generated");
        editor.WaitForAssertion(() =>
        {
            Assert.Null(JsonNode.Parse(JsonTextOf(editor))!["world"]!["data"]);
            Assert.Empty(editor.FindAll("[data-table='/world/data/countries']"));
        }, Slow);

        Choose(editor, "/world/source", "fixed");
        editor.WaitForAssertion(() =>
        {
            Assert.Equal("Quorvania", JsonNode.Parse(JsonTextOf(editor))!["world"]!["data"]!["countries"]![0]!["name"]!.GetValue<string>());
            Assert.Single(editor.FindAll("[data-table='/world/data/countries']"));
        }, Slow);
    }

    private static JsonObject FixedDocument() =>
        JsonObject.Create(Format.BuiltIn.Single(d => d.Id == "F01").Content)!.DeepClone().AsObject();

    private static AngleSharp.Dom.IElement Field(IRenderedComponent<ScenarioEditor> editor, string path) =>
        editor.Find($"[data-field='{path}']");

    private void Choose(IRenderedComponent<ScenarioEditor> editor, string path, string option)
    {
        Field(editor, path).QuerySelector(".mud-input-control")!.MouseDown();
        Popovers.WaitForAssertion(() => Popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == option).Click());
    }

    private static string JsonTextOf(IRenderedComponent<ScenarioEditor> editor) =>
        editor.FindComponent<ScenarioJsonText>().Instance.Text;

    // The seam: Monaco reports typed text through TextChanged after a pause; a test reports it at once.
    private static Task TypeJsonAsync(IRenderedComponent<ScenarioEditor> editor, string text)
    {
        var json = editor.FindComponent<ScenarioJsonText>();
        return json.InvokeAsync(() => json.Instance.TextChanged.InvokeAsync(text));
    }

    private IRenderedComponent<ScenarioEditor> RenderEditor(
        JsonObject document, IReadOnlyList<ScenarioError>? errors = null, bool readOnly = false, JsonObject? schema = null) =>
        RenderPage<ScenarioEditor>(p => p
            .Add(e => e.Document, document)
            .Add(e => e.Schema, schema ?? Format.Schema)
            .Add(e => e.Errors, errors ?? [])
            .Add(e => e.ReadOnly, readOnly)
            .Add(e => e.DocumentChanged, d => _reported = d));
}
