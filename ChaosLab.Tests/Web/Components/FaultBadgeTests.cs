using Bunit;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Tools;
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

    [Theory]
    [InlineData("step_repetition", "FM-1.3")]
    [InlineData("format_mismatch", "FM-2.5")]
    [InlineData("incorrect_verification", "FM-3.3")]
    public void Render_MastKind_CoordinationColourAndTheMastCodeInItsDescription(string kind, string code)
    {
        Services.AddSingleton(new SuiteCatalog([new ToolsSuite(), new KindsOnlySuite(MastFaultKinds.All)]));

        var badge = Render<FaultBadge>(p => p.Add(b => b.Kind, kind));

        var chip = badge.Find("[data-testid=fault-badge]");
        Assert.Equal("coordination", chip.GetAttribute("data-family"));
        Assert.Contains("mud-chip-color-tertiary", chip.ClassList);
        Assert.StartsWith(code + ":", badge.FindComponent<MudTooltip>().Instance.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MastBackendKind_TransportLikeTheToolsSuites()
    {
        Services.AddSingleton(new SuiteCatalog([new ToolsSuite(), new KindsOnlySuite(MastFaultKinds.All)]));

        var chip = Render<FaultBadge>(p => p.Add(b => b.Kind, "backend_rate_limit")).Find("[data-testid=fault-badge]");

        Assert.Equal("transport", chip.GetAttribute("data-family"));
        Assert.Contains("mud-chip-color-warning", chip.ClassList);
    }
}
