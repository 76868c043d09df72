using System.Text.Json.Nodes;
using Bunit;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Controls;
using ChaosLab.Web.Model.Results;

namespace ChaosLab.Tests.Web.Components;

public sealed class TierVerdictsViewTests : DashboardTestContext
{
    [Fact]
    public void Render_HiddenCases_TierTableWithCreditBarsAndTheUngradedTier()
    {
        var view = RenderVerdicts(Model.Results.StepResultFixtures.TierVerdictsJson);

        Assert.Contains("Tier verdicts · hidden cases", view.Find("h3").TextContent, StringComparison.Ordinal);
        Assert.Equal("score 0.42", view.Find("[data-testid=verdicts-score]").TextContent.Trim());
        Assert.Equal("1 of 3 cases passed", view.Find("[data-testid=verdicts-cases]").TextContent.Trim());
        var tiers = view.FindAll("[data-testid=verdict-tier]");
        Assert.Equal([("1", "partial"), ("2", "failed"), ("3", "ungraded")], tiers.Select(t => (t.GetAttribute("data-tier"), t.GetAttribute("data-verdict"))));
        Assert.Equal("3/4", tiers[0].QuerySelector("[data-testid=verdict-tier-cases]")!.TextContent);
        Assert.Equal("75", tiers[0].QuerySelector("[data-testid=verdict-credit-bar]")!.GetAttribute("aria-valuenow"));
        Assert.Equal("0.75", tiers[0].QuerySelector("[data-testid=verdict-credit]")!.TextContent);
        Assert.Null(tiers[2].QuerySelector("[data-testid=verdict-credit-bar]"));
        Assert.NotNull(tiers[2].QuerySelector("[data-testid=verdict-ungraded]"));
        Assert.Contains(
            "a string reading reached the output at index 14",
            view.Find("[data-testid=verdict-first-failure][data-tier='1']").TextContent,
            StringComparison.Ordinal);
        Assert.Empty(view.FindAll("[data-testid=verdicts-failure]"));
    }

    [Fact]
    public void Render_Cases_FailedFirstTheFirstOpenWithItsChecksAndEvidence()
    {
        var view = RenderVerdicts(Model.Results.StepResultFixtures.TierVerdictsJson);

        var cases = view.FindAll("[data-testid=verdict-case]");
        Assert.Equal(["h2", "h3", "h1"], cases.Select(c => c.GetAttribute("data-case")));
        Assert.Equal([true, false, false], cases.Select(c => c.HasAttribute("open")));
        Assert.Contains("2 of 3 checks failed", cases[0].QuerySelector("summary")!.TextContent, StringComparison.Ordinal);
        var checks = cases[0].QuerySelectorAll("[data-testid=verdict-check]");
        Assert.Equal(["numeric_output", "flat_segment", "finite_output"], checks.Select(c => c.GetAttribute("data-check")));
        Assert.StartsWith("tier 1: a string reading reached the output at index 14", checks[0].QuerySelector("[data-testid=verdict-check-message]")!.TextContent, StringComparison.Ordinal);
        var evidence = checks[0].QuerySelector("[data-testid=verdict-evidence]")!.TextContent.ReplaceLineEndings("\n");
        Assert.Contains("\"value\": \"ERR\"", evidence, StringComparison.Ordinal);
        Assert.Contains("\n  \"index\": 14,", evidence, StringComparison.Ordinal);
        Assert.Null(checks[2].QuerySelector("[data-testid=verdict-evidence]"));
        Assert.Equal("debug: 14 readings\n", cases[0].QuerySelector("[data-testid=verdict-case-stdout]")!.TextContent);
        Assert.Contains("1 check passed", cases[2].QuerySelector("summary")!.TextContent, StringComparison.Ordinal);
        Assert.Null(cases[2].QuerySelector("[data-testid=verdict-case-stdout]"));
    }

    [Fact]
    public void Render_NothingCouldBeChecked_TheFailureAndNoCases()
    {
        var view = RenderVerdicts("""{"scope": "hidden cases", "score": 0, "failure": "the code does not compile: invalid syntax (line 3)", "tiers": [{"tier": 1, "name": "data integrity", "cases": 8, "passed": 0, "credit": 0}], "cases": []}""");

        Assert.Equal("the code does not compile: invalid syntax (line 3)", view.Find("[data-testid=verdicts-failure]").TextContent.Trim());
        Assert.Equal("failed", view.Find("[data-testid=verdict-tier]").GetAttribute("data-verdict"));
        Assert.Empty(view.FindAll("[data-testid=verdict-case]"));
        Assert.Empty(view.FindAll("[data-testid=verdicts-cases]"));
    }

    [Fact]
    public void Render_UnreadableEntries_CountedBelow()
    {
        var view = RenderVerdicts("""{"tiers": [{"tier": "one"}], "cases": [{"case": "c1", "passed": true}, {"summary": "no id"}, 4]}""");

        Assert.Empty(view.FindAll("[data-testid=verdict-tiers]"));
        Assert.Single(view.FindAll("[data-testid=verdict-case]"));
        Assert.StartsWith("3 unreadable entries were left out.", view.Find("[data-testid=verdicts-left-out]").TextContent.Trim(), StringComparison.Ordinal);
    }

    private IRenderedComponent<TierVerdictsView> RenderVerdicts(string json) =>
        RenderPage<TierVerdictsView>(p => p.Add(v => v.Verdicts, TierVerdicts.Read(JsonNode.Parse(json))!));
}
