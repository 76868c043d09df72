using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Harness;

/// <summary>
/// h3, the environment contract: each tool's description as the model sees it gains what the
/// environment enforces (the argument formats read from the tool's JSON Schema, that a call costs
/// one step, that the submit tool ends the episode and is graded once), the suite's constraint
/// lines, and one warning that is the same for every tool of every suite, so it can say nothing
/// about which tool is faulted, how or when.
/// </summary>
public static class ToolContract
{
    /// <summary>Added to every tool but the submit tool: fault-neutral by construction (identical everywhere).</summary>
    public const string Warning = "Results can be stale, partial or wrong and calls can fail transiently; verify what matters.";

    /// <summary>The tools with the contract in their descriptions; names, categories and schemas unchanged.</summary>
    public static IReadOnlyList<ToolDescriptor> Apply(IReadOnlyList<ToolDescriptor> tools, SuiteHarnessData data)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(data);
        return [.. tools.Select(t => t with { Description = Describe(t, data) })];
    }

    /// <summary>Whether <paramref name="tool"/> is a submit tool (<c>submit_answer</c>, <c>submit_code</c>, ...), which ends the episode.</summary>
    public static bool IsSubmit(string tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        return tool == AgentAction.SubmitType || tool.StartsWith("submit_", StringComparison.Ordinal);
    }

    /// <summary>The tool a model should submit with: the suite's own submit tool, else the generic one.</summary>
    public static string SubmitToolOf(IReadOnlyList<ToolDescriptor> suiteTools)
    {
        ArgumentNullException.ThrowIfNull(suiteTools);
        return suiteTools.FirstOrDefault(t => IsSubmit(t.Name))?.Name ?? AgentAction.SubmitType;
    }

    private static string Describe(ToolDescriptor tool, SuiteHarnessData data)
    {
        var submit = IsSubmit(tool.Name);
        var lines = new List<string>
        {
            $"Arguments: {SchemaFacts.Describe(tool.InputSchema)}.",
            submit ? "Costs one step, ends the episode and is graded once: call it only when you are done." : "Costs one step, whatever it returns.",
        };
        lines.AddRange(data.ConstraintsOf(tool.Name, submit));
        if (!submit)
        {
            lines.Add(Warning);
        }

        return tool.Description.TrimEnd() + "\n" + string.Join("\n", lines.Select(l => "- " + l));
    }
}
