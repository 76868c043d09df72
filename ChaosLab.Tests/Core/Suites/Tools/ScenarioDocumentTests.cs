using System.Text.Json;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static ChaosLab.Tests.Core.Suites.Tools.ToolsTestKit;
using static ChaosLab.Tests.Infrastructure.ScenarioSamples;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>Tools scenarios as documents: the published schema, the built-ins in that form, and stored ones played like built-ins.</summary>
public sealed class ScenarioDocumentTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _directory = new();
    private ServiceProvider _services = null!;

    private ScenarioStore Store => _services.GetRequiredService<ScenarioStore>();

    public async Task InitializeAsync() => _services = await ServicesAsync(_directory);

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void BuiltIn_EveryDocument_ValidAgainstThePublishedSchemaAndChecks()
    {
        var documents = new ToolsScenarioFormat().BuiltIn;

        Assert.Equal(ScenarioCatalog.All.Select(s => s.Id), documents.Select(d => d.Id));
        Assert.All(documents, d => Assert.Empty(Store.Validate(d.Content)));
    }

    [Fact]
    public void Schema_Published_ConstrainsTheSharedFieldsToTheSuitesValues()
    {
        var schema = new ToolsScenarioFormat().Schema;
        var properties = schema["properties"]!;

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema["$schema"]!.GetValue<string>());
        Assert.Equal("tools", properties["suite"]!["const"]!.GetValue<string>());
        Assert.Equal(["warmup", "beginner", "intermediate", "expert"], properties["tier"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(8, properties["family"]!["enum"]!.AsArray().Count);
        Assert.False(schema["additionalProperties"]!.GetValue<bool>());
        foreach (var field in new[] { "id", "version", "suite", "task", "tier", "family", "title", "question", "world", "faults", "step_limit" })
        {
            Assert.Contains(field, schema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        }
    }

    [Theory]
    [InlineData("W01", 7L)]
    [InlineData("F01", 2L)]
    [InlineData("E11", 20260408L)]
    public async Task Reset_StoredRevisionOfBuiltInWithSameContent_PlaysByteIdenticalToBuiltIn(string id, long seed)
    {
        var revision = BuiltIn(id);
        revision["version"] = 2;
        Assert.True((await Store.AddVersionAsync(Element(revision))).Succeeded);
        var fromStore = new ToolsSuite(storedScenarios: Store);

        var (builtInBytes, _) = Transcript(Suite, id, seed);
        var (storedBytes, storedEpisode) = Transcript(fromStore, id, seed);

        Assert.Equal(2, storedEpisode.ScenarioVersion);
        Assert.Equal(builtInBytes, storedBytes);
    }

    [Fact]
    public async Task Reset_StoredFixedWorldCopy_AsksItsQuestionAndGradesAgainstItsWorld()
    {
        Assert.True((await Store.AddVersionAsync(Element(FixedWorldCopy("X01")))).Succeeded);
        var suite = new ToolsSuite(storedScenarios: Store);

        var (right, rightReset) = Play(suite, "X01", $"The population is {CopyPopulation}.");
        var (wrong, _) = Play(suite, "X01", $"The population is {F01Population}.");

        Assert.Equal("How many people live in Quorvania? Give the latest census figure.", rightReset.Observation["question"]!.GetValue<string>());
        Assert.Equal(("correct", "wrong"), (right.Observation["outcome"]!.GetValue<string>(), wrong.Observation["outcome"]!.GetValue<string>()));
    }

    private static (StepResult Final, StepResult Reset) Play(ToolsSuite suite, string id, string answer)
    {
        var session = suite.CreateSession();
        var reset = session.Reset(new ResetOptions { ScenarioId = id, Seed = 3 }).Value!;
        return (Step(session, Submit(answer)), reset);
    }

    private static (byte[] Bytes, EpisodeInfo Episode) Transcript(ToolsSuite suite, string id, long seed)
    {
        var actions = Battery(Instance(id, seed));
        actions.Add(Submit("The answer is 42."));
        var session = suite.CreateSession();
        var results = new List<StepResult> { session.Reset(new ResetOptions { ScenarioId = id, Seed = seed }).Value! };
        var episode = session.Episode!;
        foreach (var action in actions.Take(episode.MaxSteps))
        {
            results.Add(Step(session, action));
        }

        var bytes = results.SelectMany(r => JsonSerializer.SerializeToUtf8Bytes(r.Observation)
            .Concat(JsonSerializer.SerializeToUtf8Bytes(r.Reward))).ToArray();
        return (bytes, episode);
    }
}
