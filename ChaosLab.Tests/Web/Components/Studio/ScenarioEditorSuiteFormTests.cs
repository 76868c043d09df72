using System.Text.Json.Nodes;
using Bunit;
using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Mast.Scenarios;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Studio;

namespace ChaosLab.Tests.Web.Components.Studio;

/// <summary>The form shows a suite's own fields only: a mast scenario is not offered the tools suite's world, faults and answer.</summary>
public sealed class ScenarioEditorSuiteFormTests : DashboardTestContext
{
    private static readonly MastScenarioFormat Format = new(MastSuite.Rehearsing);

    [Fact]
    public void Render_MastScenario_GeneralFieldsItHasAndItsOwnPartsLeftToTheJsonTab()
    {
        var document = JsonNode.Parse(Format.BuiltIn[0].Content.GetRawText())!.AsObject();

        var editor = RenderPage<ScenarioEditor>(p => p
            .Add(e => e.Document, document)
            .Add(e => e.Schema, Format.Schema)
            .Add(e => e.Errors, []));

        var headings = editor.FindAll(".studio-section").Select(h => h.TextContent.Trim()).ToList();
        Assert.Equal(["Scenario"], headings);
        Assert.Contains(editor.FindAll("label"), l => l.TextContent.Contains("Title", StringComparison.Ordinal));
        Assert.DoesNotContain(editor.FindAll("label"), l => l.TextContent.Contains("Question", StringComparison.Ordinal));
        var note = editor.Find("[data-testid=form-left-to-json]").TextContent;
        Assert.Contains("pipeline", note, StringComparison.Ordinal);
        Assert.Contains("mast_faults", note, StringComparison.Ordinal);
    }
}
