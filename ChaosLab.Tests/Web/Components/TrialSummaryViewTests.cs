using System.Text.Json.Nodes;
using Bunit;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Controls;
using ChaosLab.Web.Model.Results;

namespace ChaosLab.Tests.Web.Components;

public sealed class TrialSummaryViewTests : DashboardTestContext
{
    private static readonly string[] Stats = ["runs", "passed", "failed", "p50", "p95", "slo"];

    [Fact]
    public void Render_Summary_CountsLatencyAgainstTheObjectiveAndReasons()
    {
        var view = RenderSummary(Model.Results.StepResultFixtures.TrialSummary);

        Assert.Equal(
            ["10", "6", "4", "3,100 ms", "9,800 ms", "8,000 ms"],
            Stats.Select(id => view.Find($"[data-testid=trial-{id}]").TextContent));
        Assert.Equal("false", view.Find("[data-testid=trial-p95]").GetAttribute("data-within-slo"));
        Assert.Contains("mud-error-text", view.Find("[data-testid=trial-p95]").ClassList);
        Assert.NotNull(view.Find("[data-testid=trial-slo-missed]"));
        Assert.Equal("6 of 10 runs passed", view.Find("[data-testid=trial-pass-rate]").GetAttribute("aria-label"));
        Assert.Equal("60", view.Find("[data-testid=trial-pass-rate]").GetAttribute("aria-valuenow"));
        Assert.Equal(
            [["writer-1 failed: input unreadable", "3"], ["final output was not verified", "1"]],
            view.FindAll("[data-testid=trial-error]").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent).ToArray()));
    }

    [Fact]
    public void Render_CountsOnly_NoLatencyNoObjectiveNoReasons()
    {
        var view = RenderSummary("""{"runs": 3, "passed": 3}""");

        Assert.Equal("0", view.Find("[data-testid=trial-failed]").TextContent);
        Assert.DoesNotContain("mud-error-text", view.Find("[data-testid=trial-failed]").ClassList);
        Assert.Empty(view.FindAll("[data-testid=trial-p95]"));
        Assert.Empty(view.FindAll("[data-testid=trial-slo]"));
        Assert.Empty(view.FindAll("[data-testid=trial-slo-missed]"));
        Assert.Empty(view.FindAll("[data-testid=trial-errors]"));
    }

    [Fact]
    public void Render_WithinObjective_P95NotMarked()
    {
        var view = RenderSummary("""{"runs": 2, "passed": 1, "latency_ms": {"p50": 100, "p95": 700}, "slo_ms": 800}""");

        Assert.Equal("true", view.Find("[data-testid=trial-p95]").GetAttribute("data-within-slo"));
        Assert.DoesNotContain("mud-error-text", view.Find("[data-testid=trial-p95]").ClassList);
        Assert.Empty(view.FindAll("[data-testid=trial-slo-missed]"));
    }

    private IRenderedComponent<TrialSummaryView> RenderSummary(string json) =>
        Render<TrialSummaryView>(p => p.Add(v => v.Summary, TrialSummary.Read(JsonNode.Parse(json))!));
}
