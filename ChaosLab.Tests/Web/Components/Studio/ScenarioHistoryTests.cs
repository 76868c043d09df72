using System.Text.Json;
using Bunit;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Studio;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Studio;
using ChaosLab.Web.Model.Studio;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ChaosLab.Tests.Web.Components.Studio;

/// <summary>The version history: the published versions, and the diff of the two an author picks.</summary>
public sealed class ScenarioHistoryTests : DashboardTestContext
{
    private static readonly DateTimeOffset Published = new(2026, 11, 28, 9, 30, 0, TimeSpan.Zero);

    private readonly FakeScenarioStudio _studio = new();
    private readonly Dictionary<int, ScenarioDocument> _documents = new()
    {
        [1] = Document(1, "Old title", 0.1),
        [2] = Document(2, "New title", 0.1),
        [3] = Document(3, "New title", 0.3),
    };

    public ScenarioHistoryTests() => Services.AddSingleton<IScenarioStudio>(_studio);

    [Fact]
    public void Render_ThreeVersions_ListsThemAndDiffsTheLatestTwo()
    {
        Publish(1, 2, 3);

        var history = RenderHistory();

        history.WaitForAssertion(() => Assert.Equal(["v1", "v2", "v3"], history.FindAll("[data-testid=version]").Select(v => v.TextContent)));
        Assert.Equal(["ada", "ada", "ada"], history.FindAll("[data-testid=version-author]").Select(v => v.TextContent));
        history.WaitForAssertion(() => Assert.Equal(["\"background_probability\": 0.1", "\"version\": 2"], Changed(history, "removed")));
        Assert.Equal(["\"background_probability\": 0.3", "\"version\": 3"], Changed(history, "added"));
        Assert.Contains("− v2", history.Find("[data-testid=diff-side-by-side]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SideBySide_ChangedValue_SitsOppositeItsReplacement_UnifiedOnRequest()
    {
        Publish(1, 2, 3);
        var history = RenderHistory();
        history.WaitForAssertion(() => Assert.Equal(2, Changed(history, "added").Length));

        var row = history.FindAll("[data-testid=diff-side-by-side] .diff-row").Single(r => r.TextContent.Contains("background_probability", StringComparison.Ordinal));
        Assert.Equal(["removed", "added"], row.QuerySelectorAll("[data-kind]").Select(h => h.GetAttribute("data-kind")));

        history.FindComponent<MudSwitch<bool>>().Find("input").Change(false);

        history.WaitForAssertion(() => Assert.Empty(history.FindAll("[data-testid=diff-side-by-side]")));
        Assert.Equal(["\"background_probability\": 0.3", "\"version\": 3"], Changed(history, "added", view: "diff"));
    }

    [Fact]
    public async Task FromVersion_Picked_DiffFollowsThePair()
    {
        Publish(1, 2, 3);
        var history = RenderHistory();
        history.WaitForAssertion(() => Assert.Equal(2, Changed(history, "added").Length));

        var from = history.FindComponents<MudSelect<int>>().Single(s => s.Instance.Label == "From");
        await from.InvokeAsync(from.Instance.OpenMenu);
        Popovers.WaitForAssertion(() => Popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == "v1").Click());

        history.WaitForAssertion(() => Assert.Equal(["\"background_probability\": 0.3", "\"title\": \"New title\"", "\"version\": 3"], Changed(history, "added")));
        Assert.Equal(["\"background_probability\": 0.1", "\"title\": \"Old title\"", "\"version\": 1"], Changed(history, "removed"));
    }

    [Fact]
    public void Render_OneVersion_SaysThereIsNothingToCompareYet()
    {
        Publish(1);

        var history = RenderHistory();

        history.WaitForElement("[data-testid=history-single]");
        Assert.Single(history.FindAll("[data-testid=version-row]"));
        Assert.Empty(history.FindAll("[data-testid=diff-side-by-side]"));
        Assert.Empty(history.FindAll("[data-testid=diff]"));
    }

    [Fact]
    public void Render_NeverPublished_EmptyState()
    {
        var history = RenderHistory();

        Assert.Contains("Not published yet", history.WaitForElement("[data-testid=state-empty]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_VersionDocumentMissing_SaysWhichOne()
    {
        Publish(1, 2, 3);
        _documents.Remove(2);

        var history = RenderHistory();

        history.WaitForAssertion(() => Assert.Equal("Version 2 could not be found.", history.Find("[data-testid=state-error]").TextContent.Trim()));
    }

    [Fact]
    public void CanonicalText_KeyOrderAndSpacing_DoNotShowAsChanges()
    {
        var a = ScenarioDocument.From(JsonDocument.Parse("""{"id":"s","version":1,"suite":"tools","task":"task1","tier":"beginner","family":"population","title":"t"}""").RootElement, ScenarioSource.Stored);
        var b = ScenarioDocument.From(JsonDocument.Parse("""{ "title": "t", "family": "population", "tier": "beginner", "task": "task1", "suite": "tools", "version": 1, "id": "s" }""").RootElement, ScenarioSource.Stored);

        Assert.Equal(ScenarioHistoryViewModel.CanonicalText(a), ScenarioHistoryViewModel.CanonicalText(b));
        Assert.StartsWith("{\n  \"family\": \"population\",\n  \"id\": \"s\",", ScenarioHistoryViewModel.CanonicalText(a), StringComparison.Ordinal);
    }

    private IRenderedComponent<ScenarioHistory> RenderHistory() => RenderPage<ScenarioHistory>(p => p
        .Add(h => h.ScenarioId, "my-pop")
        .Add(h => h.LoadVersion, (version, _) => Task.FromResult(_documents.GetValueOrDefault(version))));

    private void Publish(params int[] versions) =>
        _studio.Versions["my-pop"] = [.. versions.Select(v => new ScenarioVersionInfo("my-pop", v, ScenarioSource.Stored, "ada", Published.AddDays(v)))];

    private static string[] Changed(IRenderedComponent<ScenarioHistory> history, string kind, string view = "diff-side-by-side") =>
        [.. history.FindAll($"[data-testid={view}] [data-kind={kind}] .diff-text").Select(l => l.TextContent.Trim().TrimEnd(','))];

    private static ScenarioDocument Document(int version, string title, double probability) => ScenarioDocument.From(JsonDocument.Parse($$"""
        {"id":"my-pop","version":{{version}},"suite":"tools","task":"task1","tier":"beginner","family":"population","title":"{{title}}",
         "faults":{"background_probability":{{probability}} } }
        """).RootElement, ScenarioSource.Stored);
}
