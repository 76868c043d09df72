using Bunit;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Controls;

namespace ChaosLab.Tests.Web.Components;

/// <summary>Outcomes are each suite's own words: the success flag colours them when the caller has it.</summary>
public sealed class OutcomeBadgeTests : DashboardTestContext
{
    [Theory]
    [InlineData("solved_it", true, "mud-chip-color-success")]
    [InlineData("gave_up", false, "mud-chip-color-error")]
    // The flag wins over the word: a suite may call a failed episode anything.
    [InlineData("correct", false, "mud-chip-color-error")]
    [InlineData("partial", false, "mud-chip-color-error")]
    public void Render_SuccessKnown_ColouredByIt(string outcome, bool success, string colour)
    {
        var chip = Render<OutcomeBadge>(p => p.Add(b => b.Outcome, outcome).Add(b => b.Success, success)).Find("[data-testid=outcome]");

        Assert.Equal(outcome, chip.TextContent.Trim());
        Assert.Contains(colour, chip.ClassList);
        Assert.Equal(success ? "true" : "false", chip.GetAttribute("data-success"));
    }

    [Theory]
    [InlineData("correct", "mud-chip-color-success")]
    [InlineData("partial", "mud-chip-color-warning")]
    [InlineData("wrong", "mud-chip-color-error")]
    [InlineData("step_limit", "mud-chip-color-error")]
    [InlineData("abandoned", "mud-chip-color-default")]
    [InlineData("some_other_suites_word", "mud-chip-color-default")]
    [InlineData(null, "mud-chip-color-info")]
    public void Render_OutcomeAlone_KnownWordsColouredOthersNeutral(string? outcome, string colour)
    {
        var chip = Render<OutcomeBadge>(p => p.Add(b => b.Outcome, outcome)).Find("[data-testid=outcome]");

        Assert.Equal(outcome ?? "running", chip.TextContent.Trim());
        Assert.Contains(colour, chip.ClassList);
        Assert.False(chip.HasAttribute("data-success"));
    }
}
