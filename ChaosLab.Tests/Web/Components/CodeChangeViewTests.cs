using System.Text.Json.Nodes;
using Bunit;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Controls;
using ChaosLab.Web.Model.Results;
using static ChaosLab.Tests.Web.Model.Results.StepResultFixtures;

namespace ChaosLab.Tests.Web.Components;

public sealed class CodeChangeViewTests : DashboardTestContext
{
    [Fact]
    public void Render_Change_DiffAgainstTheOriginalWithLineNumbers()
    {
        var view = RenderChange(CodeChangeJson());

        Assert.Equal("original", view.Find("[data-testid=code-change]").GetAttribute("data-baseline"));
        Assert.Equal("python", view.Find("[data-testid=code-language]").TextContent.Trim());
        Assert.Equal("+12 −4 lines against the original", view.Find("[data-testid=code-change-count]").TextContent.Trim());
        var edited = view.FindAll("[data-testid=diff] .diff-line[data-kind=added]").Single(l => l.TextContent.Contains("std == 0", StringComparison.Ordinal));
        Assert.Equal(["", "15"], edited.QuerySelectorAll(".diff-gutter").Select(g => g.TextContent));
        Assert.Contains("std == 0 or ", edited.QuerySelector("ins")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("original", view.Find("[data-testid=diff] .diff-legend").TextContent, StringComparison.Ordinal);
        // Code keeps its lines whole (indentation matters); the box scrolls sideways instead.
        Assert.Contains("diff-nowrap", view.Find("[data-testid=diff]").ClassList);
        Assert.Empty(view.FindAll("[data-testid=code-full]"));
    }

    [Fact]
    public void Toggle_AgainstThePreviousRun_TheDiffOfThisRunAlone()
    {
        var view = RenderChange(CodeChangeJson());

        view.Find("[data-testid=code-against-previous]").Click();

        view.WaitForAssertion(() => Assert.Equal("previous", view.Find("[data-testid=code-change]").GetAttribute("data-baseline")));
        Assert.Equal("+11 −5 lines against the previous run", view.Find("[data-testid=code-change-count]").TextContent.Trim());
        Assert.Contains(
            view.FindAll("[data-testid=diff] .diff-line[data-kind=removed]"),
            l => l.TextContent.Contains("isinstance(event[\"value\"], str)", StringComparison.Ordinal));

        view.Find("[data-testid=code-against-original]").Click();

        view.WaitForAssertion(() => Assert.Equal("original", view.Find("[data-testid=code-change]").GetAttribute("data-baseline")));
    }

    [Fact]
    public void Render_FirstRun_NoToggleOnlyTheOriginal()
    {
        var view = RenderChange(CodeChangeJson(previous: null));

        Assert.Empty(view.FindAll("[data-testid=code-baseline]"));
        Assert.NotNull(view.Find("[data-testid=code-first-run]"));
        Assert.NotEmpty(view.FindAll("[data-testid=diff] .diff-line[data-kind=added]"));
    }

    [Fact]
    public void ShowFullCode_EveryLineNumberedThenHidden()
    {
        var view = RenderChange(CodeChangeJson());
        var toggle = view.Find("[data-testid=code-full-toggle]");
        Assert.Equal("false", toggle.GetAttribute("aria-expanded"));
        Assert.Contains("Show the full code (16 lines)", toggle.TextContent, StringComparison.Ordinal);

        toggle.Click();

        var lines = view.FindAll("[data-testid=code-full] .code-line");
        Assert.Equal(16, lines.Count);
        Assert.Equal(("3", "MAX_BUFFER = 240"), (lines[2].QuerySelector(".code-line-number")!.TextContent, lines[2].QuerySelector(".code-line-text")!.TextContent));
        Assert.Equal("true", view.Find("[data-testid=code-full-toggle]").GetAttribute("aria-expanded"));

        view.Find("[data-testid=code-full-toggle]").Click();

        Assert.Empty(view.FindAll("[data-testid=code-full]"));
    }

    [Fact]
    public void Render_SubmittedTheOriginal_SaysNothingChangedWithoutADiff()
    {
        var view = RenderChange(new JsonObject { ["original"] = OriginalCode, ["after"] = OriginalCode }.ToJsonString());

        Assert.Equal("no line changed", view.Find("[data-testid=code-change-count]").TextContent.Trim());
        Assert.NotNull(view.Find("[data-testid=code-identical]"));
        Assert.Empty(view.FindAll("[data-testid=diff]"));
    }

    private IRenderedComponent<CodeChangeView> RenderChange(string json) =>
        RenderPage<CodeChangeView>(p => p.Add(v => v.Change, CodeChange.Read(JsonNode.Parse(json))!));
}
