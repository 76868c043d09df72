using System.Text.Json.Nodes;
using Bunit;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Controls;
using ChaosLab.Web.Model.Results;

namespace ChaosLab.Tests.Web.Components;

public sealed class ConfigChangeViewTests : DashboardTestContext
{
    [Fact]
    public void Render_Change_ChangedSettingsThenSideBySideDiff()
    {
        var view = RenderPage<ConfigChangeView>(p => p.Add(v => v.Change, ConfigChange.Read(JsonNode.Parse(Model.Results.StepResultFixtures.ConfigChange))!));

        Assert.Equal("4 settings changed", view.Find("[data-testid=config-change-count]").TextContent.Trim());
        Assert.Equal(
            ["/diagnosis", "/format_translator", "/retry_max", "/role_specs/writer-1"],
            view.FindAll("[data-testid=config-field]").Select(r => r.GetAttribute("data-path")));
        Assert.Equal(["/retry_max", "0", "2"], view.Find("[data-testid=config-field][data-path='/retry_max']").QuerySelectorAll("td").Select(c => c.TextContent));
        Assert.Equal("(absent)", view.Find("[data-testid=config-field][data-path='/diagnosis'] td:nth-child(2)").TextContent);
        var row = view.FindAll("[data-testid=diff-side-by-side] .diff-row").Single(r => r.TextContent.Contains("\"retry_max\": 0", StringComparison.Ordinal));
        Assert.Contains("\"retry_max\": 2", row.QuerySelector(".diff-added")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(view.FindAll("[data-testid=diff]"));
    }

    [Fact]
    public void Render_UnifiedTab_ShowsTheSameDiffInOneColumn()
    {
        var view = RenderPage<ConfigChangeView>(p => p.Add(v => v.Change, ConfigChange.Read(JsonNode.Parse(Model.Results.StepResultFixtures.ConfigChange))!));

        view.FindAll("[data-testid=config-diff-tabs] .mud-tab").Single(t => t.TextContent.Trim() == "Unified").Click();

        view.WaitForAssertion(() => Assert.Contains(
            view.FindAll("[data-testid=diff] .diff-added .diff-text"),
            l => l.TextContent.Contains("\"retry_max\": 2", StringComparison.Ordinal)));
        Assert.Empty(view.FindAll("[data-testid=diff-side-by-side]"));
    }

    [Fact]
    public void Render_NothingChanged_SaysSoWithoutADiff()
    {
        var view = Render<ConfigChangeView>(p => p.Add(v => v.Change, ConfigChange.Read(JsonNode.Parse("""{"before": {"a": 1}, "after": {"a": 1}}"""))!));

        Assert.Equal("no setting changed", view.Find("[data-testid=config-change-count]").TextContent.Trim());
        Assert.NotNull(view.Find("[data-testid=config-unchanged]"));
        Assert.Empty(view.FindAll("[data-testid=config-fields]"));
        Assert.Empty(view.FindAll("[data-testid=diff-side-by-side]"));
    }
}
