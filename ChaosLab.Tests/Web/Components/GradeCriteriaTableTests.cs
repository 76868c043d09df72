using Bunit;
using ChaosLab.Core.Environment;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Controls;

namespace ChaosLab.Tests.Web.Components;

public sealed class GradeCriteriaTableTests : DashboardTestContext
{
    [Fact]
    public void Render_AnySuitesVerdictWords_ColouredByTheCreditEarned()
    {
        GradeCriterion[] criteria =
        [
            new("city", "Oslo", "Oslo", "spot_on", 0.5, 0.5),
            new("year", "2019", "2018", "close", 0.3, 0.1),
            new("count", "4", null, "absent", 0.2, 0),
        ];

        var table = Render<GradeCriteriaTable>(p => p.Add(t => t.Criteria, criteria));

        var rows = table.FindAll("[data-testid=grade-criterion]");
        Assert.Equal(["full", "partial", "none"], rows.Select(r => r.GetAttribute("data-credit")));
        Assert.Equal(["spot_on", "close", "absent"], rows.Select(r => r.QuerySelector("[data-testid=verdict]")!.TextContent.Trim()));
        Assert.Contains("mud-chip-color-success", rows[0].QuerySelector("[data-testid=verdict]")!.ClassList);
        Assert.Contains("mud-chip-color-warning", rows[1].QuerySelector("[data-testid=verdict]")!.ClassList);
        Assert.Contains("mud-chip-color-error", rows[2].QuerySelector("[data-testid=verdict]")!.ClassList);
        Assert.Equal("—", rows[2].QuerySelectorAll("td")[2].TextContent);
    }

    [Fact]
    public void Render_Phone_ExpectedAndWeightStepAsideButTheCreditStays()
    {
        var table = Render<GradeCriteriaTable>(p => p.Add(t => t.Criteria, [new GradeCriterion("a", "1", "1", "correct", 1, 1)]));

        var headers = table.FindAll("[data-testid=grade-criteria] th");
        Assert.Equal(["Expected", "Weight"], headers.Where(h => h.ClassList.Contains("d-none")).Select(h => h.TextContent));
        Assert.DoesNotContain("d-none", headers.Single(h => h.TextContent == "Credit").ClassList);
    }
}
