using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Harness;
using ChaosLab.Core.Suites.Gauntlet;
using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Tools;
using static ChaosLab.Tests.Core.Harness.HarnessTestKit;

namespace ChaosLab.Tests.Core.Harness;

/// <summary>h3 on the real suites' tools: the schema's facts, step costs, suite lines and the fault-neutral warning.</summary>
public sealed class ToolContractTests
{
    private static readonly HarnessOptions H3 = Only(HarnessLayer.H3);

    public static TheoryData<string> Suites => new() { "tools", "mast", "gauntlet" };

    [Fact]
    public void ModelTools_ToolsSuite_CarryTheSchemaFactsAndStepCost()
    {
        var tools = NewHarness(H3).ModelTools;

        var apiCall = tools.Single(t => t.Name == "api_call").Description;
        Assert.Contains("Arguments: url (string, required, at most 500 characters); method (string, required, one of GET, POST, PUT, DELETE, at most 10 characters).", apiCall, StringComparison.Ordinal);
        Assert.Contains("Costs one step, whatever it returns.", apiCall, StringComparison.Ordinal);
        Assert.Contains(ToolContract.Warning, apiCall, StringComparison.Ordinal);
        var compare = tools.Single(t => t.Name == "compare_values").Description;
        Assert.Contains("tolerance (number, required, from 0 to 1)", compare, StringComparison.Ordinal);
        Assert.Contains("value1 (string or number, required, at most 200 characters)", compare, StringComparison.Ordinal);
        Assert.Contains("Takes the entity's exact name", tools.Single(t => t.Name == "knowledge_base_lookup").Description, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelTools_MastSuite_ReadsRangesAndDefaults()
    {
        var runTrial = NewHarness(H3, "mast").ModelTools.Single(t => t.Name == "run_trial").Description;

        Assert.Contains("config (object, required)", runTrial, StringComparison.Ordinal);
        Assert.Contains("runs (integer, optional, from 1 to 10, default 10)", runTrial, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tools", "submit_answer")]
    [InlineData("mast", "submit_answer")]
    [InlineData("gauntlet", "submit_code")]
    public void ModelTools_SubmitTool_EndsTheEpisodeAndHasNoWarning(string suite, string submit)
    {
        var description = NewHarness(H3, suite).ModelTools.Single(t => t.Name == submit).Description;

        Assert.Contains("ends the episode and is graded once", description, StringComparison.Ordinal);
        Assert.DoesNotContain(ToolContract.Warning, description, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void ModelTools_KeepNamesCategoriesAndSchemas_AndEachDescriptionStartsAsBefore(string suite)
    {
        var before = AgentAction.ToolsOf(ToolsOf(suite));

        var after = NewHarness(H3, suite).ModelTools;

        Assert.Equal(before.Select(t => (t.Name, t.Category, t.InputSchema.ToJsonString())), after.Select(t => (t.Name, t.Category, t.InputSchema.ToJsonString())));
        Assert.All(before.Zip(after), pair => Assert.StartsWith(pair.First.Description.TrimEnd() + "\n- Arguments: ", pair.Second.Description, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void ModelTools_ContractText_NeverNamesAFaultKindOfTheSuite(string suite)
    {
        var kinds = FaultKindsOf(suite);
        var before = AgentAction.ToolsOf(ToolsOf(suite));

        var added = NewHarness(H3, suite).ModelTools.Select((t, i) => t.Description[before[i].Description.TrimEnd().Length..]).ToList();

        Assert.NotEmpty(kinds);
        foreach (var name in kinds.SelectMany(k => new[] { k.Name, k.Name.Replace('_', ' ') }))
        {
            Assert.All(added, text => Assert.DoesNotContain(name, text, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void Constructor_H3On_RecordsOneInterventionAtStepZero()
    {
        var harness = NewHarness(H3);

        var intervention = Assert.Single(harness.Interventions);

        Assert.Equal((0, "h3", "environment contract"), (intervention.Step, intervention.Layer, intervention.Trigger));
        Assert.StartsWith("30 tool descriptions gained", intervention.Change, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelTools_H3Off_AreTheSuitesToolsAsTheyAre()
    {
        var harness = NewHarness(HarnessOptions.All with { H3 = false, H5 = false });

        Assert.Equal(AgentAction.ToolsOf(ToolsSuiteTools).Select(t => t.Description), harness.ModelTools.Select(t => t.Description));
        Assert.Empty(harness.Interventions);
    }

    [Fact]
    public void ModelTools_UnknownSuite_GetTheGenericContract()
    {
        var tools = new[] { new ToolDescriptor("probe", "Probe.", "inspection", new System.Text.Json.Nodes.JsonObject { ["type"] = "object" }) };

        var harness = new EpisodeHarness(H3, Brief("toy"), tools);

        Assert.Equal("Probe.\n- Arguments: none.\n- Costs one step, whatever it returns.\n- " + ToolContract.Warning, harness.ModelTools[0].Description);
        Assert.Contains("graded once", harness.ModelTools[1].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SuiteData_ReadsAliasesAndLinesAndRefusesGarbage()
    {
        var data = SuiteHarnessData.Parse("# comment\nalias: Final-Answer -> submit_answer\n*: for all\nprobe: for probe\n");

        Assert.Equal("submit_answer", data.Aliases["finalanswer"]);
        Assert.Equal(["for probe", "for all"], data.ConstraintsOf("probe", isSubmit: false));
        Assert.Equal(["for probe"], data.ConstraintsOf("probe", isSubmit: true));
        Assert.Throws<FormatException>(() => SuiteHarnessData.Parse("no colon here"));
        Assert.Throws<FormatException>(() => SuiteHarnessData.Parse("alias: a ->"));
    }

    private static IReadOnlyList<FaultKind> FaultKindsOf(string suite) => suite switch
    {
        "mast" => new MastSuite().FaultKinds,
        "gauntlet" => GauntletFaultKinds.Of(GauntletSuiteServiceCollectionExtensions.ServedPieces),
        _ => new ToolsSuite().FaultKinds,
    };
}
