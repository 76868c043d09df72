using Bunit;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Controls;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ChaosLab.Tests.Web.Components;

/// <summary>The badge draws any suite's fault kind from the kind's data, with no change to the dashboard.</summary>
public sealed class FaultBadgeTests : DashboardTestContext
{
    [Theory]
    [InlineData("timeout", "transport", "mud-chip-color-warning")]
    [InlineData("value_corruption", "data", "mud-chip-color-error")]
    [InlineData("truncation", "shape", "mud-chip-color-info")]
    // Was Bootstrap's "dark" badge, which had no visible background in the dark theme.
    [InlineData("poisoned_content", "adversarial", "mud-chip-color-secondary")]
    public void Render_ToolsKind_ColouredByItsFamilyAndDescribed(string kind, string family, string colour)
    {
        var badge = Render<FaultBadge>(p => p.Add(b => b.Kind, kind));

        var chip = badge.Find("[data-testid=fault-badge]");
        Assert.Equal((kind, family), (chip.GetAttribute("data-kind"), chip.GetAttribute("data-family")));
        Assert.Contains(colour, chip.ClassList);
        Assert.Contains("mud-chip-filled", chip.ClassList);
        Assert.NotNull(chip.QuerySelector("svg.mud-icon-root"));
        var description = badge.FindComponent<MudTooltip>().Instance.Text;
        Assert.False(string.IsNullOrWhiteSpace(description));
        Assert.Equal(description, chip.GetAttribute("aria-description"));
    }

    [Fact]
    public void Render_KindOfAnotherSuite_DrawnFromThatSuitesData()
    {
        Services.AddSingleton(new SuiteCatalog([new KindsOnlySuite(new FaultKind("clock_drift", FaultFamily.Data, "the simulated clock jumps"))]));

        var badge = Render<FaultBadge>(p => p.Add(b => b.Kind, "clock_drift"));

        var chip = badge.Find("[data-testid=fault-badge]");
        Assert.Equal(("data", "clock drift"), (chip.GetAttribute("data-family"), chip.TextContent.Trim()));
        Assert.Equal("the simulated clock jumps", badge.FindComponent<MudTooltip>().Instance.Text);
    }

    [Fact]
    public void Render_KindNoSuiteServes_NeutralBadgeThatSaysSo()
    {
        var badge = Render<FaultBadge>(p => p.Add(b => b.Kind, "retired_kind"));

        var chip = badge.Find("[data-testid=fault-badge]");
        Assert.Equal("unknown", chip.GetAttribute("data-family"));
        Assert.Contains("mud-chip-color-default", chip.ClassList);
        Assert.Contains("no served suite", badge.FindComponent<MudTooltip>().Instance.Text, StringComparison.Ordinal);
    }

    /// <summary>A suite that only declares fault kinds: all the badge asks of a suite.</summary>
    private sealed class KindsOnlySuite(params FaultKind[] kinds) : ISuite
    {
        public string Name => "kinds-only";
        public string Description => "declares fault kinds";
        public IReadOnlyList<TaskDescriptor> Tasks => [];
        public IReadOnlyList<string> Tiers => [];
        public IReadOnlyList<ScenarioDescriptor> Scenarios => [];
        public IReadOnlyList<ToolDescriptor> Tools => [];
        public IReadOnlyList<FaultKind> FaultKinds => kinds;
        public IReadOnlyList<ReferenceAgent> ReferenceAgents => [];
        public IReadOnlyList<ReferenceAgent> ExploitAgents => [];
        public SuiteSchemas Schemas => throw new NotSupportedException();
        public IEpisodeSession CreateSession() => throw new NotSupportedException();
    }
}
