using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Controls;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Web.Components;

/// <summary>The badge draws any suite's fault kind from the kind's data, with no change to the dashboard.</summary>
public sealed class FaultBadgeTests
{
    [Theory]
    [InlineData("timeout", "transport", "text-bg-warning")]
    [InlineData("value_corruption", "data", "text-bg-danger")]
    [InlineData("truncation", "shape", "text-bg-info")]
    [InlineData("poisoned_content", "adversarial", "text-bg-dark")]
    public async Task Render_ToolsKind_StyledByItsFamilyAndDescribed(string kind, string family, string css)
    {
        await using var renderer = new ComponentRenderer(_ => { });

        var badge = (await renderer.RenderAsync<FaultBadge>(new Dictionary<string, object?> { ["Kind"] = kind })).QuerySelector("[data-testid=fault-badge]")!;

        Assert.Equal(family, badge.GetAttribute("data-family"));
        Assert.Contains(css, badge.ClassList);
        Assert.False(string.IsNullOrWhiteSpace(badge.GetAttribute("title")));
    }

    [Fact]
    public async Task Render_KindOfAnotherSuite_DrawnFromThatSuitesData()
    {
        var drift = new FaultKind("clock_drift", FaultFamily.Data, "the simulated clock jumps");
        await using var renderer = new ComponentRenderer(services => services.AddSingleton(new SuiteCatalog([new KindsOnlySuite(drift)])));

        var badge = (await renderer.RenderAsync<FaultBadge>(new Dictionary<string, object?> { ["Kind"] = "clock_drift" })).QuerySelector("[data-testid=fault-badge]")!;

        Assert.Equal(("data", "the simulated clock jumps", "clock drift"), (badge.GetAttribute("data-family"), badge.GetAttribute("title"), badge.TextContent.Trim()));
    }

    [Fact]
    public async Task Render_KindNoSuiteServes_NeutralBadgeThatSaysSo()
    {
        await using var renderer = new ComponentRenderer(_ => { });

        var badge = (await renderer.RenderAsync<FaultBadge>(new Dictionary<string, object?> { ["Kind"] = "retired_kind" })).QuerySelector("[data-testid=fault-badge]")!;

        Assert.Equal("unknown", badge.GetAttribute("data-family"));
        Assert.Contains("text-bg-secondary", badge.ClassList);
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
        public SuiteSchemas Schemas => throw new NotSupportedException();
        public IEpisodeSession CreateSession() => throw new NotSupportedException();
    }
}
