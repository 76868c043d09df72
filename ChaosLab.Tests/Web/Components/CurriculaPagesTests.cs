using AngleSharp.Dom;
using Bunit;
using ChaosLab.Core;
using ChaosLab.Core.Curriculum;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Web.Components;

/// <summary>The curricula list and one curriculum's progress: ready, empty and error states.</summary>
public sealed class CurriculaPagesTests : DashboardTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = new(Now);

    [Fact]
    public async Task Curricula_OneCurriculumPastWarmup_RowWithTierWindowAndLastDecision()
    {
        await SeedAsync();
        Register();

        var page = RenderPage<Curricula>();

        var row = page.WaitForElements("[data-testid=curricula] tbody tr").Single();
        Assert.Equal(("trainer-1", "tools", "beginner", "6"), (Text(row, "name"), Text(row, "suite"), Text(row, "tier"), Text(row, "episodes")));
        Assert.Equal("0% (0 of 1)", Text(row, "window"));
        Assert.Equal("curricula/trainer-1", row.QuerySelector("[data-testid=name] a")!.GetAttribute("href"));
        Assert.StartsWith("advanced from warmup to beginner", Text(row, "last-decision"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curricula_NoneYet_EmptyStateSaysHowToStartOne()
    {
        await new SchemaMigrator(_clock).MigrateAsync(_directory.File("chaoslab.db"));
        Register();

        var page = RenderPage<Curricula>();

        Assert.Contains("\"curriculum\": \"my-run\"", page.WaitForElement("[data-testid=state-empty]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curricula_UnreadableStore_InlineError()
    {
        Register();

        var page = RenderPage<Curricula>();

        Assert.Contains("could not be read", page.WaitForElement("[data-testid=state-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curriculum_Progress_TwoLabelledChartsAndADecisionRowPerEpisode()
    {
        await SeedAsync();
        Register();

        var page = RenderPage<Curriculum>(p => p.Add(c => c.Name, "trainer-1"));

        page.WaitForElement("[data-testid=decisions]");
        Assert.NotNull(page.Find("[aria-label='Tier of each episode of the curriculum, with the moves up marked']"));
        Assert.NotNull(page.Find("[aria-label='Share of the rolling window that succeeded when each tier was decided']"));
        Assert.Equal(["warmup", "warmup", "warmup", "warmup", "warmup", "beginner"], page.FindAll("[data-testid=decision-tier]").Select(c => c.TextContent));
        Assert.Equal("beginner", page.Find("[data-testid=curriculum-summary] [data-testid=tier]").TextContent.Trim());
        Assert.Contains("warmup → beginner after 5 at ≥ 60%", page.Find("[data-testid=rules]").TextContent, StringComparison.Ordinal);
        var advanced = Assert.Single(page.FindAll("[data-testid=decisions] tr[data-advanced=true]"));
        Assert.NotNull(advanced.QuerySelector("[data-testid=moved-up]"));
        Assert.Equal("episodes/t6", advanced.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Curriculum_UnknownName_EmptyStateLinksBackToTheList()
    {
        await SeedAsync();
        Register();

        var page = RenderPage<Curriculum>(p => p.Add(c => c.Name, "nobody"));

        var empty = page.WaitForElement("[data-testid=state-empty]");
        Assert.Contains("No reset has named curriculum nobody", empty.TextContent, StringComparison.Ordinal);
        Assert.Equal("curricula", empty.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public void Figures_FiveWarmupThenBeginner_TierLevelsAndOneMoveMarked()
    {
        var steps = Enumerable.Range(1, 6).Select(i => new CurriculumStep(i, $"e{i}", i < 6 ? "warmup" : "beginner", i == 6, Math.Min(i - 1, 5), Math.Min(i - 1, 5),
            i == 6 ? "advanced" : "stays", Now, "correct", 1)).ToList();
        var state = new CurriculumState("c", "tools", "beginner", CurriculumRules.Default(ScenarioCatalog.Tiers), Now, Now, 6, 0, 0, "advanced");

        var figures = CurriculumFigures.From(new CurriculumProgress(state, steps));

        var (tier, moves) = (figures.Tiers.Traces[0], figures.Tiers.Traces[1]);
        Assert.Equal([1, 1, 1, 1, 1, 2], tier.Y);
        Assert.Equal(["6"], moves.X);
        Assert.Equal([2.0], moves.Y);
        Assert.Equal([0, 100, 100, 100, 100, 100], figures.WindowSuccess.Traces[0].Y);
        Assert.Equal(4.5, figures.Tiers.Layout.YAxisMax);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _directory.Dispose();
    }

    private static string Text(IElement row, string testId) => row.QuerySelector($"[data-testid={testId}]")!.TextContent.Trim();

    /// <summary>Five correct warmup episodes, then a sixth at beginner that went wrong.</summary>
    private async Task SeedAsync()
    {
        await new SchemaMigrator(_clock).MigrateAsync(_directory.File("chaoslab.db"));
        await using var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(_clock)
            .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
            .AddChaosLabPersistence()
            .BuildServiceProvider();
        var curricula = services.GetRequiredService<CurriculumStore>();
        var episodes = services.GetRequiredService<EpisodeStore>();
        var suite = new ToolsSuite();
        for (var i = 1; i <= 6; i++)
        {
            var decision = await curricula.ChooseTierAsync("trainer-1", suite, $"t{i}");
            await episodes.AddAsync(new EpisodeEntity
            {
                Id = $"t{i}",
                Suite = "tools",
                TaskId = "task1",
                Tier = decision.Value!.Tier,
                ScenarioId = "W01",
                Agent = "trainer",
                ClientKind = "ws",
                StartedAt = Now,
                EndedAt = Now,
                Outcome = i < 6 ? "correct" : "wrong",
                Success = i < 6,
                Score = i < 6 ? 1 : 0,
            });
        }
    }

    private void Register()
    {
        var services = Services;
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }));
        services.AddChaosLabPersistence();
        services.AddScoped<CurriculaViewModel>();
        services.AddScoped<CurriculumViewModel>();
    }
}
