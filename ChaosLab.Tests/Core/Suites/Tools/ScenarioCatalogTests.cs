using ChaosLab.Core.Grading;
using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.Tests.Core.Suites.Tools;

public sealed class ScenarioCatalogTests
{
    [Fact]
    public void Catalog_AtLeast55Scenarios_OverFourTiersAndThreeTasks()
    {
        var all = ScenarioCatalog.All;
        Assert.True(all.Count >= 55);
        Assert.Equal(all.Count, all.Select(s => s.Id).Distinct().Count());
        foreach (var tier in ScenarioCatalog.Tiers)
        {
            Assert.True(all.Count(s => s.Tier == tier) >= 13, tier);
        }

        foreach (var task in new[] { "task1", "task2", "task3" })
        {
            Assert.True(all.Count(s => s.TaskId == task) >= 15, task);
        }
    }

    [Fact]
    public void Catalog_CoversReferenceFamiliesAndThreeOfItsOwn()
    {
        var families = ScenarioCatalog.All.Select(s => s.Family).ToHashSet();
        Assert.Superset(new HashSet<ScenarioFamily> { ScenarioFamily.Population, ScenarioFamily.GdpPerCapita, ScenarioFamily.Density, ScenarioFamily.RevenueClaim }, families);
        Assert.Superset(new HashSet<ScenarioFamily> { ScenarioFamily.LaunchDate, ScenarioFamily.DaysBetween, ScenarioFamily.CeoMultiHop, ScenarioFamily.TicketRevenue }, families);
    }

    [Fact]
    public void Catalog_Task1HasOneBadPath_Task3ACascade_Task2AnOutdatedSource()
    {
        foreach (var s in ScenarioCatalog.All)
        {
            switch (s.TaskId)
            {
                case "task1": Assert.Single(s.BadPaths!); break;
                case "task2": Assert.NotNull(s.OutdatedSource); break;
                default: Assert.True(s.BadPaths!.Count >= 2, s.Id); break;
            }
        }
    }

    [Fact]
    public void Instantiate_EveryScenarioManySeeds_TypedKeyAndFacts()
    {
        foreach (var s in ScenarioCatalog.All)
        {
            for (long seed = 0; seed < 25; seed++)
            {
                var instance = ScenarioTemplate.Instantiate(s, seed);
                Assert.NotEmpty(instance.Key.Slots);
                Assert.NotEmpty(instance.Facts);
                Assert.All(instance.Key.Slots, slot => Assert.True(slot.Kind switch
                {
                    SlotKind.Number => slot.Expected is double,
                    SlotKind.Date => slot.Expected is DateOnly,
                    SlotKind.Boolean => slot.Expected is bool,
                    _ => slot.Expected is string,
                }));
                Assert.Contains(instance.Key.Slots, ToolsScorer.IsHard);
            }
        }
    }

    [Fact]
    public void Task2_ConflictingEvidence_OutdatedSourceAndLowReliabilityPostDisagreeWithCurrent()
    {
        foreach (var s in ScenarioCatalog.All.Where(s => s.TaskId == "task2"))
        {
            var instance = ScenarioTemplate.Instantiate(s, 11);
            using var workspace = new Workspace(instance);
            Assert.Equal(Snapshot.Previous, workspace.SnapshotFor(s.OutdatedSource!));
            var post = workspace.Corpus(Snapshot.Current).Documents.Single(d => d.Kind == "forum_post");
            Assert.Equal("low", post.Reliability);
            Assert.True(post.Published > World.CurrentAsOf);
            var fact = instance.Facts.Last(f => f.Entity == instance.ConflictEntity);
            Assert.False(FactTracker.Contains(post.Body, fact), $"{s.Id}: the post must state a different value");
            var filings = workspace.Corpus(Snapshot.Current).Documents.Where(d => d.Reliability == "high").ToList();
            Assert.Contains(filings, d => FactTracker.Contains(d.Title + " " + d.Body, fact));
        }
    }

    [Fact]
    public void FixedWorldScenario_SameWorldForEverySeed()
    {
        var a = ScenarioTemplate.Instantiate(ScenarioCatalog.Find("F01")!, 1);
        var b = ScenarioTemplate.Instantiate(ScenarioCatalog.Find("F01")!, 999);
        Assert.Equal(a.Question, b.Question);
        Assert.Equal("Quorvania", a.Facts[0].Entity);
        Assert.Equal(6_482_115.0, (double)a.Key.Slots[0].Expected);
    }

    [Fact]
    public void RevenueClaim_EchoingTheClaimNeverPasses()
    {
        foreach (var s in ScenarioCatalog.All.Where(s => s.Family == ScenarioFamily.RevenueClaim))
        {
            for (long seed = 0; seed < 40; seed++)
            {
                var slot = ScenarioTemplate.Instantiate(s, seed).Key.Slots.Single(x => x.Name == "revenue_usd");
                var claim = slot.QuestionValues![0];
                Assert.True(Math.Abs(claim - (double)slot.Expected) / (double)slot.Expected > slot.RelativeTolerance);
            }
        }
    }
}
