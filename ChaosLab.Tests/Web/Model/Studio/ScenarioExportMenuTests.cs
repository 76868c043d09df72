using ChaosLab.Core.Scenarios.Studio;
using ChaosLab.Tests.Web.Components.Studio;
using ChaosLab.Web.Model.Studio;

namespace ChaosLab.Tests.Web.Model.Studio;

public sealed class ScenarioExportMenuTests
{
    [Fact]
    public void For_ShownTooManyToNameInALink_ShownUnavailableButAllStoredStays()
    {
        IReadOnlyList<StudioScenarioRow> shown = [.. Enumerable.Range(0, 300).Select(i => FakeScenarioStudio.Row($"authored-scenario-{i:000}", ScenarioStatus.Published))];
        IReadOnlyList<StudioScenarioRow> all = [.. shown, FakeScenarioStudio.Row("filtered-out", ScenarioStatus.Published)];

        var menu = ScenarioExportMenu.For(shown, all);

        Assert.Null(menu.DisabledReason);
        Assert.Equal("300 scenarios are too many to name in one link: export all stored scenarios, or filter further.", menu.ShownUnavailableReason);
        Assert.Equal(301, menu.StoredCount);
    }

    [Fact]
    public void For_NothingStored_DisabledWithoutSuggestingToClearFilters()
    {
        var menu = ScenarioExportMenu.For([FakeScenarioStudio.Row("W05", ScenarioStatus.BuiltIn)], [FakeScenarioStudio.Row("W05", ScenarioStatus.BuiltIn)]);

        Assert.Equal("No published scenario in view. Built-in scenarios are never exported: every build has them. Drafts can be exported once published.", menu.DisabledReason);
    }
}
