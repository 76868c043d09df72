using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Harness;

namespace ChaosLab.Tests.Core.Evaluation;

public sealed class AssignmentFileTests
{
    private static readonly string Base = Path.Combine(Path.GetTempPath(), "assignments");

    [Fact]
    public void Parse_FullFile_EveryFieldResolved()
    {
        var parsed = AssignmentFile.Parse("""
            name: smoke
            agent: local-qwen
            agents_file: agents.yaml
            harness: { enabled: true, h2: true, h3: false, h4: true, h5: true, h5_top_k: 5 }
            tasks:
              - suite: tools
                task: task1
                tiers: [warmup, beginner]
              - suite: gauntlet
                scenarios: [gauntlet-stream-warmup]
            split: dev
            seeds: [1, 2, 5]
            trials: 2
            concurrency: 4
            output: runs/smoke
            """, Base);

        Assert.True(parsed.Succeeded);
        var a = parsed.Value!;
        Assert.Equal(("smoke", "local-qwen", Path.Combine(Base, "agents.yaml"), (string?)null), (a.Name, a.Agent.Profile, a.Agent.ProfilesFile, a.Agent.Reference));
        Assert.Equal(new HarnessOptions { H3 = false, H5TopK = 5 }, a.Harness);
        Assert.Equal(("tools", "task1"), (a.Tasks[0].Suite, a.Tasks[0].TaskId));
        Assert.Equal(["warmup", "beginner"], a.Tasks[0].Tiers!);
        Assert.Equal(["gauntlet-stream-warmup"], a.Tasks[1].Scenarios!);
        Assert.Null(a.Tasks[1].Tiers);
        Assert.Equal(("dev", 2, 4, Path.Combine(Base, "runs", "smoke")), (a.Split, a.Trials, a.Concurrency, a.Output));
        Assert.Equal([1, 2, 5], a.SeedIndices);
    }

    [Fact]
    public void Parse_Minimal_Defaults()
    {
        var a = AssignmentFile.Parse("name: m\nagent: reference:resilient\ntasks: [{ suite: tools }]\nseeds: 3\n", null).Value!;

        Assert.Equal(("resilient", (string?)null, HarnessOptions.All, "test", 1, 1, (string?)null),
            (a.Agent.Reference, a.Agent.Profile, a.Harness, a.Split, a.Trials, a.Concurrency, a.Output));
        Assert.Equal([1, 2, 3], a.SeedIndices);
    }

    [Fact]
    public void Parse_RelativePathsWithoutBaseDirectory_LeftAsWritten()
    {
        var a = AssignmentFile.Parse("name: m\nagent: p\nagents_file: a.yaml\ntasks: [{ suite: tools }]\noutput: out\n", null).Value!;

        Assert.Equal(("a.yaml", "out"), (a.Agent.ProfilesFile, a.Output));
    }

    [Fact]
    public void Parse_UnknownKeys_ErrorsWithPathLineAndTheKnownKeys()
    {
        var parsed = AssignmentFile.Parse("""
            name: m
            agent: p
            seed: 3
            harness: { h6: true }
            tasks:
              - suite: tools
                tier: [warmup]
            """, null);

        Assert.Equal(["seed", "harness.h6", "tasks[0].tier"], parsed.Errors.Select(e => e.Path));
        Assert.Contains("(line 3)", parsed.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("seeds", parsed.Errors[0].ValidValues!);
        Assert.Equal(["enabled", "h2", "h3", "h4", "h5", "h5_top_k"], parsed.Errors[1].ValidValues!);
        Assert.Contains("tiers", parsed.Errors[2].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("agent: p\ntasks: [{ suite: tools }]", "name")]
    [InlineData("name: m\ntasks: [{ suite: tools }]", "agent")]
    [InlineData("name: m\nagent: p", "tasks")]
    [InlineData("name: m\nagent: p\ntasks: []", "tasks")]
    [InlineData("name: m\nagent: p\ntasks: [{ task: task1 }]", "tasks[0].suite")]
    [InlineData("name: m\nagent: p\ntasks: [tools]", "tasks[0]")]
    [InlineData("name: 'a b'\nagent: p\ntasks: [{ suite: tools }]", "name")]
    [InlineData("name: m\nagent: 'reference:'\ntasks: [{ suite: tools }]", "agent")]
    [InlineData("name: m\nagent: p\ntasks: [{ suite: tools }]\nseeds: 0", "seeds")]
    [InlineData("name: m\nagent: p\ntasks: [{ suite: tools }]\nseeds: [1, x]", "seeds[1]")]
    [InlineData("name: m\nagent: p\ntasks: [{ suite: tools }]\nseeds: [2, 2]", "seeds[1]")]
    [InlineData("name: m\nagent: p\ntasks: [{ suite: tools }]\ntrials: 0", "trials")]
    [InlineData("name: m\nagent: p\ntasks: [{ suite: tools }]\nconcurrency: 65", "concurrency")]
    [InlineData("name: m\nagent: p\ntasks: [{ suite: tools }]\nharness: { h2: maybe }", "harness.h2")]
    [InlineData("name: m\nagent: p\ntasks: [{ suite: tools }]\nharness: { h5_top_k: 0 }", "harness.h5_top_k")]
    [InlineData("name: m\nagent: p\ntasks: [{ suite: tools }]\nharness: off", "harness")]
    [InlineData("name: m\nagent: p\ntasks: [{ suite: tools, tiers: [] }]", "tasks[0].tiers")]
    public void Parse_BadValue_OneErrorAtItsPath(string yaml, string path)
    {
        var parsed = AssignmentFile.Parse(yaml, null);

        Assert.False(parsed.Succeeded);
        Assert.Equal([path], parsed.Errors.Select(e => e.Path));
    }

    [Theory]
    [InlineData("name: [unclosed")]
    [InlineData("- just\n- a list")]
    [InlineData("")]
    [InlineData("name: m\nname: n\nagent: p\ntasks: [{ suite: tools }]")]
    public void Parse_NotAMappingOrNotYaml_OneErrorForTheWholeFile(string yaml)
    {
        var parsed = AssignmentFile.Parse(yaml, null);

        Assert.Equal([""], parsed.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Json_WriteThenRead_SameAssignment()
    {
        var a = AssignmentFile.Parse("""
            name: smoke
            agent: local-qwen
            agents_file: /etc/agents.yaml
            harness: { h4: false, h5_top_k: 2 }
            tasks: [{ suite: tools, task: task2, tiers: [expert] }, { suite: mast, scenarios: [a, b] }]
            seeds: [3, 1]
            trials: 2
            concurrency: 8
            output: /tmp/out
            """, null).Value!;

        var back = AssignmentJson.Read(AssignmentJson.Write(a));

        Assert.Equal(AssignmentJson.Write(a), AssignmentJson.Write(back));
        Assert.Equal((a.Name, a.Agent, a.Harness, a.Split, a.Trials, a.Concurrency, a.Output), (back.Name, back.Agent, back.Harness, back.Split, back.Trials, back.Concurrency, back.Output));
        Assert.Equal(a.SeedIndices, back.SeedIndices);
        Assert.Equal(["a", "b"], back.Tasks[1].Scenarios!);
    }

    [Fact]
    public void Json_ReferenceAgent_RoundTrips()
    {
        var a = AssignmentFile.Parse("name: m\nagent: reference:naive\ntasks: [{ suite: tools }]", null).Value!;

        Assert.Equal(new AgentChoice(null, null, "naive"), AssignmentJson.Read(AssignmentJson.Write(a)).Agent);
    }
}
